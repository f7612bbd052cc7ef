/** The fund centre's part of the synthetic world: accounts for most working-age persons, paid in by an employer of their district. */
import { addDays, ageOnReference, daysBeforeReference, Random, type SyntheticEnterprise, type World } from '@govgraph/department-kit';
import type { AccountRow, HousingFundStore } from './store';

export async function seed(store: HousingFundStore, world: World): Promise<void> {
  const random = new Random(1990);
  const employersIn = new Map<string, SyntheticEnterprise[]>();
  for (const enterprise of world.enterprises) {
    if (enterprise.status === 'ACTIVE') employersIn.set(enterprise.regionCode, [...(employersIn.get(enterprise.regionCode) ?? []), enterprise]);
  }
  const accounts: AccountRow[] = [];
  for (const person of world.persons) {
    const age = ageOnReference(person.birthDate);
    if (age < 20 || !random.chance(0.6)) continue;
    const openedOn = addDays(person.birthDate, random.int(20 * 365, Math.min(age, 35) * 365));
    const status = age >= 60 ? 'CLOSED' : random.weighted([['PAYING', 85], ['SEALED', 15]] as const);
    const employers = employersIn.get(person.regionCode) ?? [];
    // 24 % of the wage (12 % each from employer and employee), on a wage of 3,000 to 30,000 yuan.
    const monthlyDeposit = Math.round(random.int(3000, 30000) * 0.24);
    const months = Math.floor(daysBeforeReference(openedOn) / 30);
    accounts.push({
      idNumber: person.idNumber,
      account: `${person.regionCode}${String(accounts.length + 1).padStart(9, '0')}`,
      status,
      openedOn,
      employer: status === 'PAYING' && employers.length > 0 && random.chance(0.9) ? random.pick(employers).creditCode : null,
      monthlyDeposit,
      balance: status === 'CLOSED' ? 0 : Math.round(monthlyDeposit * months * random.int(20, 90)) / 100,
    });
  }
  await store.insertAccounts(accounts);
}
