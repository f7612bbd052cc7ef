import type { ContractDocument } from './contract-schema';
import { diffContracts } from './diff-contracts';

const contract = (changes: Partial<ContractDocument> = {}, purpose: Partial<ContractDocument['purposes'][number]> = {}): ContractDocument => ({
  app: 'desk', name: 'n', owner: 'o', contact: { name: 'c' }, legalBasis: 'l', region: '44',
  validFrom: '2026-01-01', validUntil: '2026-12-31', approvedBy: 'a', approvedOn: '2025-12-01', persistedOnly: false, operations: [],
  purposes: [{ code: 'P', description: 'd', caseRequired: true, subjectIsOperator: false, discloseToSubject: true, grants: ['Person.name', { field: 'Person.idNumber', mask: 'ID_NUMBER' }], ...purpose }],
  ...changes,
});

test('no change, no output', () => expect(diffContracts([contract()], [contract()])).toEqual([]));

test('added, removed and widened grants', () => {
  const after = contract({ region: '4401', validUntil: '2027-12-31' }, { caseRequired: false, grants: ['Person.idNumber', 'Person.phone'] });
  expect(diffContracts([contract()], [after]).map((c) => `${c.kind} ${c.coordinate} ${c.detail}`)).toEqual([
    'widened Person.idNumber mask ID_NUMBER removed',
    'widened Person.idNumber no longer needs an open case',
    'widened Person.idNumber valid until 2026-12-31 → 2027-12-31',
    'removed Person.name ',
    'added Person.phone unmasked',
  ]);
});

test('a region lifted is a widening; a narrower one is not', () => {
  expect(diffContracts([contract()], [contract({ region: undefined })]).map((c) => c.detail)).toEqual(['region 44 → any', 'region 44 → any']);
  expect(diffContracts([contract()], [contract({ region: '4401' })])).toEqual([]);
});

test('each change carries its reason as a code with the values before and after', () => {
  const after = contract({ region: undefined, validUntil: '2027-12-31' }, { grants: ['Person.name', { field: 'Person.idNumber', mask: 'ID_NUMBER_STRICT' }, { field: 'Person.phone', mask: 'PHONE' }] });
  expect(diffContracts([contract()], [after]).map((c) => [c.coordinate, c.reason, c.before, c.after])).toEqual([
    ['Person.idNumber', 'MASK_CHANGED', 'ID_NUMBER', 'ID_NUMBER_STRICT'],
    ['Person.idNumber', 'REGION_WIDENED', '44', null],
    ['Person.idNumber', 'VALIDITY_EXTENDED', '2026-12-31', '2027-12-31'],
    ['Person.name', 'REGION_WIDENED', '44', null],
    ['Person.name', 'VALIDITY_EXTENDED', '2026-12-31', '2027-12-31'],
    ['Person.phone', 'ADDED_MASKED', null, 'PHONE'],
  ]);
  const narrowed = contract({}, { grants: ['Person.name'] });
  expect(diffContracts([contract()], [narrowed]).map((c) => [c.reason, c.before, c.after])).toEqual([['REMOVED', null, null]]);
});
