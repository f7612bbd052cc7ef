/** 秒批 as a rule over the catalogue, the checks and the mode, without a store; and the seeded world keeps to it. */
import { buildWorld } from '@govgraph/department-kit';
import { manualReviewRequested, rulesDecision } from './automatic-approval';
import { SERVICE_ITEMS, serviceItem } from './catalogue';
import type { Check } from './pre-review';
import { buildApplications } from './seed';

const passed = (code: string, extra: Partial<Check> = {}): Check => ({ code, description: code, passed: true, relied: ['Query.person'], ...extra });
const booking = serviceItem('MZ-HYYY-005')!;
const home = { mode: 'FULL_ONLINE' as const, handlingRegion: '440106' };

test('the catalogue: two items the records settle are automatic, the rest go to a person', () => {
  expect(SERVICE_ITEMS.filter((item) => item.automaticApproval).map((item) => item.code)).toEqual(['SC-GTDJ-002', 'MZ-HYYY-005']);
});

test('every check passed: approved for the handling region, on those checks and the certificates they found', () => {
  const licence = { kind: 'BUSINESS_LICENCE' as const, number: 'GS4401062026000123' };
  expect(rulesDecision(booking, { mode: 'PROXY', handlingRegion: '510104' }, [passed('IDENTITY'), passed('LICENCE_HELD', { certificate: licence })], false)).toEqual({
    status: 'APPROVED',
    region: '510104',
    basis: { checks: ['IDENTITY', 'LICENCE_HELD'], certificates: [licence] },
  });
});

test.each<[string, Parameters<typeof rulesDecision>]>([
  ['a check failed', [booking, home, [passed('IDENTITY'), { ...passed('NOT_MARRIED'), passed: false }], false]],
  ['the applicant asked for a person', [booking, home, [passed('IDENTITY')], true]],
  ['the item is not automatic', [serviceItem('ZW-DZZZ-007')!, home, [passed('IDENTITY')], false]],
  ['multi-site handling waits for the part of every region', [{ ...serviceItem('GA-HKQY-006')!, automaticApproval: true }, { mode: 'MULTI_SITE', handlingRegion: '440106' }, [passed('IDENTITY')], false]],
])('no decision by the rules when %s', (_name, args) => {
  expect(rulesDecision(...args)).toBeUndefined();
});

test('the seeded world: an automatic item that passed its pre-review went to a person because its applicant asked', () => {
  const { rows, timeline } = buildApplications(buildWorld({ persons: 400, enterprises: 60, applications: 300, cityEvents: 0 }));
  const automatic = rows.filter((row) => serviceItem(row.itemCode)!.automaticApproval && row.status !== 'RETURNED');
  expect(automatic.length).toBeGreaterThan(10);
  for (const row of automatic) expect(manualReviewRequested(timeline.filter((entry) => entry.applicationId === row.id))).toBe(true);
  expect(timeline.filter((entry) => entry.actor === 'rules')).toEqual([]);
});
