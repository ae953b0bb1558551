import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-concurrent-reindex';

describe(RULE, () => {
  it('flags REINDEX INDEX with the engine locks and underlines the keywords', () => {
    const sql = 'REINDEX INDEX orders_status_idx;';
    assert.deepEqual(findings(sql, RULE), [
      `1:1 ${RULE} warning: REINDEX INDEX orders_status_idx rebuilds the index from the whole table: it holds ACCESS EXCLUSIVE on orders_status_idx, so every query that would use the index waits, and locks its table against INSERT, UPDATE and DELETE until the build ends.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['REINDEX INDEX']);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /^Use `REINDEX INDEX CONCURRENTLY orders_status_idx`/);
  });

  it('names the table lock when the index is known from this file', () => {
    assert.match(findings('CREATE INDEX CONCURRENTLY i ON events (kind);\nREINDEX INDEX i;', RULE)[0] ?? '', /and SHARE on events \(blocks writes/);
  });

  it('flags REINDEX TABLE', () => {
    const f = findings('REINDEX (VERBOSE) TABLE orders;', RULE);
    assert.equal(f.length, 1);
    assert.match(f[0] ?? '', /REINDEX TABLE orders rebuilds every index of orders while holding SHARE on it/);
    assert.deepEqual(underlined('REINDEX (VERBOSE) TABLE orders;', RULE), ['REINDEX (VERBOSE) TABLE']);
  });

  it('does not flag CONCURRENTLY, schema-wide reindexes, or tables created in this migration', () => {
    assert.deepEqual(findings('REINDEX INDEX CONCURRENTLY orders_status_idx;', RULE), []);
    assert.deepEqual(findings('REINDEX SCHEMA public;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE t (id int);\nCREATE INDEX t_id_idx ON t (id);\nREINDEX TABLE t;\nREINDEX INDEX t_id_idx;', RULE), []);
  });

  it('before PostgreSQL 12 suggests a replacement index instead', () => {
    const help = lint('REINDEX INDEX orders_status_idx;', { config: { pgVersion: 11 } }).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /^PostgreSQL 11 has no REINDEX CONCURRENTLY.*CREATE INDEX CONCURRENTLY.*DROP INDEX CONCURRENTLY/);
  });

  it('gives the runner-specific way to leave the transaction', () => {
    const help = lint('-- +goose Up\nREINDEX TABLE orders;', { path: 'migrations/00001_x.sql' }).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /-- \+goose NO TRANSACTION/);
  });
});
