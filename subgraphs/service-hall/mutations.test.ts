/**
 * The service hall's side of submission, over a real (in-memory) store: an application whose prefill
 * could not be read is never answered with its empty form, and the same key finishes it; keys are per
 * caller; stored timelines lose the operators older versions wrote into them.
 */
import { sql, type Kysely } from 'kysely';
import type { Caller } from '../../contracts/caller';
import { creditCodeProblem, openDatabase, type GatewayClient } from '@govgraph/department-kit';
import { advanceApplication, requestManualReview, submitApplication, type SubmitApplicationInput } from './mutations';
import type { PrefillData } from './pre-review';
import { createServiceHallStore, type ServiceHallDatabase, type ServiceHallStore } from './store';

const APPLICANT = '110101199003070011';
const caller: Caller = { app: 'oneservice-portal', operator: APPLICANT, purpose: 'SELF_SERVICE', requestId: 'r' };
const input: SubmitApplicationInput = { itemCode: 'ZW-DZZZ-007', applicant: APPLICANT, mode: 'FULL_ONLINE', acceptingRegion: '440106', handlingRegion: '440106', idempotencyKey: 'k1' };
/** What 企业开办's applicant fills in. */
const FOUNDING_FORM = [{ key: 'enterpriseName', value: '广州新辰云海科技有限公司' }, { key: 'registeredCapital', value: '100' }, { key: 'businessScope', value: '软件开发' }, { key: 'enterpriseAddress', value: '广州市天河区体育西路1号' }];
const ID_CARD = { kind: 'RESIDENT_ID_CARD' as const, number: 'SF110101200600000001' };
const prefill: PrefillData = {
  person: {
    name: '王芳', gender: 'FEMALE', birthDate: '1990-03-07', household: { address: '北京市东城区', regionCode: '110101' },
    certificates: [{ ...ID_CARD, status: 'VALID', holderKey: APPLICANT, representativeKey: null }],
  },
};

let db: Kysely<ServiceHallDatabase>;
let store: ServiceHallStore;

beforeEach(async () => {
  db = openDatabase<ServiceHallDatabase>({ location: { kind: 'sqlite', file: ':memory:' } });
  store = createServiceHallStore(db);
  await store.migrate();
});
afterEach(() => db.destroy());

/** Steps that read nothing through the gateway. */
const noGateway: GatewayClient = async () => {
  throw new Error('this step reads nothing through the gateway');
};

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
  await expect(advanceApplication(store, noGateway, desk(['44', '440106']), application.id, 'ACCEPT')).rejects.toMatchObject(refusal(application.id));
  await expect(advanceApplication(store, noGateway, desk(['44', '440106']), '20260101440105999999', 'ACCEPT')).rejects.toMatchObject(refusal('20260101440105999999'));
  expect((await advanceApplication(store, noGateway, desk(['44', '440105']), application.id, 'ACCEPT')).status).toBe('ACCEPTED');
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
      { action: 'APPROVE', status: 'APPROVED', actor: 'rules', basis: { checks: ['IDENTITY', 'NOT_MARRIED', 'CERTIFICATE_RESIDENT_ID_CARD'], certificates: [ID_CARD] } },
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
    expect((await advanceApplication(store, noGateway, desk, kept.id, 'ACCEPT')).status).toBe('ACCEPTED');
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
    expect((await advanceApplication(store, noGateway, desk, delivered.id, 'DELIVER')).status).toBe('DELIVERED');
    await expect(requestManualReview(store, caller, delivered.id)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  test('an approval a person gave cannot be put to a person again', async () => {
    const manual = await submitApplication(store, gatewayAnswering({ data: prefill }), caller, input);
    for (const action of ['ACCEPT', 'REVIEW', 'APPROVE'] as const) await advanceApplication(store, noGateway, desk, manual.id, action);
    await expect(requestManualReview(store, caller, manual.id)).rejects.toMatchObject({ message: expect.stringMatching(/is APPROVED: only an approval by the rules/) });
  });
});

test('a database from before 秒批: its timeline gains the decision basis', async () => {
  await db.schema.alterTable('timeline').dropColumn('basis').execute();
  await store.migrate();
  const approved = await submitApplication(store, gatewayAnswering({ data: { person: { ...prefill.person!, maritalStatus: 'SINGLE' } } }), caller, { ...input, itemCode: 'MZ-HYYY-005' });
  expect(JSON.parse((await store.timelinesOf([approved.id])).at(-1)!.basis!)).toEqual({ checks: ['IDENTITY', 'NOT_MARRIED', 'CERTIFICATE_RESIDENT_ID_CARD'], certificates: [ID_CARD] });
});

describe('免提交: a required certificate is relied on only when its holder holds it and it is VALID', () => {
  const booking: SubmitApplicationInput = { ...input, itemCode: 'MZ-HYYY-005', idempotencyKey: 'materials' };
  const withCards = (certificates: NonNullable<PrefillData['person']>['certificates']): PrefillData => ({ person: { ...prefill.person!, maritalStatus: 'SINGLE', certificates } });
  const checkOf = async (data: PrefillData) => {
    const application = await submitApplication(store, gatewayAnswering({ data }), caller, booking);
    return { status: application.status, check: (JSON.parse(application.preReview) as Array<{ code: string }>).find((c) => c.code === 'CERTIFICATE_RESIDENT_ID_CARD') };
  };

  test.each([
    ['none held', [], 'MISSING', undefined],
    ['revoked', [{ ...ID_CARD, status: 'REVOKED' as const, holderKey: APPLICANT, representativeKey: null }], 'REVOKED', ID_CARD],
    ['expired', [{ ...ID_CARD, status: 'EXPIRED' as const, holderKey: APPLICANT, representativeKey: null }], 'EXPIRED', ID_CARD],
    // Another's card is not the applicant's to rely on, nor to be shown: its number stays out of the application.
    ["another's only", [{ ...ID_CARD, status: 'VALID' as const, holderKey: '440106198506150022', representativeKey: null }], 'MISSING', undefined],
  ])('%s: the check fails naming why, and the rules approve nothing', async (_name, certificates, problem, certificate) => {
    const { status, check } = await checkOf(withCards(certificates));
    expect(status).toBe('RETURNED');
    expect(check).toEqual({ code: 'CERTIFICATE_RESIDENT_ID_CARD', description: expect.stringContaining('居民身份证'), passed: false, relied: expect.arrayContaining(['Person.certificates']), problem, ...(certificate && { certificate }) });
  });

  test('of a revoked card and its valid replacement, the valid one is relied on', async () => {
    const replaced = { kind: 'RESIDENT_ID_CARD' as const, number: 'SF110101201600000002', status: 'REVOKED' as const, holderKey: APPLICANT, representativeKey: null };
    const { status, check } = await checkOf(withCards([replaced, { ...ID_CARD, status: 'VALID', holderKey: APPLICANT, representativeKey: null }]));
    expect(status).toBe('APPROVED');
    expect(check).toMatchObject({ passed: true, certificate: ID_CARD });
  });
});

describe("the pre-review relays only what the applicant could read: an enterprise's licence counts when it names them", () => {
  const FIRM = '91440106MA59TY8T2X';
  const OTHER = '440106198506150022';
  const change: SubmitApplicationInput = { ...input, itemCode: 'SC-ZZBG-003', enterprise: FIRM, idempotencyKey: 'change', manualReview: true };
  const licence = (number: string, status: 'VALID' | 'REVOKED', representativeKey: string) => ({ kind: 'BUSINESS_LICENCE' as const, number, status, holderKey: FIRM, representativeKey });
  const checkOf = async (certificates: ReturnType<typeof licence>[]) => {
    const data: PrefillData = { person: { ...prefill.person!, enterprises: [{ creditCode: FIRM, status: 'ACTIVE', certificates }] } };
    const application = await submitApplication(store, gatewayAnswering({ data }), caller, change);
    return (JSON.parse(application.preReview) as Array<{ code: string }>).find((c) => c.code === 'CERTIFICATE_BUSINESS_LICENCE');
  };

  test("the firm's valid licence naming another representative is neither relied on nor named, even beside the applicant's revoked one", async () => {
    const check = await checkOf([licence('YZ440106202600000002', 'VALID', OTHER), licence('YZ440106201400000001', 'REVOKED', APPLICANT)]);
    expect(check).toEqual({ code: 'CERTIFICATE_BUSINESS_LICENCE', description: '该企业的营业执照不属于申请人', passed: false, relied: expect.arrayContaining(['Certificate.representativeKey']), problem: 'HELD_BY_ANOTHER' });
  });

  test('the licence naming the applicant is relied on', async () => {
    const check = await checkOf([licence('YZ440106202600000002', 'VALID', APPLICANT)]);
    expect(check).toMatchObject({ passed: true, certificate: { kind: 'BUSINESS_LICENCE', number: 'YZ440106202600000002' } });
  });
});

describe('颁证送达: delivery issues the certificate, or delivers nothing', () => {
  const desk: Caller = { app: 'crossprovince-desk', purpose: 'CASE_QUEUE', regions: ['440106'], requestId: 'r' };
  const founding: SubmitApplicationInput = {
    ...input,
    itemCode: 'SC-QYKB-001',
    idempotencyKey: 'founding',
    form: FOUNDING_FORM,
  };

  async function approvedFounding() {
    const submitted = await submitApplication(store, gatewayAnswering({ data: { ...prefill, taken: null } }), caller, founding);
    for (const action of ['ACCEPT', 'REVIEW', 'APPROVE'] as const) await advanceApplication(store, noGateway, desk, submitted.id, action);
    return (await store.applicationsById([submitted.id]))[0]!;
  }

  test('approval assigns the new enterprise a valid credit code of the handling region', async () => {
    const approved = await approvedFounding();
    expect(approved.enterprise).toMatch(/^91440106MA/);
    expect(creditCodeProblem(approved.enterprise!)).toBeNull();
  });

  test('a database from before 颁证送达 gains the issued certificate', async () => {
    await db.schema.alterTable('application').dropColumn('issuedCertificate').execute();
    await store.migrate();
    const approved = await approvedFounding();
    const licence = { kind: 'BUSINESS_LICENCE', number: 'YZ44010620260000000001' };
    expect(await advanceApplication(store, gatewayAnswering({ data: { issueCertificate: licence } }), desk, approved.id, 'DELIVER')).toMatchObject({ issuedCertificate: JSON.stringify(licence) });
  });

  test('the library cannot issue: nothing is delivered, and delivering again issues and delivers', async () => {
    const approved = await approvedFounding();
    const down = gatewayAnswering({ errors: [{ message: 'The certificate library is unavailable.', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] });
    await expect(advanceApplication(store, down, desk, approved.id, 'DELIVER')).rejects.toMatchObject({
      message: `Application ${approved.id} was not delivered: its certificate could not be issued (SUBGRAPH_UNAVAILABLE). Nothing changed: deliver it again.`,
      extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
    });
    expect((await store.applicationsById([approved.id]))[0]).toMatchObject({ status: 'APPROVED', issuedCertificate: null });
    expect((await store.timelinesOf([approved.id])).map((t) => t.action)).not.toContain('DELIVER');

    const licence = { kind: 'BUSINESS_LICENCE', number: 'YZ44010620260000000001' };
    const delivered = await advanceApplication(store, gatewayAnswering({ data: { issueCertificate: licence } }), desk, approved.id, 'DELIVER');
    expect(delivered).toMatchObject({ status: 'DELIVERED', issuedCertificate: JSON.stringify(licence) });
  });
});

describe('an enterprise is named exactly when the item concerns an existing one', () => {
  test('a founding (企业开办) naming an enterprise is refused and nothing is written', async () => {
    const founding: SubmitApplicationInput = { ...input, itemCode: 'SC-QYKB-001', enterprise: '91440106MA59TY8T2X', form: FOUNDING_FORM };
    await expect(submitApplication(store, noGateway, caller, founding)).rejects.toMatchObject({
      message: '企业开办 concerns no existing enterprise: give no enterprise (the one it founds is assigned its credit code on approval).',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await expect(submitApplication(store, noGateway, caller, { ...input, enterprise: '91440106MA59TY8T2X' })).rejects.toMatchObject({ message: '电子证照签发 concerns no existing enterprise: give no enterprise.' });
    expect(await store.applicationsOfApplicants([APPLICANT])).toEqual([]);
  });

  test("approving a founding assigns its enterprise's credit code whatever the row held", async () => {
    const desk: Caller = { app: 'crossprovince-desk', purpose: 'CASE_QUEUE', regions: ['440106'], requestId: 'r' };
    const founding: SubmitApplicationInput = { ...input, itemCode: 'SC-QYKB-001', form: FOUNDING_FORM };
    const submitted = await submitApplication(store, gatewayAnswering({ data: { ...prefill, taken: null } }), caller, founding);
    // As a row written before the rule was: a founding that carries an existing enterprise.
    await store.updateApplication(submitted.id, { enterprise: '91440106MA59TY8T2X' });
    for (const action of ['ACCEPT', 'REVIEW', 'APPROVE'] as const) await advanceApplication(store, noGateway, desk, submitted.id, action);
    const [approved] = await store.applicationsById([submitted.id]);
    expect(approved!.enterprise).toMatch(/^91440106MA/);
    expect(approved!.enterprise).not.toBe('91440106MA59TY8T2X');
  });
});
