import { join } from 'node:path';
import { loadPlatform } from '../contracts/load-contracts';
import type { Platform } from '../contracts/platform-schema';
import { createCaseLookup, type RunOperation } from './case-lookup';

const platform = loadPlatform(join(__dirname, '..', 'contracts', 'platform.yaml')).platform!;
const caller = { app: 'crossprovince-desk', purpose: 'PRE_REVIEW', caseId: 'SQ-2026-0001', requestId: 'r-1' };

/** The platform's case query answered with this result; the calls it received. */
function answering(result: Awaited<ReturnType<RunOperation>>) {
  const calls: Parameters<RunOperation>[] = [];
  const run: RunOperation = async (...args) => {
    calls.push(args);
    return result;
  };
  return { run, calls };
}

const openCase = {
  id: 'SQ-2026-0001',
  status: 'SUBMITTED',
  applicant: { idNumber: '11010519491231002X' },
  enterprise: { creditCode: '91350100M000100Y43', branches: [{ creditCode: '91350100M000101W3A' }, { creditCode: 7 }] },
};

test('an open case names the subjects it concerns, looked up as the platform app for the request it serves', async () => {
  const { run, calls } = answering({ data: { case: openCase } });
  const found = await createCaseLookup(platform, run)(caller);
  expect(found).toEqual({ id: 'SQ-2026-0001', subjects: new Set(['11010519491231002X', '91350100M000100Y43', '91350100M000101W3A']) });
  expect(calls).toEqual([[platform.cases!.query, { id: 'SQ-2026-0001' }, { app: platform.cases!.app, purpose: platform.cases!.purpose }, 'r-1']]);
});

test.each(platform.cases!.openStatuses)('status %s is open', async (status) => {
  const { run } = answering({ data: { case: { ...openCase, status } } });
  await expect(createCaseLookup(platform, run)(caller)).resolves.toMatchObject({ id: 'SQ-2026-0001' });
});

test.each([['COMPLETED'], ['REJECTED'], ['submitted'], [null], [3]])('status %p is closed', async (status) => {
  const { run } = answering({ data: { case: { ...openCase, status } } });
  await expect(createCaseLookup(platform, run)(caller)).resolves.toBe('case SQ-2026-0001 is not an open case');
});

test('a case that does not exist reads like a closed one; one that could not be checked says so', async () => {
  await expect(createCaseLookup(platform, answering({ data: { case: null } }).run)(caller)).resolves.toBe('case SQ-2026-0001 is not an open case');
  await expect(createCaseLookup(platform, answering({ data: null }).run)(caller)).resolves.toBe('case SQ-2026-0001 is not an open case');
  await expect(createCaseLookup(platform, answering({ data: null, errors: [{ message: 'down' }] }).run)(caller)).resolves.toBe('case SQ-2026-0001 could not be checked');
  await expect(createCaseLookup(platform, answering({ data: { case: null }, errors: [] }).run)(caller)).resolves.toBe('case SQ-2026-0001 is not an open case');
});

test('no case named, or no cases in the deployment, looks nothing up', async () => {
  const { run, calls } = answering({ data: { case: openCase } });
  const { caseId: _, ...withoutCase } = caller;
  await expect(createCaseLookup(platform, run)(withoutCase)).resolves.toBe('no case was named');
  const { cases: _cases, ...noCases } = platform;
  await expect(createCaseLookup(noCases as Platform, run)(caller)).resolves.toBe('this deployment defines no cases');
  expect(calls).toEqual([]);
});

test("a case with no enterprise (a citizen's own application) concerns its applicant alone", async () => {
  const { run } = answering({ data: { case: { ...openCase, enterprise: null } } });
  await expect(createCaseLookup(platform, run)(caller)).resolves.toEqual({ id: 'SQ-2026-0001', subjects: new Set(['11010519491231002X']) });
});
