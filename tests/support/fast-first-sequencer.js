/**
 * Runs unit tests (beside the code) before the end-to-end files in tests/, each group by name: Stryker stops
 * at a mutant's first failing test, so the quick decisions should get the first chance to kill it. Jest's own
 * order runs the slowest files first.
 */
const Sequencer = require('@jest/test-sequencer').default;

class FastFirstSequencer extends Sequencer {
  sort(tests) {
    const endToEnd = (test) => (/[\\/]tests[\\/]/.test(test.path) ? 1 : 0);
    return [...tests].sort((a, b) => endToEnd(a) - endToEnd(b) || a.path.localeCompare(b.path));
  }
}

module.exports = FastFirstSequencer;
