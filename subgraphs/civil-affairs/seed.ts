/** Civil affairs' part of the synthetic world: the marriage registry, and allowances for some households. */
import { addDays, ageOnReference, Random, type World } from '@govgraph/department-kit';
import type { AllowanceRow, CivilAffairsStore } from './store';

const ASSESSMENT_NOTES = ['家庭成员患重大疾病', '主要劳动力丧失劳动能力', '家庭人均收入低于当地低保标准', '独居老人，无固定收入'];

export async function seed(store: CivilAffairsStore, world: World): Promise<void> {
  const random = new Random(1047);
  const householdSizes = new Map<string, number>();
  for (const person of world.persons) householdSizes.set(person.householdNumber, (householdSizes.get(person.householdNumber) ?? 0) + 1);
  const allowances: AllowanceRow[] = [];
  for (const person of world.persons) {
    if (person.relation !== '户主' || ageOnReference(person.birthDate) < 18 || !random.chance(0.03)) continue;
    const householdSize = householdSizes.get(person.householdNumber) ?? 1;
    allowances.push({
      idNumber: person.idNumber,
      status: random.chance(0.8) ? 'ACTIVE' : 'ENDED',
      since: addDays(person.birthDate, random.int(18 * 365, ageOnReference(person.birthDate) * 365)),
      monthlyAmount: householdSize * random.pick([780, 900, 1050, 1120, 1365]),
      householdSize,
      assessmentNotes: random.pick(ASSESSMENT_NOTES),
      regionCode: person.regionCode,
    });
  }
  await store.insert({ marriages: world.marriages.map((m) => ({ ...m })), allowances });
}
