/**
 * The whole synthetic world at a given size. Every department builds it from the same sizes and seeds it
 * own part; the default sizes are those of `npm start`.
 */
import { buildAllowances, type SyntheticAllowance } from './allowances';
import { buildEnterprises, type SyntheticEnterprise } from './enterprises';
import { buildPopulation, type Population } from './population';

export interface WorldSize {
  persons: number;
  enterprises: number;
  applications: number;
  cityEvents: number;
}

export const DEFAULT_WORLD_SIZE: Readonly<WorldSize> = Object.freeze({
  persons: 10_000,
  enterprises: 2_000,
  applications: 500,
  cityEvents: 2_000,
});

export interface World extends Population {
  size: WorldSize;
  enterprises: SyntheticEnterprise[];
  allowances: SyntheticAllowance[];
}

export function buildWorld(size: WorldSize): World {
  const population = buildPopulation(size.persons);
  return { size, ...population, enterprises: buildEnterprises(population, size.enterprises), allowances: buildAllowances(population.persons) };
}
