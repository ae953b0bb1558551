// Mocha's spec output plus a small JSON file with the pass/fail counts, which test-all.mjs sums.
const Mocha = require('mocha');
const { writeFileSync } = require('node:fs');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const s = runner.stats || { passes: 0, failures: 0 };
      if (process.env.PGMG_COUNT_FILE) writeFileSync(process.env.PGMG_COUNT_FILE, JSON.stringify({ passes: s.passes, failures: s.failures }));
    });
  }
}
module.exports = CountReporter;
