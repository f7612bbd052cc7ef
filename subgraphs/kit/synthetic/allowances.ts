/**
 * The households on the minimum subsistence guarantee (低保) in the synthetic world: civil affairs pays
 * them and the certificate library issues their 最低生活保障证, so both build the same list from the world.
 */
import { addDays } from './calendar';
import { ageOnReference, type SyntheticPerson } from './population';
import { Random } from './random';

export interface SyntheticAllowance {
  /** The household head who receives it. */
  idNumber: string;
  status: 'ACTIVE' | 'ENDED';
  since: string;
  /** In yuan a month. */
  monthlyAmount: number;
  householdSize: number;
  assessmentNotes: string;
  regionCode: string;
}

const ASSESSMENT_NOTES = ['家庭成员患重大疾病', '主要劳动力丧失劳动能力', '家庭人均收入低于当地低保标准', '独居老人，无固定收入'];

/** About 3% of adult household heads, with a seed of their own. */
export function buildAllowances(persons: readonly SyntheticPerson[], seed = 1047): SyntheticAllowance[] {
  const random = new Random(seed);
  const householdSizes = new Map<string, number>();
  for (const person of persons) householdSizes.set(person.householdNumber, (householdSizes.get(person.householdNumber) ?? 0) + 1);
  const allowances: SyntheticAllowance[] = [];
  for (const person of persons) {
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
  return allowances;
}
