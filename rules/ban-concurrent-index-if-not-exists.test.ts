import assert from 'node:assert/strict';
import { applyFix, findingsAfter, fixFor, fixesFor } from '../test/fix-helpers';
import type { DatabaseFacts } from '../server/src/engine';
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

describe(`${RULE}: with facts from a configured database`, () => {
  const facts = (invalid: DatabaseFacts['invalidIndexes']): DatabaseFacts => ({
    major: 15,
    statementTimeoutMs: 0,
    lockTimeoutMs: 0,
    tables: {},
    indexes: [],
    invalidIndexes: invalid,
  });

  it('an INVALID index of that name in the database: an error that says so', () => {
    const sql = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);';
    const database = facts([{ name: 'events_kind_idx', table: 'events' }]);
    assert.deepEqual(findings(sql, RULE, { config: { database } }), [
      `1:27 ${RULE} error: An INVALID index named events_kind_idx (on events) exists in the database: IF NOT EXISTS would skip the build, and the migration "succeeds" with an index the planner never uses.`,
    ]);
  });

  it('matches the index in the schema of its table; other names keep the general warning', () => {
    const database = facts([{ name: 'app.events_kind_idx', table: 'app.events' }]);
    assert.match(
      findings('CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON app.events (kind);', RULE, { config: { database } })[0] ?? '',
      / error: An INVALID index/,
    );
    assert.match(
      findings('CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);', RULE, { config: { database } })[0] ?? '',
      / warning: If an earlier/,
    );
  });

  it('index names are per schema: the leftover collides even on a table created in this file', () => {
    const database = facts([{ name: 't_id_idx', table: 'old_t' }]);
    const sql = 'CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS t_id_idx ON t (id);';
    assert.equal(findings(sql, RULE, { config: { database } }).length, 1);
    assert.deepEqual(findings(sql, RULE), []);
  });
});

const CIC = 'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);';
const GUARD = [
  'DO $$',
  'BEGIN',
  "  IF EXISTS (SELECT 1 FROM pg_index WHERE indexrelid = to_regclass('events_kind_idx') AND NOT indisvalid) THEN",
  '    ALTER INDEX events_kind_idx RENAME TO events_kind_idx_invalid;',
  '  END IF;',
  'END',
  '$$;',
].join('\n');
const DROP_LEFTOVER = 'DROP INDEX CONCURRENTLY IF EXISTS events_kind_idx_invalid;';
const CONCERNS = [RULE, 'ban-concurrently-in-transaction', 'require-concurrent-index-creation', 'syntax-error'];

describe(`${RULE}: fix`, () => {
  it('psql file: guard, drop and build in place, each committing on its own; the build keeps IF NOT EXISTS (CRLF kept)', () => {
    const c = { path: 'db/schema/x.sql' };
    const sql = `SELECT 1;\r\n${CIC}\r\nSELECT 2;\r\n`;
    const fix = fixFor(RULE, sql, c);
    assert.equal(fix.title, 'Drop an invalid leftover of events_kind_idx before building it (in place, each statement committing on its own)');
    const applied = applyFix(sql, fix);
    assert.equal(applied.text, `SELECT 1;\r\n${GUARD.replace(/\n/g, '\r\n')}\r\n${DROP_LEFTOVER}\r\n${CIC}\r\nSELECT 2;\r\n`);
    assert.deepEqual(findingsAfter({ text: sql, created: [] }, c, CONCERNS), [`${c.path}: ${RULE}`]);
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), [], 'the guard before it is recognised');
  });

  it('goose NO TRANSACTION: the DO block is wrapped in StatementBegin/StatementEnd', () => {
    const c = { path: 'migrations/00002_kind.sql' };
    const sql = `-- +goose NO TRANSACTION\n-- +goose Up\n${CIC}\n`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(
      applied.text,
      `-- +goose NO TRANSACTION\n-- +goose Up\n-- +goose StatementBegin\n${GUARD}\n-- +goose StatementEnd\n${DROP_LEFTOVER}\n${CIC}\n`,
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('dbmate transaction:false (one query string): the guard stays, the drop and the build get a migration each', () => {
    const c = { path: 'db/migrations/20250101000000_kind.sql' };
    const sql = `-- migrate:up transaction:false\n${CIC}\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS events_kind_idx;\n`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(
      applied.text,
      `-- migrate:up transaction:false\n${GUARD}\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS events_kind_idx;\n`,
    );
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        [
          'db/migrations/20250101000001_drop_invalid_events_kind_idx.sql',
          `-- migrate:up transaction:false\n${DROP_LEFTOVER}\n\n-- migrate:down transaction:false\n-- nothing to undo: this only dropped an invalid leftover index\n`,
        ],
        [
          'db/migrations/20250101000002_build_events_kind_idx.sql',
          '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);\n\n' +
            '-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS events_kind_idx;\n',
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('goose in its transaction: the guard runs there, the rest in NO TRANSACTION migrations', () => {
    const c = { path: 'migrations/00002_kind.sql' };
    const sql = `-- +goose Up\nSELECT 1;\n${CIC}\n`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, `-- +goose Up\nSELECT 1;\n-- +goose StatementBegin\n${GUARD}\n-- +goose StatementEnd\n`);
    assert.deepEqual(
      applied.created.map((f) => f.path),
      ['migrations/00003_drop_invalid_events_kind_idx.sql', 'migrations/00004_build_events_kind_idx.sql'],
    );
    assert.match(
      applied.created[1]?.content ?? '',
      /^-- \+goose NO TRANSACTION\n-- \+goose Up\nCREATE INDEX CONCURRENTLY events_kind_idx ON events \(kind\);\n/,
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('golang-migrate: the guard in place, then one .up/.down pair per CONCURRENTLY statement; schema-qualified names', () => {
    const c = { path: 'migrations/000002_kind.up.sql' };
    const sql = 'CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON app.events (kind);\n';
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(
      applied.text,
      `${GUARD.replace("to_regclass('events_kind_idx')", "to_regclass('app.events_kind_idx')").replace('ALTER INDEX events_kind_idx', 'ALTER INDEX app.events_kind_idx')}\n`,
    );
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        ['migrations/000003_drop_invalid_events_kind_idx.up.sql', 'DROP INDEX CONCURRENTLY IF EXISTS app.events_kind_idx_invalid;\n'],
        ['migrations/000003_drop_invalid_events_kind_idx.down.sql', '-- nothing to undo: this only dropped an invalid leftover index\n'],
        ['migrations/000004_build_events_kind_idx.up.sql', 'CREATE UNIQUE INDEX CONCURRENTLY events_kind_idx ON app.events (kind);\n'],
        ['migrations/000004_build_events_kind_idx.down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS app.events_kind_idx;\n'],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('no fix for an unnamed index (nothing to look up)', () => {
    assert.deepEqual(fixesFor(RULE, 'CREATE INDEX CONCURRENTLY IF NOT EXISTS ON events (kind);', { path: 'db/schema/x.sql' }), []);
  });
});
