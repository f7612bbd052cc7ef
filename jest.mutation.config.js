/**
 * The suite StrykerJS runs against each mutant (`npm run test:mutation`): the unit tests beside the code,
 * and two end-to-end files for what only the running services decide — a department's own checks
 * (`department-row-rules`) and the audit record of each request (`audit-records`).
 * The other end-to-end files are left out for time, not for doubt: Stryker's jest runner runs every test
 * covering a mutant without stopping at the first failure, and each file starts five departments and a
 * gateway (docs/testing.md). They all run in `npm test`, against every change.
 */
const base = require('./jest.config');

const endToEnd = ['department-row-rules', 'audit-records'];

module.exports = {
  ...base,
  roots: base.roots.filter((root) => !root.endsWith('/bench')),
  testPathIgnorePatterns: ['/node_modules/', `/tests/(?!(${endToEnd.join('|')})\\.test\\.ts$)`],
};
