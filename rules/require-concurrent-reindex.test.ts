import assert from 'node:assert/strict';
import { applyFix, findingsAfter, fixFor, fixesFor } from '../test/fix-helpers';
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

const CONCERNS = [RULE, 'ban-concurrently-in-transaction', 'syntax-error'];

describe(`${RULE}: fix`, () => {
  it('dbmate, alone in its section: CONCURRENTLY added, the section turns transaction:false, the rest untouched', () => {
    const c = { path: 'db/migrations/20250101000000_reindex.sql' };
    const sql = '-- migrate:up\r\nREINDEX INDEX orders_status_idx;\r\n\r\n-- migrate:down\r\n';
    const fix = fixFor(RULE, sql, c);
    assert.equal(fix.title, 'Rebuild orders_status_idx concurrently in this section, now `transaction:false`');
    assert.equal(fix.safety, 'safe');
    const applied = applyFix(sql, fix);
    assert.equal(applied.text, '-- migrate:up transaction:false\r\nREINDEX INDEX CONCURRENTLY orders_status_idx;\r\n\r\n-- migrate:down\r\n');
    assert.deepEqual(findingsAfter({ text: sql, created: [] }, c, CONCERNS), [`${c.path}: ${RULE}`]);
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('dbmate with other statements: a new transaction:false migration', () => {
    const c = { path: 'db/migrations/20250101000000_reindex.sql' };
    const sql =
      '-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\nREINDEX INDEX orders_status_idx;\n\n-- migrate:down\nALTER TABLE orders DROP COLUMN note;\n';
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, '-- migrate:up\nALTER TABLE orders ADD COLUMN note text;\n\n-- migrate:down\nALTER TABLE orders DROP COLUMN note;\n');
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        [
          'db/migrations/20250101000001_reindex_orders_status_idx.sql',
          '-- migrate:up transaction:false\nREINDEX INDEX CONCURRENTLY orders_status_idx;\n\n' +
            '-- migrate:down transaction:false\n-- nothing to undo: REINDEX only rebuilt indexes\n',
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('goose: a NO TRANSACTION migration; REINDEX TABLE is marked for review (it skips invalid indexes concurrently)', () => {
    const c = { path: 'migrations/00002_reindex.sql' };
    const sql = '-- +goose Up\nREINDEX (VERBOSE) TABLE app.orders;\n';
    const fix = fixFor(RULE, sql, c);
    assert.equal(fix.safety, 'review');
    const applied = applyFix(sql, fix);
    assert.equal(applied.text, '-- +goose Up\n');
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        [
          'migrations/00003_reindex_orders.sql',
          '-- +goose NO TRANSACTION\n-- +goose Up\nREINDEX (VERBOSE) TABLE CONCURRENTLY app.orders;\n\n-- +goose Down\n-- nothing to undo: REINDEX only rebuilt indexes\n',
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('golang-migrate: in place when the statement is alone in its file', () => {
    const c = { path: 'migrations/000002_reindex.up.sql' };
    const sql = 'REINDEX INDEX orders_status_idx;\n';
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, 'REINDEX INDEX CONCURRENTLY orders_status_idx;\n');
    assert.deepEqual(applied.created, []);
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('no fix before PostgreSQL 12, nor for system catalogs', () => {
    assert.deepEqual(fixesFor(RULE, 'REINDEX INDEX orders_status_idx;', { path: 'db/schema/x.sql', config: { pgVersion: 11 } }), []);
    assert.deepEqual(fixesFor(RULE, 'REINDEX TABLE pg_catalog.pg_class;', { path: 'db/schema/x.sql' }), []);
  });
});
