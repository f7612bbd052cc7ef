/** Public security's part of the synthetic world: every person with their household registration. */
import { districtByCode, type World } from '@govgraph/department-kit';
import type { PublicSecurityStore } from './store';

/** A station is named after the first two characters of the street it covers, e.g. 天河路 → 天河派出所. */
function policeStationArea(streets: readonly string[], address: string): string {
  return (streets.find((street) => address.includes(street)) ?? streets[0]!).slice(0, 2);
}

export async function seed(store: PublicSecurityStore, world: World): Promise<void> {
  await store.insertPersons(
    world.persons.map((p) => {
      const district = districtByCode(p.regionCode);
      return {
        idNumber: p.idNumber,
        name: p.name,
        gender: p.gender,
        birthDate: p.birthDate,
        ethnicity: p.ethnicity,
        phone: p.phone,
        registrationStatus: p.status,
        householdNumber: p.householdNumber,
        address: p.address,
        regionCode: p.regionCode,
        householdHead: p.householdHead,
        relation: p.relation,
        policeStation: `${district.city}公安局${district.name}分局${policeStationArea(district.streets, p.address)}派出所`,
      };
    }),
  );
}
