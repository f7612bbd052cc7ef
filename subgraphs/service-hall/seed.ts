/**
 * The service hall's part of the synthetic world: applications by persons and enterprises of the world,
 * each at a point of its mode's workflow that it reached step by step, with that path as its timeline.
 */
import { addHours, ageOnReference, dayFromReference, DISTRICTS, Random, timestampOn, type World } from '@govgraph/department-kit';
import { MANUAL_REVIEW_ACTION } from './automatic-approval';
import { SERVICE_ITEMS } from './catalogue';
import type { ApplicationRow, PartRow, ServiceHallStore, TimelineRow } from './store';
import { WORKFLOWS, type ApplicationAction, type ApplicationStatus } from './workflow';

const CLERK_NOTES = ['材料齐全', '已电话联系申请人补正材料', '待现场核验原件', '申请人已确认信息无误'];

/** The happy path of a mode as (action, status after) pairs, with REJECT as the alternative decision. */
function happyPath(mode: keyof typeof WORKFLOWS): Array<[ApplicationAction, ApplicationStatus]> {
  return WORKFLOWS[mode].filter((s) => s.action !== 'REJECT' && s.action !== 'COMPLETE_PART').map((s) => [s.action, s.to]);
}

export interface SeededApplications {
  rows: ApplicationRow[];
  timeline: TimelineRow[];
  parts: PartRow[];
}

/** The applications of the world, as seeded: a pure function of the world (`npm run sample` reads it too). */
export function buildApplications(world: World): SeededApplications {
  const random = new Random(716);
  const adults = world.persons.filter((p) => ageOnReference(p.birthDate) >= 18);
  const rows: ApplicationRow[] = [];
  const timeline: TimelineRow[] = [];
  const parts: PartRow[] = [];
  for (let serial = 1; serial <= world.size.applications; serial++) {
    const item = random.pick(SERVICE_ITEMS);
    const enterprise = item.concernsEnterprise && world.enterprises.length > 0 ? random.pick(world.enterprises) : undefined;
    const person = enterprise ? undefined : random.pick(adults);
    const applicant = enterprise?.legalRepresentative ?? person!.idNumber;
    const homeRegion = enterprise?.regionCode ?? person!.regionCode;
    const mode = random.pick(item.modes);
    const crossProvince = mode !== 'FULL_ONLINE' || random.chance(0.3);
    const elsewhere = DISTRICTS.filter((d) => d.code.slice(0, 2) !== homeRegion.slice(0, 2));
    // 跨省通办: the applicant applies where they live now; the competent authority is where the record is.
    const [acceptingRegion, handlingRegion] = crossProvince ? [random.pick(elsewhere).code, homeRegion] : [homeRegion, homeRegion];
    const day = dayFromReference(-random.int(0, 365));
    const id = `${day.replaceAll('-', '')}${acceptingRegion}${String(serial).padStart(6, '0')}`;
    let at = timestampOn(day, random.int(8 * 60, 17 * 60));
    const submittedAt = at;
    const step = (action: string, status: ApplicationStatus, region: string | null, actor: string) => {
      timeline.push({ applicationId: id, at, action, status, region, actor, note: null, basis: null });
      at = addHours(at, random.int(1, 48));
    };
    step('SUBMIT', 'SUBMITTED', acceptingRegion, 'oneservice-portal');
    const returned = random.chance(0.06);
    // Seeded rows carry no pre-review checks for the rules to rest an approval on: an automatic item's
    // application that passed is one whose applicant asked for a person (秒批 happens on live submissions).
    if (item.automaticApproval && !returned) {
      timeline.push({ applicationId: id, at: submittedAt, action: MANUAL_REVIEW_ACTION, status: 'SUBMITTED', region: null, actor: 'oneservice-portal', note: null, basis: null });
    }
    let status: ApplicationStatus = returned ? 'RETURNED' : 'PRE_REVIEWED';
    step('PRE_REVIEW', status, null, 'service-hall');
    if (status === 'PRE_REVIEWED') {
      const path = happyPath(mode);
      const taken = random.int(0, path.length);
      for (const [action, to] of path.slice(0, taken)) {
        const rejected = action === 'APPROVE' && random.chance(0.1);
        const region = action === 'ACCEPT' && mode === 'FULL_ONLINE' ? handlingRegion : ['ACCEPT', 'FORWARD', 'DELIVER'].includes(action) ? acceptingRegion : handlingRegion;
        if (mode === 'MULTI_SITE' && action === 'ACCEPT') {
          step(action, to, region, 'crossprovince-desk');
          // Parts are done when the application went further than acceptance.
          const partsDone = taken > 1;
          for (const partRegion of [...new Set([acceptingRegion, handlingRegion])]) {
            parts.push({ applicationId: id, region: partRegion, doneAt: partsDone ? at : null });
            if (partsDone) step('COMPLETE_PART', 'IN_PROGRESS', partRegion, 'crossprovince-desk');
          }
          status = partsDone ? 'PARTS_DONE' : 'IN_PROGRESS';
          continue;
        }
        status = rejected ? 'REJECTED' : to;
        step(rejected ? 'REJECT' : action, status, region, 'crossprovince-desk');
        if (rejected) break;
      }
    }
    rows.push({
      id,
      itemCode: item.code,
      applicant,
      enterprise: enterprise?.creditCode ?? null,
      status,
      mode,
      acceptingRegion,
      handlingRegion,
      submittedAt,
      clerkNotes: random.pick(CLERK_NOTES),
      form: '[]',
      preReview: '[]',
      submittedBy: null,
      idempotencyKey: null,
      issuedCertificate: null,
    });
  }
  return { rows, timeline, parts };
}

export async function seed(store: ServiceHallStore, world: World): Promise<void> {
  const { rows, timeline, parts } = buildApplications(world);
  await store.insertApplications(rows, timeline, parts);
}
