import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-concurrent-index-if-not-exists';

describe(RULE, () => {
  it('flags CREATE INDEX CONCURRENTLY IF NOT EXISTS and underlines IF NOT EXISTS', () => {
    const sql = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);';
    assert.deepEqual(findings(sql, RULE), [
      `1:27 ${RULE} warning: If an earlier CREATE INDEX CONCURRENTLY of events_kind_idx failed (timeout, deadlock, duplicate key), it left an INVALID index with that name. IF NOT EXISTS then skips the build and the migration "succeeds" with an index the planner never uses.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['IF NOT EXISTS']);
  });

  it('does not flag it without IF NOT EXISTS, nor a non-concurrent IF NOT EXISTS', () => {
    assert.deepEqual(findings('CREATE INDEX CONCURRENTLY i ON events (kind);', RULE), []);
    assert.deepEqual(findings('CREATE INDEX IF NOT EXISTS i ON events (kind);', RULE), []);
  });

  it('does not flag a table created in this migration', () => {
    assert.deepEqual(findings('CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (id);', RULE), []);
  });
});
