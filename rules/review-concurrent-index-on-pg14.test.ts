import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'review-concurrent-index-on-pg14';
const PG14 = { config: { pgVersion: 14 } };

describe(RULE, () => {
  it('flags CREATE INDEX CONCURRENTLY when the target is PostgreSQL 14', () => {
    const sql = 'CREATE INDEX CONCURRENTLY events_created_at_idx ON events (created_at);';
    assert.deepEqual(findings(sql, RULE, PG14), [
      `1:1 ${RULE} info: On PostgreSQL 14.0 to 14.3, CREATE INDEX CONCURRENTLY can miss rows updated while it runs and produce a corrupt index (events_created_at_idx) ` +
        `without any error: queries through it then return wrong results. The bug is fixed in 14.4.`,
    ]);
    assert.deepEqual(underlined(sql, RULE, PG14), ['CREATE INDEX CONCURRENTLY']);
  });

  it('flags REINDEX … CONCURRENTLY too', () => {
    const sql = 'REINDEX INDEX CONCURRENTLY events_kind_idx;';
    assert.match(findings(sql, RULE, PG14)[0] ?? '', /REINDEX CONCURRENTLY can miss rows .* \(events_kind_idx\)/);
    assert.deepEqual(underlined(sql, RULE, PG14), ['REINDEX INDEX CONCURRENTLY']);
  });

  it('depends on the PostgreSQL version', () => {
    const sql = 'CREATE INDEX CONCURRENTLY i ON events (a);';
    assert.deepEqual(findings(sql, RULE), []);
    assert.deepEqual(findings(sql, RULE, { config: { pgVersion: 13 } }), []);
  });

  it('does not flag plain builds or tables created in the same migration', () => {
    assert.deepEqual(findings('CREATE INDEX i ON events (a);', RULE, PG14), []);
    assert.deepEqual(findings('CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);', RULE, PG14), []);
  });
});
