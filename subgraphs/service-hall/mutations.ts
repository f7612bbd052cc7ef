/**
 * Submitting an application (一网通办: prefill and pre-review through the graph) and taking it through its
 * mode's workflow (跨省通办). Invalid input is BAD_USER_INPUT and writes nothing.
 */
import { GraphQLError } from 'graphql';
import type { DepartmentContext } from '../kit/department';
import type { GatewayClient } from '../kit/gateway-client';
import { serviceItem, type ServiceMode } from './catalogue';
import { preReview, prefillQuery, prefilledForm, type PrefillData } from './pre-review';
import type { ApplicationRow, ServiceHallStore } from './store';
import { allowedActions, findStep, type ApplicationAction } from './workflow';

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
}

/** The purpose the service hall's own contract grants its prefill reads under. */
export const PREFILL_PURPOSE = 'PREFILL';

const badInput = (message: string, argument = 'input') => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });

function nowInChina(): string {
  return `${new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

const actorOf = (caller: Caller) => (caller.operator ? `${caller.app}/${caller.operator}` : caller.app);

function validate(input: SubmitApplicationInput) {
  const item = serviceItem(input.itemCode);
  if (!item) throw badInput(`There is no service item ${input.itemCode}.`);
  if (!item.modes.includes(input.mode)) throw badInput(`${item.name} is handled ${item.modes.join(' or ')}, not ${input.mode}.`);
  if (item.concernsEnterprise && !input.enterprise) throw badInput(`${item.name} concerns an enterprise: give its credit code.`);
  if (!/^[A-Za-z0-9._:-]{1,64}$/.test(input.idempotencyKey)) throw badInput('The idempotency key must be 1 to 64 letters, digits or . _ : -');
  const form = input.form ?? [];
  if (form.length > 30 || form.some((f) => !/^[A-Za-z][A-Za-z0-9_]{0,31}$/.test(f.key) || f.value.length > 200)) {
    throw badInput('The form takes at most 30 fields, each a short key and a value of at most 200 characters.');
  }
  if (item.requiredData.includes('Query.enterpriseByName') && !form.some((f) => f.key === 'enterpriseName' && f.value.trim())) {
    throw badInput(`${item.name} needs the proposed name in the form field enterpriseName.`);
  }
  return { item, form };
}

export async function submitApplication(store: ServiceHallStore, gateway: GatewayClient, caller: Caller, input: SubmitApplicationInput): Promise<ApplicationRow> {
  const { item, form } = validate(input);
  if (caller.operator && caller.operator !== input.applicant) {
    throw new GraphQLError('Forbidden: an app acting for a citizen may only apply for that citizen.', { extensions: { code: 'FORBIDDEN' } });
  }
  const existing = await store.findByIdempotencyKey(caller.app, input.idempotencyKey);
  if (existing) return existing;

  const submittedAt = nowInChina();
  const id = await store.nextApplicationId(submittedAt.slice(0, 10), input.acceptingRegion);
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
    }],
    [{ applicationId: id, at: submittedAt, action: 'SUBMIT', status: 'SUBMITTED', region: input.acceptingRegion, actor: actorOf(caller), note: null }],
  );

  // Prefill through the graph, as the service hall's own app, with this application as the case.
  const enterpriseName = form.find((f) => f.key === 'enterpriseName')?.value.trim();
  let reply;
  try {
    reply = await gateway<PrefillData>(prefillQuery(item), { applicant: input.applicant, ...(enterpriseName && { name: enterpriseName }) }, {
      purpose: PREFILL_PURPOSE,
      caseId: id,
      parentRequestId: caller.requestId,
    });
  } catch {
    reply = undefined;
  }
  if (!reply?.data) {
    await store.addTimeline({ applicationId: id, at: nowInChina(), action: 'PRE_REVIEW', status: 'SUBMITTED', region: null, actor: 'service-hall', note: 'pre-review pending: the departments could not be read' });
    return (await store.applicationsById([id]))[0]!;
  }
  const checks = preReview(item, reply.data, { handlingRegion: input.handlingRegion, enterprise: input.enterprise ?? null });
  const failed = checks.filter((c) => !c.passed);
  const status = failed.length === 0 ? 'PRE_REVIEWED' : 'RETURNED';
  await store.updateApplication(id, { status, preReview: JSON.stringify(checks), form: JSON.stringify(prefilledForm(reply.data, form)) });
  await store.addTimeline({
    applicationId: id,
    at: nowInChina(),
    action: 'PRE_REVIEW',
    status,
    region: null,
    actor: 'service-hall',
    note: failed.length ? `returned: ${failed.map((c) => c.description).join('; ')}` : null,
  });
  return (await store.applicationsById([id]))[0]!;
}

export async function advanceApplication(store: ServiceHallStore, caller: Caller, id: string, action: ApplicationAction, note?: string | null): Promise<ApplicationRow> {
  const [application] = await store.applicationsById([id]);
  if (!application) throw badInput(`There is no application ${id}.`, 'id');
  if (note && note.length > 200) throw badInput('The note may be at most 200 characters.', 'note');
  const regions = caller.regions ?? [];
  if (regions.length === 0) throw badInput("The caller's token names no region: a desk acts for the region it serves.", 'action');
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
  await store.updateApplication(id, { status });
  await store.addTimeline({ applicationId: id, at, action, status, region: step.region, actor: actorOf(caller), note: note ?? null });
  return (await store.applicationsById([id]))[0]!;
}
