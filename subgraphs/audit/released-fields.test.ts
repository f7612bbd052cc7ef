/** Which fields a record's request released, as the trail serves it to auditors. */
import type { AuditRecord } from '../../audit/audit-record';
import { releasedFields } from './trail-resolvers';

const asked = ['Enterprise.name', 'Enterprise.legalRepresentative', 'Person.name'];
const record = (decision: AuditRecord['decision'], refused?: AuditRecord['refused']) => ({ decision, fields: asked, ...(refused && { refused }) });

test('a permitted request released what it asked for; a refused one nothing', () => {
  expect(releasedFields(record('PERMIT', []))).toEqual(asked);
  expect(releasedFields(record('DENY', [{ field: 'Person.name', code: 'FORBIDDEN', reason: 'not granted' }]))).toEqual([]);
  expect(releasedFields(record('UNAUTHENTICATED'))).toEqual([]);
  expect(releasedFields(record('INVALID'))).toEqual([]);
});

test('a partly refused request released what it asked for less what was refused', () => {
  expect(releasedFields(record('PARTIAL', [{ field: 'Person.name', code: 'PURPOSE_REQUIRED', reason: 'state a purpose' }]))).toEqual(['Enterprise.name', 'Enterprise.legalRepresentative']);
});

test('a record written before refusals were recorded says so where it matters: a partial answer cannot tell', () => {
  expect(releasedFields(record('PERMIT'))).toEqual(asked);
  expect(releasedFields(record('PARTIAL'))).toBeNull();
});
