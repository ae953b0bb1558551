import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-concurrent-index-creation';

describe(RULE, () => {
  it('flags CREATE INDEX on an existing table and underlines the keywords', () => {
    const sql = 'CREATE INDEX events_created_at_idx ON events (created_at);';
    assert.deepEqual(findings(sql, RULE), [
      `1:1 ${RULE} warning: CREATE INDEX events_created_at_idx takes a SHARE lock on events for the whole build: INSERT, UPDATE and DELETE on events wait until it finishes (reads continue).`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CREATE INDEX']);
    assert.deepEqual(underlined('CREATE UNIQUE INDEX u ON events (a);', RULE), ['CREATE UNIQUE INDEX']);
  });

  it('does not flag CREATE INDEX CONCURRENTLY', () => {
    assert.deepEqual(findings('CREATE INDEX CONCURRENTLY i ON events (a);', RULE), []);
  });

  it('does not flag an index on a table created earlier in the same migration', () => {
    assert.deepEqual(findings('CREATE TABLE t (id int);\nCREATE INDEX i ON t (id);', RULE), []);
  });

  it('tells each runner how to run it outside a transaction', () => {
    const help = (path: string, sql: string): string => lint(sql, { path }).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help('db/migrations/1_x.sql', '-- migrate:up\nCREATE INDEX i ON events (a);'), /-- migrate:up transaction:false/);
    assert.match(help('migrations/00001_x.sql', '-- +goose Up\nCREATE INDEX i ON events (a);'), /-- \+goose NO TRANSACTION/);
    assert.match(help('sql/V2__x.sql', 'SELECT 1;\nCREATE INDEX i ON events (a);'), /executeInTransaction=false/);
  });

  it('escalates with a known table size', () => {
    assert.match(findings('CREATE INDEX i ON events (a);', RULE, { config: { tables: { events: { rows: 2_000_000 } } } })[0] ?? '', / error: .*~2M rows/);
  });
});
