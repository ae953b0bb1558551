import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-not-valid-check';

describe(RULE, () => {
  it('flags a validated CHECK on an existing table and repeats the expression in the help', () => {
    const sql = 'ALTER TABLE events ADD CONSTRAINT events_amount_non_negative CHECK (amount >= 0);';
    assert.deepEqual(findings(sql, RULE), [
      `1:24 ${RULE} warning: Adding CHECK constraint events_amount_non_negative reads every row of events to test it while holding ACCESS EXCLUSIVE on events: it blocks reads and writes for the whole scan.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CONSTRAINT events_amount_non_negative CHECK (amount >= 0);']);
    assert.equal(
      lint(sql).findings.find((f) => f.rule === RULE)?.help,
      'Add it with `ALTER TABLE events ADD CONSTRAINT events_amount_non_negative CHECK (amount >= 0) NOT VALID` (no scan: only new and updated rows are checked), then in a later migration `ALTER TABLE events VALIDATE CONSTRAINT events_amount_non_negative`, which scans under SHARE UPDATE EXCLUSIVE while reads and writes continue.',
    );
  });

  it("uses Postgres's default name for an unnamed check", () => {
    assert.match(findings('ALTER TABLE events ADD CHECK (amount >= 0);', RULE)[0] ?? '', /CHECK constraint events_amount_check /);
    assert.match(findings("ALTER TABLE events ADD CHECK (amount >= 0 AND kind <> 'x');", RULE)[0] ?? '', /CHECK constraint events_check /);
  });

  it('does not flag NOT VALID, VALIDATE, or a new table', () => {
    assert.deepEqual(findings('ALTER TABLE events ADD CONSTRAINT c CHECK (amount >= 0) NOT VALID;', RULE), []);
    assert.deepEqual(findings('ALTER TABLE events VALIDATE CONSTRAINT c;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);', RULE), []);
  });
});
