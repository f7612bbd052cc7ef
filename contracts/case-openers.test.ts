import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { caseOpenerProblems } from './case-openers';
import { loadContracts, loadPlatform, parseContracts } from './load-contracts';
import { formatProblem } from './problem';

const ROOT = join(__dirname, '..');
const platform = loadPlatform(join(ROOT, 'contracts', 'platform.yaml')).platform!;

test('the shipped contracts leave opening a case to apps that read nothing under it', () => {
  expect(platform.cases?.openedBy).toEqual(['Mutation.submitApplication', 'Mutation.requestManualReview']);
  expect(caseOpenerProblems(loadContracts(join(ROOT, 'contracts', 'apps')).contracts, platform)).toEqual([]);
});

test('a desk that could open the cases it reads under is refused, naming the field and the purpose', () => {
  const file = join(ROOT, 'contracts', 'apps', 'crossprovince-desk.yaml');
  const text = readFileSync(file, 'utf8').replace('      - Mutation.advanceApplication\n', '      - Mutation.advanceApplication\n      - Mutation.submitApplication\n      - Mutation.requestManualReview\n');
  const { contracts, problems } = parseContracts([{ file: 'crossprovince-desk.yaml', text }]);
  expect(problems).toEqual([]);
  expect(caseOpenerProblems(contracts, platform).map(formatProblem)).toEqual(
    ['Mutation.submitApplication', 'Mutation.requestManualReview'].map(
      (field) => `crossprovince-desk.yaml: crossprovince-desk: ${field}: opens cases, and purpose CROSS_PROVINCE_CASE reads within them: an app may not open the cases that unlock data to it`,
    ),
  );
});
