/**
 * The service hall's side of submission, over a real (in-memory) store: an application whose prefill
 * could not be read is never answered with its empty form, and the same key finishes it; keys are per
 * caller; stored timelines lose the operators older versions wrote into them.
 */
import { sql, type Kysely } from 'kysely';
import type { Caller } from '../../contracts/caller';
import { openDatabase, type GatewayClient } from '@govgraph/department-kit';
import { advanceApplication, submitApplication, type SubmitApplicationInput } from './mutations';
import type { PrefillData } from './pre-review';
import { createServiceHallStore, type ServiceHallDatabase, type ServiceHallStore } from './store';

const APPLICANT = '110101199003070011';
const caller: Caller = { app: 'oneservice-portal', operator: APPLICANT, purpose: 'SELF_SERVICE', requestId: 'r' };
const input: SubmitApplicationInput = { itemCode: 'ZW-DZZZ-007', applicant: APPLICANT, mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey: 'k1' };
const prefill: PrefillData = { person: { name: '王芳', gender: 'FEMALE', birthDate: '1990-03-07', household: { address: '北京市东城区', regionCode: '110101' } } };

let db: Kysely<ServiceHallDatabase>;
let store: ServiceHallStore;

beforeEach(async () => {
  db = openDatabase<ServiceHallDatabase>({ location: { kind: 'sqlite', file: ':memory:' } });
  store = createServiceHallStore(db);
  await store.migrate();
});
afterEach(() => db.destroy());

/** The gateway as the service hall sees it: the departments' answers, in turn. */
function gatewayAnswering(...answers: Array<Awaited<ReturnType<GatewayClient>>>): GatewayClient {
  return async <T>() => answers.shift() as { data?: T | null };
}

test('an application whose prefill could not be read is not answered with its empty form; the same key finishes it', async () => {
  const gateway = gatewayAnswering({ errors: [{ message: 'The audit trail cannot be written.', extensions: { code: 'AUDIT_UNAVAILABLE' } }] }, { data: prefill });
  await expect(submitApplication(store, gateway, caller, input)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
  const [stuck] = await store.applicationsOfApplicants([APPLICANT]);
  expect(stuck).toMatchObject({ status: 'SUBMITTED', form: '[]' });

  const finished = await submitApplication(store, gateway, caller, input);
  expect(finished.id).toBe(stuck!.id);
  expect(finished.status).toBe('PRE_REVIEWED');
  expect(JSON.parse(finished.form)).toContainEqual({ key: 'name', value: '王芳', source: 'public-security' });
  expect(await store.applicationsOfApplicants([APPLICANT])).toHaveLength(1);
});

test('a department that did not answer is not taken for a person who does not exist', async () => {
  const gateway = gatewayAnswering({ data: { person: null }, errors: [{ message: 'The public-security department did not answer.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
  await expect(submitApplication(store, gateway, caller, input)).rejects.toMatchObject({ extensions: { code: 'SUBGRAPH_UNAVAILABLE' } });
  expect((await store.applicationsOfApplicants([APPLICANT]))[0]!.status).toBe('SUBMITTED');
});

test('only a caller acting for the applicant submits, and nothing is written otherwise', async () => {
  const gateway = gatewayAnswering({ data: prefill });
  const others: Caller[] = [
    { app: 'oneservice-portal', purpose: 'SELF_SERVICE', requestId: 'r' },
    { ...caller, operator: '440106198506150022' },
    { app: 'crossprovince-desk', region: '440106', regions: ['440106'], requestId: 'r' },
  ];
  for (const other of others) await expect(submitApplication(store, gateway, other, input)).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
  expect(await store.applicationsOfApplicants([APPLICANT])).toHaveLength(0);
});

test('a database from before: keys become per caller, and operators leave the timeline', async () => {
  await db.schema.dropIndex('application_idempotency_per_caller').execute();
  await db.schema.createIndex('application_idempotency').unique().on('application').columns(['submittedBy', 'idempotencyKey']).execute();
  await sql`insert into timeline (applicationId, at, action, status, region, actor, note) values ('a1', '2026-01-01T09:00:00+08:00', 'SUBMIT', 'SUBMITTED', '440106', ${`oneservice-portal/${APPLICANT}`}, null)`.execute(db);
  await store.migrate();
  expect((await store.timelinesOf(['a1']))[0]!.actor).toBe('oneservice-portal');
  const other = '440106198506150022';
  const gateway = gatewayAnswering({ data: prefill }, { data: prefill });
  const mine = await submitApplication(store, gateway, caller, input);
  const hers = await submitApplication(store, gateway, { ...caller, operator: other }, { ...input, applicant: other });
  expect(hers.id).not.toBe(mine.id);
  expect(hers.applicant).toBe(other);
});

test("a desk acts only where all its regions hold, and elsewhere is answered as if there were nothing", async () => {
  const application = await submitApplication(store, gatewayAnswering({ data: prefill }), caller, { ...input, acceptingRegion: '440105', handlingRegion: '440105' });
  const desk = (regions: string[]): Caller => ({ app: 'crossprovince-desk', purpose: 'CASE_QUEUE', regions, requestId: 'r' });
  const refusal = (id: string) => ({ message: `Forbidden: no application ${id} is within the caller's reach.`, extensions: { code: 'FORBIDDEN', argument: 'id' } });
  await expect(advanceApplication(store, desk(['44', '440106']), application.id, 'ACCEPT')).rejects.toMatchObject(refusal(application.id));
  await expect(advanceApplication(store, desk(['44', '440106']), '20260101440105999999', 'ACCEPT')).rejects.toMatchObject(refusal('20260101440105999999'));
  expect((await advanceApplication(store, desk(['44', '440105']), application.id, 'ACCEPT')).status).toBe('ACCEPTED');
});
