/**
 * The suite StrykerJS runs against each mutant (`npm run test:mutation`): every test that exercises the
 * security core in this process. Left out are the tests of built output or of other processes, which
 * never load the mutated sources (the production build, the worker cluster), the browser test of the
 * console, and the benchmarks.
 */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: base.roots.filter((root) => !root.endsWith('/bench')),
  testPathIgnorePatterns: ['/node_modules/', '/tests/production-build\\.test\\.ts$', '/tests/gateway-workers\\.test\\.ts$', '/tests/console\\.test\\.ts$'],
  testSequencer: '<rootDir>/tests/support/fast-first-sequencer.js',
};
