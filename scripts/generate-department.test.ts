/**
 * The purpose `npm run new-department -- --grant-to <app>` writes reaches persons no more widely than the
 * app already does: a citizen's app only the operator's own person, a service hall only within a case.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadContracts } from '../contracts/load-contracts';
import { generateDepartment } from './generate-department';

const REPO = join(__dirname, '..');

/** The purpose the generator adds to the app's contract, as the contracts load it. */
function generatedPurpose(app: string) {
  const root = mkdtempSync(join(tmpdir(), 'govgraph-generated-grant-'));
  try {
    cpSync(join(REPO, 'contracts', 'apps'), join(root, 'contracts', 'apps'), { recursive: true });
    const generated = generateDepartment({ root, name: 'pensions', grantTo: app });
    const { contracts, problems } = loadContracts(join(root, 'contracts', 'apps'));
    expect(problems).toEqual([]);
    const purpose = contracts.find((c) => c.contract.app === app)!.contract.purposes.find((p) => p.code === generated.grant!.purpose)!;
    expect(purpose.grants).toEqual(expect.arrayContaining(['Query.person', 'Query.person(idNumber:)', 'Person.pensions']));
    return purpose;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

test.each([
  ['oneservice-portal', 'names only the operator’s own person (SELF_SERVICE)', { subjectIsOperator: true, caseRequired: false }],
  ['service-hall', 'names a person only within a case (PREFILL)', { subjectIsOperator: false, caseRequired: true }],
  // The desk names no person by ID number (it sees it masked): the generated lookup is its first, and contracts check refuses it beside the mask.
  ['crossprovince-desk', 'names no person by ID number', { subjectIsOperator: false, caseRequired: false }],
])('%s %s: so does the generated purpose', (app, _how, conditions) => {
  expect(generatedPurpose(app)).toMatchObject(conditions);
});
