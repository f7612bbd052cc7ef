import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXTRACT_FILE, type DepartmentExtract } from './department-extract';
import { loadEnforcedContracts } from './load-enforced-contracts';

const extract: DepartmentExtract = {
  department: 'civil-affairs',
  contracts: [{ app: 'oneservice-portal', validFrom: '2026-01-01', validUntil: '2027-12-31', purposes: [{ code: 'SELF_SERVICE', caseRequired: false, subjectIsOperator: true, grants: ['Person.maritalStatus'] }] }],
};
const folderWith = (files: Record<string, string>) => {
  const dir = mkdtempSync(join(tmpdir(), 'govgraph-enforced-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
};

test("a department loads its own extract, conditions and all", () => {
  expect(loadEnforcedContracts(folderWith({ [EXTRACT_FILE]: JSON.stringify(extract) }), 'civil-affairs')).toEqual({ contracts: extract.contracts, problems: [] });
});

test("another department's extract is refused, naming the command that makes the right one", () => {
  const dir = folderWith({ [EXTRACT_FILE]: JSON.stringify(extract) });
  expect(loadEnforcedContracts(dir, 'public-security')).toEqual({
    contracts: [],
    problems: [{ file: join(dir, EXTRACT_FILE), message: 'is the extract of civil-affairs, not of public-security: npm run contracts -- extract --department public-security' }],
  });
});

test('an extract beside contract files, or with a field it should not hold, is refused', () => {
  const both = folderWith({ [EXTRACT_FILE]: JSON.stringify(extract) });
  copyFileSync(join(__dirname, 'apps', 'auditor.yaml'), join(both, 'auditor.yaml'));
  expect(loadEnforcedContracts(both, 'civil-affairs').problems).toEqual([{ file: both, message: `holds both ${EXTRACT_FILE} and contract files: keep one` }]);
  const withContact = { ...extract, contracts: [{ ...extract.contracts[0], contact: { name: '值班' } }] };
  expect(loadEnforcedContracts(folderWith({ [EXTRACT_FILE]: JSON.stringify(withContact) }), 'civil-affairs').problems).toEqual([
    expect.objectContaining({ message: expect.stringMatching(/^contracts\.0: Unrecognized key/) }),
  ]);
});
