/**
 * The suite StrykerJS runs against each mutant (`npm run test:mutation`): the unit tests beside the code,
 * each decision of the security core pinned in process (a department's own checks through
 * `subgraphs/kit/department-access.test.ts`, the audit record through `gateway/audit-plugin.test.ts`).
 * The end-to-end files under tests/ are left out for time, not for doubt: Stryker's jest runner runs every
 * test covering a mutant without stopping at the first failure, and each file starts five departments and
 * a gateway (docs/testing.md). They all run in `npm test`, against every change.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: base.roots.filter((root) => !root.endsWith('/bench') && !root.endsWith('/tests')),
};
