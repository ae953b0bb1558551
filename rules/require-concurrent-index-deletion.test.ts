import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'require-concurrent-index-deletion';

describe(RULE, () => {
  it('flags a bare DROP INDEX', () => {
    assert.deepEqual(findings('DROP INDEX events_kind_idx;', RULE), [
      `1:1 ${RULE} warning: DROP INDEX events_kind_idx takes ACCESS EXCLUSIVE on the index's table: every query on it waits, plain SELECTs included (the planner opens all of a table's indexes), and everything queued behind the lock waits too.`,
    ]);
    assert.deepEqual(underlined('DROP INDEX IF EXISTS events_kind_idx;', RULE), ['DROP INDEX']);
  });

  it("names the table when the index's table is known from this file", () => {
    assert.match(findings('CREATE INDEX CONCURRENTLY i ON events (a);\nDROP INDEX i;', RULE)[0] ?? '', /ACCESS EXCLUSIVE on events:/);
  });

  it('does not flag DROP INDEX CONCURRENTLY, nor an index on a table created in this migration', () => {
    assert.deepEqual(findings('DROP INDEX CONCURRENTLY IF EXISTS i;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);\nDROP INDEX i;', RULE), []);
  });

  it('does not flag DROP TABLE', () => {
    assert.deepEqual(findings('DROP TABLE t;', RULE), []);
  });
});
