/**
 * fast-check generators for the fuzz suite (test/unit/fuzz.test.ts): migration files built from a
 * small grammar of the statements, comments and runner directives migrations are made of, then
 * damaged by random edits (unterminated quotes and comments, NUL bytes, lone surrogates, line-ending
 * mixes, huge identifiers, unicode), plus the paths, runners and sidecars the engine is told about.
 */
import fc from 'fast-check';
import { RUNNER_IDS, type RunnerId, type Sidecars } from '../../server/src/engine';

export const PG_VERSIONS = [10, 12, 15, 18] as const;

const LONG_IDENT = 'x'.repeat(10_000);
const LONG_QUOTED_IDENT = `"${'q'.repeat(10_000)}"`;

// ---------------------------------------------------------------------------------------------
// Grammar

const table = fc.constantFrom('users', 'orders', 'public.accounts', 'events', 't', '"Mixed Case"', '"we;ird"', 'app."Ünïcödé"', 'ÿ_tbl');
const column = fc.constantFrom('id', 'email', 'status', 'created_at', 'payload', 'c', '"Col; 1"', 'ñame');
const indexName = fc.constantFrom('idx_users_email', 'orders_status_idx', 'i', '"Idx $x$"', 'public.idx_events');
const constraintName = fc.constantFrom('fk_orders_user', 'chk_status', 'c1', '"check;name"');
const columnType = fc.constantFrom(
  'bigint',
  'integer',
  'text',
  'varchar(255)',
  'timestamptz',
  'timestamp',
  'jsonb',
  'json',
  'serial',
  'bigserial',
  'uuid',
  'numeric(10, 2)',
  'boolean',
  'text[]',
);
const defaultExpr = fc.constantFrom("'x'", '0', 'now()', 'gen_random_uuid()', 'random()', "'{}'::jsonb", 'clock_timestamp()', "E'a\\'b'", '$$dollar$$', 'NULL');
const predicate = fc.constantFrom('id < 1000', "status = 'old'", "created_at < now() - interval '1 day'", 'id IN (SELECT id FROM t LIMIT 10)', 'true');
const ruleId = fc.constantFrom(
  'require-concurrent-index-creation',
  'require-concurrent-index-deletion',
  'ban-concurrently-in-transaction',
  'ban-drop-column',
  'ban-unbatched-data-change',
  'syntax-error',
  'unused-ignore',
  'no-such-rule',
  '',
  'a, b c',
);
const opt = (s: string): fc.Arbitrary<string> => fc.constantFrom('', s);

const createTable = fc
  .tuple(opt('IF NOT EXISTS '), table, column, columnType, column, columnType, opt(' NOT NULL'), opt(', PRIMARY KEY (id)'))
  .map(([ine, t, c1, t1, c2, t2, nn, pk]) => `CREATE TABLE ${ine}${t} (${c1} ${t1}${nn}, ${c2} ${t2} DEFAULT 0${pk})`);
const createIndex = fc
  .tuple(opt('UNIQUE '), opt('CONCURRENTLY '), opt('IF NOT EXISTS '), indexName, table, column, opt(' WHERE deleted_at IS NULL'))
  .map(([u, conc, ine, i, t, c, w]) => `CREATE ${u}INDEX ${conc}${ine}${i} ON ${t} (${c})${w}`);
const addColumn = fc
  .tuple(table, opt('IF NOT EXISTS '), column, columnType, fc.option(defaultExpr, { nil: undefined }), opt(' NOT NULL'))
  .map(([t, ine, c, ty, d, nn]) => `ALTER TABLE ${t} ADD COLUMN ${ine}${c} ${ty}${d === undefined ? '' : ` DEFAULT ${d}`}${nn}`);
const setNotNull = fc.tuple(table, column).map(([t, c]) => `ALTER TABLE ${t} ALTER COLUMN ${c} SET NOT NULL`);
const dropNotNull = fc.tuple(table, column).map(([t, c]) => `ALTER TABLE ${t} ALTER COLUMN ${c} DROP NOT NULL`);
const alterType = fc.tuple(table, column, columnType).map(([t, c, ty]) => `ALTER TABLE ${t} ALTER COLUMN ${c} TYPE ${ty}`);
const addFk = fc
  .tuple(table, constraintName, column, table, opt(' ON DELETE CASCADE'), opt(' NOT VALID'))
  .map(([t, n, c, r, cascade, nv]) => `ALTER TABLE ${t} ADD CONSTRAINT ${n} FOREIGN KEY (${c}) REFERENCES ${r} (id)${cascade}${nv}`);
const addCheck = fc
  .tuple(table, constraintName, column, opt(' NOT VALID'))
  .map(([t, n, c, nv]) => `ALTER TABLE ${t} ADD CONSTRAINT ${n} CHECK (${c} IS NOT NULL)${nv}`);
const validate = fc.tuple(table, constraintName).map(([t, n]) => `ALTER TABLE ${t} VALIDATE CONSTRAINT ${n}`);
const addUnique = fc.tuple(table, constraintName, column).map(([t, n, c]) => `ALTER TABLE ${t} ADD CONSTRAINT ${n} UNIQUE (${c})`);
const addPkUsing = fc.tuple(table, constraintName, indexName).map(([t, n, i]) => `ALTER TABLE ${t} ADD CONSTRAINT ${n} PRIMARY KEY USING INDEX ${i}`);
const dropColumn = fc.tuple(table, opt('IF EXISTS '), column).map(([t, ie, c]) => `ALTER TABLE ${t} DROP COLUMN ${ie}${c}`);
const dropIndex = fc.tuple(opt('CONCURRENTLY '), opt('IF EXISTS '), indexName).map(([c, ie, i]) => `DROP INDEX ${c}${ie}${i}`);
const dropTable = fc.tuple(opt('IF EXISTS '), table, opt(' CASCADE')).map(([ie, t, c]) => `DROP TABLE ${ie}${t}${c}`);
const update = fc
  .tuple(table, column, defaultExpr, fc.option(predicate, { nil: undefined }))
  .map(([t, c, v, p]) => `UPDATE ${t} SET ${c} = ${v}${p === undefined ? '' : ` WHERE ${p}`}`);
const del = fc.tuple(table, fc.option(predicate, { nil: undefined })).map(([t, p]) => `DELETE FROM ${t}${p === undefined ? '' : ` WHERE ${p}`}`);
const tx = fc.constantFrom('BEGIN', 'COMMIT', 'START TRANSACTION', 'ROLLBACK', 'END', 'BEGIN ISOLATION LEVEL SERIALIZABLE', 'SAVEPOINT s1');
const setting = fc.constantFrom(
  "SET lock_timeout = '5s'",
  'SET lock_timeout TO 0',
  "SET LOCAL statement_timeout = '1min'",
  'RESET lock_timeout',
  'SET search_path TO app, public',
);
const dollarTag = fc.constantFrom('$$', '$body$', '$x1$', '$_$', '$ÿ$');
const doBlock = fc
  .tuple(dollarTag, table, column)
  .map(([tag, t, c]) => `DO ${tag}\nBEGIN\n  UPDATE ${t} SET ${c} = 1; -- inside ${tag === '$$' ? '$x$' : '$$'}\n  PERFORM 'it''s; fine';\nEND\n${tag}`);
const createFunction = fc.constantFrom(
  'CREATE OR REPLACE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN NEW.x := 1; RETURN NEW; END $fn$',
  'CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT a + 1; SELECT CASE WHEN a > 0 THEN 1 END; END',
  'CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END',
);
const misc = fc.constantFrom(
  'TRUNCATE users',
  'VACUUM FULL orders',
  'CLUSTER users USING idx_users_email',
  "ALTER TYPE mood ADD VALUE 'meh'",
  "CREATE TYPE mood AS ENUM ('sad', 'ok')",
  'ALTER TABLE users RENAME COLUMN email TO mail',
  'ALTER TABLE users RENAME TO people',
  'ALTER TABLE orders SET UNLOGGED',
  'REINDEX INDEX idx_users_email',
  'REFRESH MATERIALIZED VIEW CONCURRENTLY mv',
  'LOCK TABLE users IN ACCESS EXCLUSIVE MODE',
  "INSERT INTO t (a, b) VALUES (1, 'x'), (2, $q$y$q$)",
  'SELECT 1',
  "COMMENT ON TABLE users IS 'a;b'",
  'CREATE SCHEMA IF NOT EXISTS app',
  'DROP SCHEMA app CASCADE',
  'ALTER TABLE users ADD COLUMN total bigint GENERATED ALWAYS AS (id * 2) STORED',
  'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO u VALUES (1); INSERT INTO u VALUES (2))',
  'WITH x AS (DELETE FROM t RETURNING *) SELECT count(*) FROM x',
  'COPY t FROM stdin',
  'ALTER TABLE orders ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY',
  'CREATE INDEX ON t USING gin (payload jsonb_path_ops)',
);

const statementBody = fc.oneof(
  createTable,
  createIndex,
  addColumn,
  setNotNull,
  dropNotNull,
  alterType,
  addFk,
  addCheck,
  validate,
  addUnique,
  addPkUsing,
  dropColumn,
  dropIndex,
  dropTable,
  update,
  del,
  tx,
  setting,
  doBlock,
  createFunction,
  misc,
);

const statement = fc.tuple(statementBody, fc.constantFrom(';', ';', ';', ';', '', ' ;', ';;')).map(([s, end]) => s + end);

const directive = fc.constantFrom(
  '-- migrate:up',
  '-- migrate:up transaction:false',
  '-- migrate:down',
  '-- migrate:down transaction:false',
  '-- +goose Up',
  '-- +goose Down',
  '-- +goose NO TRANSACTION',
  '-- +goose StatementBegin',
  '-- +goose StatementEnd',
  '--+goose up',
  '-- +migrate Up',
  '-- +migrate Down notransaction',
  '-- atlas:txmode none',
);
const ignoreComment = fc
  .tuple(
    fc.constantFrom('-- pg-migration-guard-ignore ', '-- pg-migration-guard-ignore-file ', '--pg-migration-guard-ignore\t'),
    ruleId,
    fc.constantFrom(': reason', ':', '', ': 🚀 why'),
  )
  .map(([p, r, reason]) => p + r + reason);
const comment = fc.constantFrom(
  '-- a comment; with a semicolon',
  "-- it's",
  '/* block; comment */',
  '/* nested /* inner */ outer */',
  '/* multi\nline\n*/',
  '-- $$ not a dollar quote',
  '-- 日本語のコメント 👍',
);
const metaCommand = fc.constantFrom('\\set ON_ERROR_STOP on', '\\gexec', '\\i other.sql', '\\echo done;');

/** A goose block (sent as one string, several statements) or an explicit transaction around statements. */
const block = fc
  .tuple(
    fc.constantFrom(['-- +goose StatementBegin', '-- +goose StatementEnd'], ['BEGIN;', 'COMMIT;'], ['START TRANSACTION;', 'ROLLBACK;']),
    fc.array(statement, { minLength: 1, maxLength: 3 }),
  )
  .map(([[open, close], body]) => `${open}\n${body.join('\n')}\n${close}`);

/** One line-level element of a migration file. */
const element = fc.oneof(
  { weight: 10, arbitrary: statement },
  { weight: 2, arbitrary: block },
  { weight: 2, arbitrary: directive },
  { weight: 2, arbitrary: comment },
  { weight: 2, arbitrary: ignoreComment },
  { weight: 1, arbitrary: metaCommand },
);

const separator = fc.constantFrom('\n', '\n', '\n', '\n\n', '\r\n', ' ', '\r', '\n  ', '\t');

/** A well-formed-ish migration file from the grammar. */
export const migrationArb = (maxElements = 12): fc.Arbitrary<string> =>
  fc.array(fc.tuple(element, separator), { minLength: 0, maxLength: maxElements }).map((parts) => parts.map(([e, s]) => e + s).join(''));

// ---------------------------------------------------------------------------------------------
// Hostile edits

const hostileFragment = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      "'",
      '"',
      "E'",
      "E'\\",
      '$$',
      '$tag$',
      '$a',
      '$',
      '/*',
      '*/',
      '(',
      ')',
      '((',
      ';',
      '--',
      '\\',
      '\0',
      '\uD800',
      '\uDBFF',
      '\uDC00',
      '\uDFFF',
      '\uD83D',
      '\r',
      '\n',
      '\r\n',
      '\n\r',
      '\u2028',
      '\u00A0',
      '\uFEFF',
      '\u200B',
      '\u000B',
      '\f',
      '👩‍👩‍👧',
      '🚀',
      'e\u0301\u0301\u0301',
      '\u0300',
      'ǅ',
      'İ',
      'ß',
      'BEGIN ATOMIC',
      'END',
      'CASE',
      '\n-- migrate:down\n',
      '\n-- +goose StatementBegin\n',
      '\n-- +goose StatementEnd\n',
      '\nCREATE ',
      '\nALTER TABLE ',
      '\nDROP ',
      'CONCURRENTLY',
      'NOT VALID',
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(LONG_IDENT, LONG_QUOTED_IDENT) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom("'", '"', '$', '(', ')', '/', '*', '-', ';', '\n', ' ', 'a', '\\', 'E'), maxLength: 12 }) },
  { weight: 2, arbitrary: statement },
);

export type Edit =
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'newlines'; style: '\n' | '\r\n' | '\r' | 'mixed'; seed: number }
  | { kind: 'truncate'; at: number };

export const editArb: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: hostileFragment }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('newlines' as const),
      style: fc.constantFrom('\n' as const, '\r\n' as const, '\r' as const, 'mixed' as const),
      seed: fc.nat(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }) },
);

export function applyEdit(text: string, edit: Edit): string {
  switch (edit.kind) {
    case 'insert': {
      const at = edit.at % (text.length + 1);
      return text.slice(0, at) + edit.text + text.slice(at);
    }
    case 'delete': {
      if (text.length === 0) return text;
      const at = edit.at % text.length;
      return text.slice(0, at) + text.slice(at + edit.length);
    }
    case 'truncate':
      return text.slice(0, edit.at % (text.length + 1));
    case 'newlines': {
      const styles = ['\n', '\r\n', '\r'];
      let k = edit.seed;
      return text.replace(/\r\n|\r|\n/g, () => {
        if (edit.style !== 'mixed') return edit.style;
        k = (k * 1103515245 + 12345) >>> 0;
        return styles[k % 3] as string;
      });
    }
  }
}

export function applyEdits(text: string, edits: readonly Edit[]): string {
  return edits.reduce(applyEdit, text);
}

/** A migration from the grammar, then 0–6 hostile edits. */
export const hostileSqlArb = (maxElements = 12, maxEdits = 6): fc.Arbitrary<string> =>
  fc.tuple(migrationArb(maxElements), fc.array(editArb, { maxLength: maxEdits })).map(([sql, edits]) => applyEdits(sql, edits));

/** Any text at all, for the cheap properties: mostly grammar-based, sometimes raw noise. */
export const anyTextArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: hostileSqlArb() },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.constantFrom("'", '"', '$$', '$t$', '(', ')', '/*', '*/', '--', ';', '\n', '\r', ' ', 'CREATE', '\\', 'E', '\0'),
      maxLength: 60,
    }),
  },
);

/**
 * Many repetitions of one line that opens something it never closes, each line starting with a
 * resync keyword: the shapes on which a resync that re-lexes to EOF every time goes quadratic.
 */
export const pathologicalArb: fc.Arbitrary<string> = fc
  .tuple(
    fc.constantFrom(
      'CREATE TABLE t (a int,',
      'CREATE /* open',
      "CREATE INDEX i ON t (a) WHERE b = 'x",
      'ALTER TABLE t ADD CHECK ((((',
      'DO $body$ BEGIN',
      'DO $',
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;',
      'SELECT "',
      '-- +goose StatementBegin',
      'UPDATE t SET a = 1;',
      '\\echo x',
      "SELECT E'\\",
    ),
    fc.integer({ min: 200, max: 3000 }),
    fc.constantFrom('\n', '\r\n'),
    fc.boolean(),
  )
  .map(([line, count, nl, numbered]) => {
    const out: string[] = [];
    for (let k = 0; k < count; k++) out.push(numbered ? line.replace('$body$', `$b${k}$`).replace('/* open', `/* open ${k}`) : line);
    return out.join(nl) + nl;
  });

// ---------------------------------------------------------------------------------------------
// Where the file lives and how it runs

export const pathArb: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  '',
  'db/migrations/20240101120000_add_users.sql', // dbmate (directives decide)
  'db/migrations/00001_init.sql', // goose
  'migrations/000001_create_users.up.sql', // golang-migrate
  'migrations/000001_create_users.down.sql',
  'src/main/resources/db/migration/V1_2__add_index.sql', // flyway
  'db/migration/U3__undo.sql',
  'db/migration/R__views.sql',
  'prisma/migrations/20240101120000_init/migration.sql', // prisma
  'migrations/2024-01-01-000000_create_users/up.sql', // diesel
  'migrations/2024-01-01-000000_create_users/down.sql',
  'sqitch/deploy/add_users.sql', // sqitch
  'sqitch/revert/add_users.sql',
  'schema.sql', // plain
  'C:\\repo\\migrations\\000002_x.up.sql',
  'migrations/😀_ünïcode\u0000.sql',
);

export const runnerOverrideArb: fc.Arbitrary<RunnerId | undefined> = fc.option(fc.constantFrom(...RUNNER_IDS), { nil: undefined, freq: 4 });

export const sidecarsArb: fc.Arbitrary<Sidecars | undefined> = fc.option(
  fc.record(
    {
      flywayConf: fc.constantFrom('executeInTransaction=false\n', 'executeInTransaction = true', '\0garbage'),
      dieselMetadata: fc.constantFrom('run_in_transaction = false\n', 'run_in_transaction = true', '[[[ not toml'),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined, freq: 3 },
);

export const pgVersionArb = fc.constantFrom(...PG_VERSIONS);
