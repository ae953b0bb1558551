import assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine';
import { assertOnlyStatementChanged, createdMigrations, createdScript, folderFixesFor, folderFixFor, relint } from '../test/fix-helpers';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-add-stored-generated-column';
const OUTAGE =
  "ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', coalesce(title, '') || ' ' || coalesce(body, ''))) STORED;";

describe(RULE, () => {
  it('flags the outage migration with the lock, the rewrite and the safe shape', () => {
    assert.deepEqual(findings(OUTAGE, RULE), [
      `1:31 ${RULE} warning: Adding the stored generated column search_vector rewrites events under ACCESS EXCLUSIVE: every row is recomputed while all reads and writes on events wait. On a large table this outlasts statement_timeout and the migration fails.`,
    ]);
    assert.match(underlined(OUTAGE, RULE)[0] ?? '', /^search_vector tsvector GENERATED/);
  });

  it('names the columns the expression reads for the trigger', () => {
    const a = findings(OUTAGE, RULE);
    assert.equal(a.length, 1);
    const help = lint(OUTAGE).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /BEFORE INSERT OR UPDATE OF title, body trigger/);
  });

  it('is an error on a table configured as large, info on a small one', () => {
    assert.match(
      findings(OUTAGE, RULE, { config: { tables: { events: { rows: 1_150_000 } } } })[0] ?? '',
      / error: .*\(events: ~1\.15M rows per pg-migration-guard\.json\)/,
    );
    assert.match(findings(OUTAGE, RULE, { config: { tables: { events: { rows: 500 } } } })[0] ?? '', / info: /);
  });

  it('stays quiet for a table created earlier in the same migration', () => {
    assert.deepEqual(findings(`CREATE TABLE events (title text, body text);\n${OUTAGE}`, RULE), []);
  });

  it('stays quiet for plain columns and VIRTUAL generated columns on PostgreSQL 18', () => {
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN search_vector tsvector;', RULE), []);
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN doubled int GENERATED ALWAYS AS (n * 2) VIRTUAL;', RULE, { config: { pgVersion: 18 } }), []);
  });

  it('still flags STORED on PostgreSQL 18 and suggests VIRTUAL there', () => {
    const f = lint(OUTAGE, { config: { pgVersion: 18 } }).findings.find((x) => x.rule === RULE);
    assert.ok(f);
    assert.match(f.help ?? '', /VIRTUAL/);
  });

  it('applies in every runner context (dbmate section)', () => {
    assert.equal(
      findings(`-- migrate:up\n${OUTAGE}\n-- migrate:down\nALTER TABLE events DROP COLUMN search_vector;\n`, RULE, {
        path: 'db/migrations/20251104093000_x.sql',
      }).length,
      1,
    );
  });
});

describe(`${RULE}: fix`, () => {
  const history = [
    { path: 'db/migrations/20250101000000_init.sql', text: '-- migrate:up\nCREATE TABLE orders (id bigint PRIMARY KEY, price numeric NOT NULL, "Qty" int);\n' },
  ];
  const ADD = 'ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * "Qty") STORED;';
  const dbmate = { path: 'db/migrations/20250312140000_total.sql', history };
  const dbmateSql = `-- migrate:up\n-- keep me\n${ADD}\n\n-- migrate:down\nALTER TABLE orders DROP COLUMN total;\n`;

  it('dbmate: plain column + compute trigger in place of the statement, and a keyed backfill script beside the migrations folder', () => {
    const c = { ...dbmate, sql: dbmateSql };
    const fix = folderFixFor(RULE, c);
    assert.equal(fix.safety, 'review');
    assert.equal(
      fix.title,
      'Add total as a plain column computed by trigger orders_total_compute (no table rewrite); backfill existing rows with backfills/orders_total.sql',
    );
    const out = applyEdits(c.sql, fix.steps);
    assert.equal(
      out,
      '-- migrate:up\n-- keep me\n' +
        'ALTER TABLE orders ADD COLUMN total numeric;\n' +
        'CREATE OR REPLACE FUNCTION orders_total_compute() RETURNS trigger\n' +
        'LANGUAGE plpgsql AS $fn$\n' +
        'BEGIN\n' +
        '  NEW.total := NEW.price * NEW."Qty";\n' +
        '  RETURN NEW;\n' +
        'END\n' +
        '$fn$;\n' +
        'CREATE TRIGGER orders_total_compute\n' +
        'BEFORE INSERT OR UPDATE OF price, "Qty" ON orders\n' +
        'FOR EACH ROW EXECUTE FUNCTION orders_total_compute();\n' +
        '\n-- migrate:down\nALTER TABLE orders DROP COLUMN total;\n',
    );
    assertOnlyStatementChanged(c.sql, out, ADD);
    assert.deepEqual(createdMigrations(fix), [], 'no later migration: the column is nullable');
    const script = createdScript(fix);
    assert.equal(script?.path, 'db/backfills/orders_total.sql');
    assert.equal(
      script?.content,
      [
        '-- Backfill of orders.total: computes (price * "Qty") for the rows that existed before the trigger.',
        '-- Completes migration 20250312140000_total.sql. Not a migration itself: it lives outside the migrations folder',
        '-- and its name has no version, so no runner applies it. Run it after that migration is deployed,',
        '-- with psql in autocommit mode (the default; not -1/--single-transaction: the loop commits per batch):',
        '--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f backfills/orders_total.sql',
        '-- It walks orders by id (orders_pkey) in batches of 10000 rows;',
        '-- each batch commits on its own, so row locks are short and a stopped run loses at most one batch.',
        '-- Rows already filled are skipped: run it again to resume. Needs PostgreSQL 11+ (COMMIT inside DO).',
        '',
        '-- The loop is one statement: a role-level statement_timeout would cancel it; each batch is short.',
        'SET statement_timeout = 0;',
        '',
        'DO $backfill$',
        'DECLARE',
        '  backfill_from orders.id%TYPE;',
        '  backfill_to orders.id%TYPE;',
        'BEGIN',
        '  SELECT min(id) INTO backfill_from FROM orders;',
        '  WHILE backfill_from IS NOT NULL LOOP',
        '    SELECT max(id) INTO backfill_to',
        '      FROM (SELECT id FROM orders WHERE id >= backfill_from ORDER BY id LIMIT 10000) AS batch;',
        '    UPDATE orders SET total = price * "Qty"',
        '     WHERE id BETWEEN backfill_from AND backfill_to',
        '       AND total IS NULL AND (price * "Qty") IS NOT NULL;',
        '    COMMIT;',
        "    RAISE NOTICE 'orders.total: filled through id %', backfill_to;",
        '    SELECT min(id) INTO backfill_from FROM orders WHERE id > backfill_to;',
        '  END LOOP;',
        'END',
        '$backfill$;',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      relint(RULE, c, fix).flatMap((f) => f.findings),
      [],
      'the fixed file no longer adds a stored generated column',
    );
  });

  it('goose: the function body sits between StatementBegin and StatementEnd (goose splits at every line ending in ;)', () => {
    const c = { path: 'migrations/00002_total.sql', history, sql: `-- +goose Up\n${ADD}\n-- +goose Down\nALTER TABLE orders DROP COLUMN total;\n` };
    const fix = folderFixFor(RULE, c);
    assert.equal(
      applyEdits(c.sql, fix.steps),
      '-- +goose Up\n' +
        'ALTER TABLE orders ADD COLUMN total numeric;\n' +
        '-- +goose StatementBegin\n' +
        'CREATE OR REPLACE FUNCTION orders_total_compute() RETURNS trigger\n' +
        'LANGUAGE plpgsql AS $fn$\n' +
        'BEGIN\n' +
        '  NEW.total := NEW.price * NEW."Qty";\n' +
        '  RETURN NEW;\n' +
        'END\n' +
        '$fn$;\n' +
        '-- +goose StatementEnd\n' +
        'CREATE TRIGGER orders_total_compute\n' +
        'BEFORE INSERT OR UPDATE OF price, "Qty" ON orders\n' +
        'FOR EACH ROW EXECUTE FUNCTION orders_total_compute();\n' +
        '-- +goose Down\nALTER TABLE orders DROP COLUMN total;\n',
    );
    assert.equal(createdScript(fix)?.path, 'backfills/orders_total.sql');
    assert.deepEqual(
      relint(RULE, c, fix).flatMap((f) => f.findings),
      [],
    );
    const fixed = lint(applyEdits(c.sql, fix.steps), { path: c.path });
    assert.deepEqual(
      fixed.statements.filter((s) => s.kind === 'CreateFunctionStmt').map((s) => s.text.split('\n').length),
      [7],
      'the function is one statement',
    );
  });

  it('keeps CRLF line endings, in the edit and in the script', () => {
    const sql = dbmateSql.replace(/\n/g, '\r\n');
    const c = { ...dbmate, sql };
    const fix = folderFixFor(RULE, c);
    const out = applyEdits(sql, fix.steps);
    assert.doesNotMatch(out.replace(/\r\n/g, ''), /\n/);
    assertOnlyStatementChanged(sql, out, ADD);
    assert.doesNotMatch(createdScript(fix)?.content.replace(/\r\n/g, '') ?? '\n', /\n/);
  });

  it('NOT NULL moves to two later migrations that refuse to run before the backfill (golang-migrate)', () => {
    const c = {
      path: 'migrations/000002_total.up.sql',
      history,
      sql: 'ALTER TABLE orders ADD COLUMN total numeric NOT NULL GENERATED ALWAYS AS (price * 2) STORED;\n',
    };
    const fix = folderFixFor(RULE, c);
    assert.equal(
      applyEdits(c.sql, fix.steps).split('\n')[0],
      'ALTER TABLE orders ADD COLUMN total numeric;',
      'added nullable: the existing rows are NULL until the backfill',
    );
    assert.deepEqual(
      createdMigrations(fix).map((m) => [m.path, m.content]),
      [
        [
          'migrations/000003_check_orders_total_not_null.up.sql',
          'DO $guard$\nBEGIN\n  IF EXISTS (SELECT 1 FROM orders WHERE total IS NULL) THEN\n' +
            "    RAISE EXCEPTION 'orders.total still has NULL rows: run backfills/orders_total.sql first, then this migration again';\n" +
            '  END IF;\nEND\n$guard$;\n' +
            'ALTER TABLE orders ADD CONSTRAINT orders_total_not_null CHECK (total IS NOT NULL) NOT VALID;\n',
        ],
        ['migrations/000003_check_orders_total_not_null.down.sql', 'ALTER TABLE orders DROP CONSTRAINT IF EXISTS orders_total_not_null;\n'],
        [
          'migrations/000004_set_orders_total_not_null.up.sql',
          'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_not_null;\nALTER TABLE orders ALTER COLUMN total SET NOT NULL;\nALTER TABLE orders DROP CONSTRAINT orders_total_not_null;\n',
        ],
        ['migrations/000004_set_orders_total_not_null.down.sql', 'ALTER TABLE orders ALTER COLUMN total DROP NOT NULL;\n'],
      ],
    );
    assert.deepEqual(
      relint(RULE, c, fix).flatMap((f) => f.findings),
      [],
    );
    assert.deepEqual(
      relint('require-validated-check-for-set-not-null', c, fix).flatMap((f) => f.findings),
      [],
      'SET NOT NULL is proven by the validated check',
    );
  });

  it('without a known single-column key the script walks ctid block ranges and warns when rows moved behind it', () => {
    const fix = folderFixFor(RULE, { path: 'db/schema/x.sql', sql: 'ALTER TABLE app.readings ADD COLUMN v2 int GENERATED ALWAYS AS (v * 2) STORED;\n' });
    const script = createdScript(fix)?.content ?? '';
    assert.equal(createdScript(fix)?.path, 'db/backfills/readings_v2.sql');
    assert.match(script, /No single-column key of app\.readings is known, so it walks physical block ranges \(ctid\)/);
    assert.match(script, /UPDATE app\.readings SET v2 = v \* 2\n {5}WHERE ctid >= format\('\(%s,0\)', backfill_from\)::tid\n {7}AND ctid < format/);
    assert.match(script, /RAISE WARNING 'app\.readings\.v2: rows moved by concurrent updates during the run are still to fill; run this script again'/);
  });

  it('no fix for shapes it cannot carry over: several subcommands, other constraints', () => {
    const none = (sql: string, pgVersion = 15): void => assert.deepEqual(folderFixesFor(RULE, { path: 'db/schema/x.sql', history, sql, pgVersion }), [], sql);
    none('ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * 2) STORED, ADD COLUMN note text;');
    none('ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * 2) STORED UNIQUE;');
    none('ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * 2) STORED CHECK (total > 0);');
  });
});
