/**
 * The suite StrykerJS runs against each mutant (`npm run test:mutation`): the unit tests beside the code.
 * The end-to-end files in tests/ are left out for time, not for doubt: a mutant of the masks is covered by
 * some twenty of them, each starting five departments and a gateway, about a minute per mutant on two
 * cores, so the core's 1,500 mutants would take most of a day (docs/testing.md). They still run in
 * `npm test`, against every change.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: base.roots.filter((root) => !root.endsWith('/bench') && !root.endsWith('/tests')),
};
