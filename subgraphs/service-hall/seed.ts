/** The service hall's part of the synthetic world: applications by persons and enterprises of the world. */
import { dayFromReference, timestampOn } from '../kit/synthetic/calendar';
import { ageOnReference } from '../kit/synthetic/population';
import { Random } from '../kit/synthetic/random';
import { DISTRICTS } from '../kit/synthetic/regions';
import type { World } from '../kit/synthetic/world';
import { SERVICE_ITEMS } from './catalogue';
import type { ApplicationRow, ServiceHallStore } from './store';

const CLERK_NOTES = ['材料齐全', '已电话联系申请人补正材料', '待现场核验原件', '申请人已确认信息无误'];

export async function seed(store: ServiceHallStore, world: World): Promise<void> {
  const random = new Random(716);
  const adults = world.persons.filter((p) => ageOnReference(p.birthDate) >= 18);
  const rows: ApplicationRow[] = [];
  for (let serial = 1; serial <= world.size.applications; serial++) {
    const item = random.pick(SERVICE_ITEMS);
    const enterprise = item.concernsEnterprise && world.enterprises.length > 0 ? random.pick(world.enterprises) : undefined;
    const person = enterprise ? undefined : random.pick(adults);
    const applicant = enterprise?.legalRepresentative ?? person!.idNumber;
    const homeRegion = enterprise?.regionCode ?? person!.regionCode;
    const mode = random.pick(item.modes);
    const crossProvince = mode !== 'FULLY_ONLINE' || random.chance(0.3);
    const elsewhere = DISTRICTS.filter((d) => d.code.slice(0, 2) !== homeRegion.slice(0, 2));
    // 跨省通办: the applicant applies where they live now; the competent authority is where the record is.
    const [acceptingRegion, handlingRegion] = crossProvince ? [random.pick(elsewhere).code, homeRegion] : [homeRegion, homeRegion];
    const day = dayFromReference(-random.int(0, 365));
    rows.push({
      id: `${day.replaceAll('-', '')}${acceptingRegion}${String(serial).padStart(6, '0')}`,
      itemCode: item.code,
      applicant,
      enterprise: enterprise?.creditCode ?? null,
      status: random.weighted([['SUBMITTED', 10], ['PRE_REVIEWED', 10], ['RETURNED', 5], ['ACCEPTED', 15], ['IN_PROGRESS', 20], ['APPROVED', 35], ['REJECTED', 5]] as const),
      mode,
      acceptingRegion,
      handlingRegion,
      submittedAt: timestampOn(day, random.int(8 * 60, 18 * 60)),
      clerkNotes: random.pick(CLERK_NOTES),
    });
  }
  await store.insertApplications(rows);
}
