import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-single-alter-table';

describe(RULE, () => {
  it('flags the second of consecutive ALTER TABLEs on one table in a transaction', () => {
    const sql = 'BEGIN;\nALTER TABLE events ADD COLUMN priority integer;\nALTER TABLE events ALTER COLUMN status TYPE varchar(40);\nCOMMIT;';
    assert.deepEqual(findings(sql, RULE), [
      `3:1 ${RULE} info: 2 ALTER TABLE statements in a row change events in the same transaction (lines 2, 3), all under the ACCESS EXCLUSIVE the first one takes and keeps until COMMIT. ` +
        `Each statement is a separate lock request and catalog update, and any that later needs to check or rewrite rows makes a pass of its own; one statement does all the work in a single pass.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['ALTER TABLE']);
    assert.equal(
      lint(sql).findings.find((f) => f.rule === RULE)?.help,
      'Write them as one statement with comma-separated actions: ALTER TABLE events <action 1>, <action 2>, …;',
    );
  });

  it('counts the statements that read or rewrite every row (engine effects)', () => {
    const sql =
      "BEGIN;\nALTER TABLE events ALTER COLUMN amount TYPE bigint;\nSET lock_timeout = '2s';\nALTER TABLE events ALTER COLUMN user_id SET NOT NULL;\nCOMMIT;";
    assert.match(findings(sql, RULE)[0] ?? '', /^4:1 .*\(lines 2, 4\).*2 of them read or rewrite every row of events, each in its own pass/);
  });

  it('applies to the runner transaction too, but not to statements that commit one by one', () => {
    const two = 'ALTER TABLE events ADD COLUMN a int;\nALTER TABLE events ADD COLUMN b int;';
    assert.equal(findings(`-- migrate:up\n${two}`, RULE, { path: 'db/migrations/1_x.sql' }).length, 1);
    assert.deepEqual(findings(two, RULE), []);
  });

  it('does not flag a new table, other tables, statements with work in between, or subcommands kept apart', () => {
    assert.deepEqual(findings('BEGIN;\nCREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nALTER TABLE t ADD COLUMN c int;\nCOMMIT;', RULE), []);
    assert.deepEqual(findings('BEGIN;\nALTER TABLE events ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN a int;\nCOMMIT;', RULE), []);
    assert.deepEqual(
      findings(
        'BEGIN;\nALTER TABLE events ADD COLUMN a int;\nUPDATE events SET a = 1 WHERE id < 10;\nALTER TABLE events ALTER COLUMN a SET DEFAULT 0;\nCOMMIT;',
        RULE,
      ),
      [],
    );
    assert.deepEqual(
      findings('BEGIN;\nALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;\nCOMMIT;', RULE),
      [],
    );
    assert.deepEqual(findings('BEGIN;\nALTER TABLE events ADD COLUMN a int;\nALTER TABLE events SET (fillfactor = 90);\nCOMMIT;', RULE), []);
    assert.deepEqual(findings('BEGIN;\nALTER TABLE events ADD COLUMN a int;\nALTER TABLE ONLY events ADD COLUMN b int;\nCOMMIT;', RULE), []);
  });
});
