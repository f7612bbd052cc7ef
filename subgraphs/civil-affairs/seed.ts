/** Civil affairs' part of the synthetic world: the marriage registry, and the households on 低保. */
import type { World } from '@govgraph/department-kit';
import type { CivilAffairsStore } from './store';

export async function seed(store: CivilAffairsStore, world: World): Promise<void> {
  await store.insert({ marriages: world.marriages.map((m) => ({ ...m })), allowances: world.allowances.map((a) => ({ ...a })) });
}
