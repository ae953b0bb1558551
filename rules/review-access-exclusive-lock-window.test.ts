import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'review-access-exclusive-lock-window';
const DBMATE = 'db/migrations/20250101000000_x.sql';

describe(RULE, () => {
  it('flags work after ACCESS EXCLUSIVE in the same transaction, naming table and line', () => {
    const sql = "BEGIN;\nALTER TABLE events ADD COLUMN source text;\nUPDATE events SET source = 'web' WHERE id < 10;\nCOMMIT;";
    assert.deepEqual(findings(sql, RULE), [
      `3:1 ${RULE} warning: UPDATE runs while this transaction holds ACCESS EXCLUSIVE on events (line 2): the lock is kept until COMMIT, ` +
        'so every SELECT, INSERT, UPDATE and DELETE on events keeps waiting while this statement runs.',
    ]);
    assert.deepEqual(underlined(sql, RULE), ['UPDATE']);
  });

  it('flags ACCESS EXCLUSIVE on a second existing table, once per transaction', () => {
    const sql = 'BEGIN;\nALTER TABLE orders ADD COLUMN note text;\nALTER TABLE users ADD COLUMN note text;\nCREATE INDEX i ON accounts (plan);\nCOMMIT;';
    const f = findings(sql, RULE);
    assert.equal(f.length, 1);
    assert.match(
      f[0] ?? '',
      /^3:1 .*ALTER TABLE takes ACCESS EXCLUSIVE on users while this transaction already holds ACCESS EXCLUSIVE on orders \(line 2\).* 1 more statement after it/,
    );
  });

  it("uses the runner's transaction", () => {
    const sql = `-- migrate:up\nALTER TABLE events ADD COLUMN source text;\nCREATE INDEX events_source_idx ON events (source);`;
    assert.match(findings(sql, RULE, { path: DBMATE })[0] ?? '', /^3:1 .*CREATE INDEX runs while this transaction holds ACCESS EXCLUSIVE on events \(line 2\)/);
  });

  it('does not flag statements that autocommit one by one', () => {
    assert.deepEqual(findings('ALTER TABLE orders ADD COLUMN note text;\nALTER TABLE users ADD COLUMN note text;', RULE), []);
  });

  it('ignores SET, COMMENT and cheap changes to the table already locked', () => {
    const sql =
      "BEGIN;\nALTER TABLE events ADD COLUMN source text;\nSET LOCAL lock_timeout = '5s';\nCOMMENT ON COLUMN events.source IS 'x';\nALTER TABLE events ALTER COLUMN source SET DEFAULT 'web';\nCOMMIT;";
    assert.deepEqual(findings(sql, RULE), []);
  });

  it('skips tables created in the same migration', () => {
    const sql = 'BEGIN;\nCREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;\nCREATE INDEX i ON t (x);\nCOMMIT;';
    assert.deepEqual(findings(sql, RULE), []);
  });
});
