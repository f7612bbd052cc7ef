/**
 * Submitting an application (一网通办: prefill and pre-review through the graph, then 秒批 where the item
 * allows), the applicant asking for a person instead, and taking it through its mode's workflow (跨省通办).
 * Invalid input is BAD_USER_INPUT and writes nothing.
 */
import { GraphQLError } from 'graphql';
import { outOfReach, type DepartmentContext, type GatewayClient } from '@govgraph/department-kit';
import { decidedByRulesUndelivered, MANUAL_REVIEW_ACTION, manualReviewRequested, RULES_ACTOR, rulesDecision } from './automatic-approval';
import { serviceItem, type ServiceMode } from './catalogue';
import { assignedCreditCode, foundsEnterprise, FOUNDING_FORM_FIELDS, issueOnDelivery } from './certificate-delivery';
import { preReview, prefillQuery, prefilledForm, type FormField, type PrefillData } from './pre-review';
import type { ApplicationRow, ServiceHallStore } from './store';
import { actsFor, allowedActions, awaitingAPerson, findStep, type ApplicationAction } from './workflow';

type Caller = DepartmentContext<unknown, unknown>['caller'];

export interface SubmitApplicationInput {
  itemCode: string;
  applicant: string;
  enterprise?: string | null;
  form?: Array<{ key: string; value: string }> | null;
  mode: ServiceMode;
  acceptingRegion: string;
  handlingRegion: string;
  idempotencyKey: string;
  /** 秒批 declined: a person decides even when the rules could approve at once. */
  manualReview?: boolean | null;
}

/** The purpose the service hall's own contract grants its prefill reads under. */
export const PREFILL_PURPOSE = 'PREFILL';

const badInput = (message: string, argument = 'input') => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });

function nowInChina(): string {
  return `${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** Who took a step, as the timeline shows it: the app. Its operator is in the audit trail, as a keyed HMAC only. */
const actorOf = (caller: Caller) => caller.app;

/**
 * An application is a case that opens its applicant's data (to the service hall's prefill, to the desks
 * that handle it): only the applicant opens it, through an app acting for them (the token's operator).
 * So no app can open a case on someone else and then read them under it.
 */
function assertActsForApplicant(caller: Caller, applicant: string): void {
  if (caller.operator !== applicant) {
    throw new GraphQLError('Forbidden: an application is submitted by its applicant: the token must name the applicant as its operator.', { extensions: { code: 'FORBIDDEN' } });
  }
}

function validate(input: SubmitApplicationInput) {
  const item = serviceItem(input.itemCode);
  if (!item) throw badInput(`There is no service item ${input.itemCode}.`);
  if (!item.modes.includes(input.mode)) throw badInput(`${item.name} is handled ${item.modes.join(' or ')}, not ${input.mode}.`);
  if (item.concernsEnterprise && !input.enterprise) throw badInput(`${item.name} concerns an enterprise: give its credit code.`);
  // An application opens the enterprise it names and a delivery issues to it: only an item about an existing one may name one.
  if (!item.concernsEnterprise && input.enterprise) {
    throw badInput(`${item.name} concerns no existing enterprise: give no enterprise${foundsEnterprise(item) ? ' (the one it founds is assigned its credit code on approval)' : ''}.`);
  }
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(input.idempotencyKey)) throw badInput('The idempotency key must be 1 to 64 letters, digits or . _ : -');
  const form = input.form ?? [];
  if (form.length > 30 || form.some((f) => !/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(f.key) || f.value.length > 200)) {
    throw badInput('The form takes at most 30 fields, each a short key and a value of at most 200 characters.');
  }
  if (item.requiredData.includes('Query.enterpriseByName') && !form.some((f) => f.key === 'enterpriseName' && f.value.trim())) {
    throw badInput(`${item.name} needs the proposed name in the form field enterpriseName.`);
  }
  if (foundsEnterprise(item)) {
    const missing = FOUNDING_FORM_FIELDS.filter((key) => !form.some((f) => f.key === key && f.value.trim()));
    if (missing.length > 0) throw badInput(`${item.name} needs, for the business licence, the form fields ${missing.join(', ')}.`);
    const capital = Number(form.find((f) => f.key === 'registeredCapital')!.value);
    if (!Number.isFinite(capital) || capital <= 0) throw badInput('registeredCapital is the registered capital in 万元: a positive number.');
  }
  return { item, form };
}

export async function submitApplication(store: ServiceHallStore, gateway: GatewayClient, caller: Caller, input: SubmitApplicationInput): Promise<ApplicationRow> {
  assertActsForApplicant(caller, input.applicant);
  const { item, form } = validate(input);
  const scope = { app: caller.app, applicant: input.applicant };
  const existing = await store.findByIdempotencyKey(scope, input.idempotencyKey);
  if (existing) return finishPreReview(store, gateway, caller, existing);

  const submittedAt = nowInChina();
  const id = await store.nextApplicationId(submittedAt.slice(0, 10), input.acceptingRegion);
  try {
    await store.insertApplications(
      [{
        id,
        itemCode: item.code,
        applicant: input.applicant,
        enterprise: input.enterprise ?? null,
        status: 'SUBMITTED',
        mode: input.mode,
        acceptingRegion: input.acceptingRegion,
        handlingRegion: input.handlingRegion,
        submittedAt,
        clerkNotes: '',
        form: JSON.stringify(form.map((f) => ({ ...f, source: 'APPLICANT' }))),
        preReview: '[]',
        submittedBy: caller.app,
        idempotencyKey: input.idempotencyKey,
        issuedCertificate: null,
      }],
      [
        { applicationId: id, at: submittedAt, action: 'SUBMIT', status: 'SUBMITTED', region: input.acceptingRegion, actor: actorOf(caller), note: null, basis: null },
        // Only where the rules could decide: elsewhere a person decides anyway, and there is nothing to decline.
        ...(input.manualReview && item.automaticApproval
          ? [{ applicationId: id, at: submittedAt, action: MANUAL_REVIEW_ACTION, status: 'SUBMITTED' as const, region: null, actor: actorOf(caller), note: null, basis: null }]
          : []),
      ],
    );
  } catch (error) {
    // The same caller sent the same key twice at once: the first insert won.
    const raced = await store.findByIdempotencyKey(scope, input.idempotencyKey);
    if (!raced) throw error;
    return finishPreReview(store, gateway, caller, raced);
  }
  return finishPreReview(store, gateway, caller, (await store.applicationsById([id]))[0]!);
}

/** The prefill could not be read: the application is kept, and the same key finishes it later. */
function preReviewPending(id: string): GraphQLError {
  return new GraphQLError(`Application ${id} is saved, but its prefill could not be read from the departments: send it again with the same idempotency key.`, {
    extensions: { code: 'SUBGRAPH_UNAVAILABLE' },
  });
}

/**
 * Prefill and pre-review a submitted application, unless done already. An application whose prefill
 * failed (the departments or the audit trail could not be read) stays SUBMITTED and is never answered
 * with its empty form: the caller is told to send it again, and the same key then finishes it here.
 */
async function finishPreReview(store: ServiceHallStore, gateway: GatewayClient, caller: Caller, application: ApplicationRow): Promise<ApplicationRow> {
  if (application.status !== 'SUBMITTED') return application;
  const item = serviceItem(application.itemCode)!;
  const form = (JSON.parse(application.form) as FormField[]).filter((f) => f.source === 'APPLICANT').map((f) => ({ key: f.key, value: f.value ?? '' }));
  // Prefill through the graph, as the service hall's own app, with this application as the case.
  const enterpriseName = form.find((f) => f.key === 'enterpriseName')?.value.trim();
  let reply;
  try {
    reply = await gateway<PrefillData>(prefillQuery(item), { applicant: application.applicant, ...(enterpriseName && { name: enterpriseName }) }, {
      purpose: PREFILL_PURPOSE,
      caseId: application.id,
      parentRequestId: caller.requestId,
    });
  } catch {
    reply = undefined;
  }
  const unread = reply?.errors?.some((e) => e.extensions?.code === 'SUBGRAPH_UNAVAILABLE' || e.extensions?.code === 'AUDIT_UNAVAILABLE');
  if (!reply?.data || unread) throw preReviewPending(application.id);
  const checks = preReview(item, reply.data, { applicant: application.applicant, handlingRegion: application.handlingRegion, enterprise: application.enterprise });
  const failed = checks.filter((c) => !c.passed);
  const status = failed.length === 0 ? 'PRE_REVIEWED' : 'RETURNED';
  const decision = item.automaticApproval ? rulesDecision(item, application, checks, manualReviewRequested(await store.timelinesOf([application.id]))) : undefined;
  await store.updateApplication(application.id, { status: decision?.status ?? status, preReview: JSON.stringify(checks), form: JSON.stringify(prefilledForm(reply.data, form)) });
  await store.addTimeline({
    applicationId: application.id,
    at: nowInChina(),
    action: 'PRE_REVIEW',
    status,
    region: null,
    actor: 'service-hall',
    note: failed.length ? `returned: ${failed.map((c) => c.description).join('; ')}` : null,
    basis: null,
  });
  if (decision) {
    await store.addTimeline({
      applicationId: application.id,
      at: nowInChina(),
      action: 'APPROVE',
      status: decision.status,
      region: decision.region,
      actor: RULES_ACTOR,
      note: 'approved by the rules (秒批): every pre-review check passed',
      basis: JSON.stringify(decision.basis),
    });
  }
  return (await store.applicationsById([application.id]))[0]!;
}

/**
 * The applicant has a person decide an application the rules approved, until that approval is delivered.
 * It goes back to where the desks' handling begins, its case open again, as if the rules had not decided.
 * Only the applicant may ask; for anyone else it is as if there were no such application.
 */
export async function requestManualReview(store: ServiceHallStore, caller: Caller, id: string): Promise<ApplicationRow> {
  const [application] = await store.applicationsById([id]);
  if (!application || !caller.operator || caller.operator !== application.applicant) throw outOfReach('application', id, 'id');
  if (!decidedByRulesUndelivered(application, await store.timelinesOf([id]))) {
    throw badInput(`Application ${id} is ${application.status}: only an approval by the rules (秒批) that is not yet delivered can be put to a person.`, 'id');
  }
  const status = awaitingAPerson(application.mode);
  // A desk may be delivering it at this moment: the move happens only if it is still the rules' approval.
  if (!(await store.moveStatus(id, application.status, status))) throw badInput(`Application ${id} has just moved on: its approval can no longer be put to a person.`, 'id');
  await store.addTimeline({ applicationId: id, at: nowInChina(), action: MANUAL_REVIEW_ACTION, status, region: null, actor: actorOf(caller), note: null, basis: null });
  return (await store.applicationsById([id]))[0]!;
}

/**
 * 跨省通办: the caller's region takes the next step. Approving a founding (企业开办) assigns the new
 * enterprise's credit code; delivering an item that produces a certificate issues it first (颁证送达), and
 * when it cannot be issued nothing is delivered and nothing changes: the desk delivers again later.
 */
export async function advanceApplication(store: ServiceHallStore, gateway: GatewayClient, caller: Caller, id: string, action: ApplicationAction, note?: string | null): Promise<ApplicationRow> {
  if (note && note.length > 200) throw badInput('The note may be at most 200 characters.', 'note');
  const regions = caller.regions ?? [];
  if (regions.length === 0) throw badInput("The caller's token names no region: a desk acts for the region it serves.", 'action');
  const [application] = await store.applicationsById([id]);
  // Outside the caller's regions is answered as if it did not exist: no status, mode or existence leaks.
  if (!application || (!actsFor(regions, application.acceptingRegion) && !actsFor(regions, application.handlingRegion))) throw outOfReach('application', id, 'id');
  const parts = await store.partsOf([id]);
  const state = { ...application, openParts: parts.filter((p) => p.doneAt === null).map((p) => p.region) };
  const step = findStep(state, action, regions);
  if (!step) {
    const allowed = allowedActions(state, regions);
    throw badInput(`${action} is not allowed now (status ${application.status}, mode ${application.mode}, your region ${regions.join(', ')}); allowed: ${allowed.length ? allowed.join(', ') : 'nothing'}.`, 'action');
  }
  const at = nowInChina();
  let status = step.to;
  if (application.mode === 'MULTI_SITE' && action === 'ACCEPT') {
    await store.addParts([...new Set([application.acceptingRegion, application.handlingRegion])].map((region) => ({ applicationId: id, region, doneAt: null })));
  }
  if (action === 'COMPLETE_PART') {
    await store.completePart(id, step.region, at);
    if (state.openParts.length === 1) status = 'PARTS_DONE';
  }
  const item = serviceItem(application.itemCode)!;
  if (action === 'DELIVER' && item.issuesCertificate) {
    const issued = await issueOnDelivery(gateway, item, application, caller.requestId);
    // Another desk may have delivered it meanwhile: then this step is refused like any step out of turn.
    if (!(await store.moveStatus(id, application.status, status, { issuedCertificate: JSON.stringify(issued) }))) {
      throw badInput(`Application ${id} has just moved on: it was delivered by another step.`, 'action');
    }
  } else {
    // A founding's enterprise is always the one it founds, whatever the row says.
    const founded = action === 'APPROVE' && foundsEnterprise(item) ? { enterprise: assignedCreditCode(id, application.handlingRegion) } : {};
    await store.updateApplication(id, { status, ...founded });
  }
  await store.addTimeline({ applicationId: id, at, action, status, region: step.region, actor: actorOf(caller), note: note ?? null, basis: null });
  return (await store.applicationsById([id]))[0]!;
}
