/**
 * The service hall's side of submission, over a real (in-memory) store: an application whose prefill
 * could not be read is never answered with its empty form, and the same key finishes it; keys are per
 * caller; stored timelines lose the operators older versions wrote into them.
 */
import { sql, type Kysely } from 'kysely';
import type { Caller } from '../../contracts/caller';
import { openDatabase, type GatewayClient } from '@govgraph/department-kit';
import { advanceApplication, requestManualReview, submitApplication, type SubmitApplicationInput } from './mutations';
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

describe('秒批: an automatic item is approved by its rules when every check passes, unless a person is asked for', () => {
  const booking: SubmitApplicationInput = { ...input, itemCode: 'MZ-HYYY-005', idempotencyKey: 'booking' };
  const single: PrefillData = { person: { ...prefill.person!, maritalStatus: 'SINGLE' } };
  const desk: Caller = { app: 'crossprovince-desk', purpose: 'CASE_QUEUE', regions: ['440106'], requestId: 'r' };
  const timelineOf = async (id: string) => (await store.timelinesOf([id])).map((t) => ({ action: t.action, status: t.status, actor: t.actor, basis: t.basis && JSON.parse(t.basis) }));

  test('every check passed: APPROVED at once by the rules, for the handling region, naming the checks', async () => {
    const approved = await submitApplication(store, gatewayAnswering({ data: single }), caller, booking);
    expect(approved.status).toBe('APPROVED');
    expect(await timelineOf(approved.id)).toEqual([
      { action: 'SUBMIT', status: 'SUBMITTED', actor: 'oneservice-portal', basis: null },
      { action: 'PRE_REVIEW', status: 'PRE_REVIEWED', actor: 'service-hall', basis: null },
      { action: 'APPROVE', status: 'APPROVED', actor: 'rules', basis: { checks: ['IDENTITY', 'NOT_MARRIED'], certificates: [] } },
    ]);
    expect((await store.timelinesOf([approved.id])).at(-1)!.region).toBe('440106');
  });

  test('a check failed: returned as any application is, and the rules decide nothing', async () => {
    const married: PrefillData = { person: { ...prefill.person!, maritalStatus: 'MARRIED' } };
    const returned = await submitApplication(store, gatewayAnswering({ data: married }), caller, booking);
    expect(returned.status).toBe('RETURNED');
    expect((await timelineOf(returned.id)).map((t) => t.action)).toEqual(['SUBMIT', 'PRE_REVIEW']);
  });

  test('manualReview at submission: pre-reviewed for a person, the request in the timeline', async () => {
    const kept = await submitApplication(store, gatewayAnswering({ data: single }), caller, { ...booking, manualReview: true });
    expect(kept.status).toBe('PRE_REVIEWED');
    expect((await timelineOf(kept.id)).map((t) => t.action)).toEqual(['SUBMIT', 'REQUEST_MANUAL_REVIEW', 'PRE_REVIEW']);
    expect((await advanceApplication(store, desk, kept.id, 'ACCEPT')).status).toBe('ACCEPTED');
  });

  test('an item a person decides ignores the flag: nothing to decline', async () => {
    const manual = await submitApplication(store, gatewayAnswering({ data: prefill }), caller, { ...input, manualReview: true });
    expect(manual.status).toBe('PRE_REVIEWED');
    expect((await timelineOf(manual.id)).map((t) => t.action)).toEqual(['SUBMIT', 'PRE_REVIEW']);
  });

  test('asked later: back to the desks until the approval is delivered, and only by the applicant', async () => {
    const approved = await submitApplication(store, gatewayAnswering({ data: single }), caller, booking);
    const other: Caller = { ...caller, operator: '440106198506150022' };
    const refusal = { message: `Forbidden: no application ${approved.id} is within the caller's reach.`, extensions: { code: 'FORBIDDEN', argument: 'id' } };
    await expect(requestManualReview(store, other, approved.id)).rejects.toMatchObject(refusal);
    await expect(requestManualReview(store, { ...caller, operator: undefined }, approved.id)).rejects.toMatchObject(refusal);

    const reopened = await requestManualReview(store, caller, approved.id);
    expect(reopened.status).toBe('PRE_REVIEWED');
    expect((await store.timelinesOf([approved.id])).at(-1)).toMatchObject({ action: 'REQUEST_MANUAL_REVIEW', status: 'PRE_REVIEWED', actor: 'oneservice-portal', region: null });
    await expect(requestManualReview(store, caller, approved.id)).rejects.toMatchObject({ message: expect.stringMatching(/is PRE_REVIEWED: only an approval by the rules/), extensions: { code: 'BAD_USER_INPUT' } });

    const delivered = await submitApplication(store, gatewayAnswering({ data: single }), caller, { ...booking, idempotencyKey: 'booking-2' });
    expect((await advanceApplication(store, desk, delivered.id, 'DELIVER')).status).toBe('DELIVERED');
    await expect(requestManualReview(store, caller, delivered.id)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  test('an approval a person gave cannot be put to a person again', async () => {
    const manual = await submitApplication(store, gatewayAnswering({ data: prefill }), caller, input);
    for (const action of ['ACCEPT', 'REVIEW', 'APPROVE'] as const) await advanceApplication(store, desk, manual.id, action);
    await expect(requestManualReview(store, caller, manual.id)).rejects.toMatchObject({ message: expect.stringMatching(/is APPROVED: only an approval by the rules/) });
  });
});

test('a database from before 秒批: its timeline gains the decision basis', async () => {
  await db.schema.alterTable('timeline').dropColumn('basis').execute();
  await store.migrate();
  const approved = await submitApplication(store, gatewayAnswering({ data: { person: { ...prefill.person!, maritalStatus: 'SINGLE' } } }), caller, { ...input, itemCode: 'MZ-HYYY-005' });
  expect(JSON.parse((await store.timelinesOf([approved.id])).at(-1)!.basis!)).toEqual({ checks: ['IDENTITY', 'NOT_MARRIED'], certificates: [] });
});
