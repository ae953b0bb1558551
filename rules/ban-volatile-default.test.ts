import assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine';
import { assertOnlyStatementChanged, createdMigrations, createdScript, folderFixesFor, folderFixFor, relint } from '../test/fix-helpers';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-volatile-default';
const UUID = 'ALTER TABLE events ADD COLUMN public_id uuid DEFAULT gen_random_uuid();';

describe(RULE, () => {
  it('flags a volatile default on an existing table with the lock and the rewrite', () => {
    assert.deepEqual(findings(UUID, RULE), [
      `1:46 ${RULE} warning: Adding public_id rewrites events under ACCESS EXCLUSIVE: DEFAULT gen_random_uuid() is volatile, so PostgreSQL evaluates it once per existing row instead of storing a single value in the catalog. The table and all its indexes are copied while the lock blocks reads and writes on events.`,
    ]);
    assert.deepEqual(underlined(UUID, RULE), ['DEFAULT gen_random_uuid()']);
  });

  it('suggests adding the column bare and setting the default separately, with the real names', () => {
    const help = lint(UUID).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /ALTER TABLE events ADD COLUMN public_id uuid;/);
    assert.match(help, /ALTER TABLE events ALTER COLUMN public_id SET DEFAULT gen_random_uuid\(\);/);
  });

  it('names the volatile call inside a larger expression and underlines only the default', () => {
    const sql = 'ALTER TABLE events ADD COLUMN jitter float8 DEFAULT (random() * 10)::float8 CHECK (jitter >= 0);';
    assert.match(findings(sql, RULE)[0] ?? '', /DEFAULT \(random\(\) \* 10\)::float8 \(it calls random\(\)\) is volatile/);
    assert.deepEqual(underlined(sql, RULE), ['DEFAULT (random() * 10)::float8']);
  });

  it('stays quiet for stable and constant defaults on PostgreSQL 11+ (now(), CURRENT_TIMESTAMP, casts, true)', () => {
    for (const d of ['now()', 'CURRENT_TIMESTAMP', "'x'::text", 'ARRAY[]::text[]', 'true', "'{}'::jsonb", '0', 'NULL']) {
      assert.deepEqual(findings(`ALTER TABLE events ADD COLUMN c text DEFAULT ${d};`, RULE), [], d);
    }
  });

  it('flags any non-NULL default before PostgreSQL 11, and not DEFAULT NULL', () => {
    const sql = 'ALTER TABLE events ADD COLUMN priority int NOT NULL DEFAULT 0;';
    assert.deepEqual(findings(sql, RULE, { config: { pgVersion: 10 } }), [
      `1:53 ${RULE} warning: Adding priority rewrites events under ACCESS EXCLUSIVE: before PostgreSQL 11 a non-NULL default (here 0) is written into every existing row. The table and all its indexes are copied while the lock blocks reads and writes on events.`,
    ]);
    assert.deepEqual(findings(sql, RULE, { config: { pgVersion: 11 } }), []);
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN n text DEFAULT NULL;', RULE, { config: { pgVersion: 10 } }), []);
  });

  it('stays quiet for a table created earlier in the same migration', () => {
    assert.deepEqual(findings(`CREATE TABLE events (id bigint);\n${UUID}`, RULE), []);
  });

  it('leaves serial, identity and generated columns to their own rules', () => {
    assert.deepEqual(findings('ALTER TABLE events ADD COLUMN s bigserial, ADD COLUMN i bigint GENERATED ALWAYS AS IDENTITY;', RULE), []);
  });

  it('applies inside a runner transaction too, and escalates with a known table size', () => {
    assert.equal(findings(`-- migrate:up\n${UUID}\n-- migrate:down\nSELECT 1;\n`, RULE, { path: 'db/migrations/20250101000000_x.sql' }).length, 1);
    assert.match(
      findings(UUID, RULE, { config: { tables: { events: { rows: 2_000_000 } } } })[0] ?? '',
      / error: .*\(events: ~2M rows per pg-migration-guard\.json\)/,
    );
  });
});

describe(`${RULE}: fix`, () => {
  const history = [{ path: 'migrations/00001_init.sql', text: '-- +goose Up\nCREATE TABLE events (id bigint PRIMARY KEY, kind text);\n' }];
  const ADD = 'ALTER TABLE events ADD COLUMN public_id uuid DEFAULT gen_random_uuid();';

  it('dbmate: ADD COLUMN without the default plus SET DEFAULT in one statement, and a backfill of the default', () => {
    const sql = `-- migrate:up\n${ADD}\nSELECT 1;\n\n-- migrate:down\nALTER TABLE events DROP COLUMN public_id;\n`;
    const c = {
      path: 'db/migrations/20250401090000_public_id.sql',
      sql,
      history: [{ path: 'db/migrations/20250101000000_init.sql', text: '-- migrate:up\nCREATE TABLE events (id bigint PRIMARY KEY, kind text);\n' }],
    };
    const fix = folderFixFor(RULE, c);
    assert.equal(fix.safety, 'review');
    assert.equal(
      fix.title,
      'Add public_id without a default, then SET DEFAULT gen_random_uuid() for new rows (no table rewrite); backfill existing rows with backfills/events_public_id.sql',
    );
    const out = applyEdits(sql, fix.steps);
    assert.equal(
      out,
      '-- migrate:up\nALTER TABLE events\n  ADD COLUMN public_id uuid,\n  ALTER COLUMN public_id SET DEFAULT gen_random_uuid();\nSELECT 1;\n\n-- migrate:down\nALTER TABLE events DROP COLUMN public_id;\n',
    );
    assertOnlyStatementChanged(sql, out, ADD);
    assert.equal(createdScript(fix)?.path, 'db/backfills/events_public_id.sql');
    assert.match(
      createdScript(fix)?.content ?? '',
      /\n {4}UPDATE events SET public_id = gen_random_uuid\(\)\n {5}WHERE id BETWEEN backfill_from AND backfill_to\n {7}AND public_id IS NULL;\n {4}COMMIT;\n/,
    );
    assert.deepEqual(createdMigrations(fix), []);
    assert.deepEqual(
      relint(RULE, c, fix).flatMap((f) => f.findings),
      [],
    );
    assert.deepEqual(
      relint('prefer-single-alter-table', c, fix).flatMap((f) => f.findings),
      [],
      'one ALTER TABLE, not two',
    );
  });

  it('goose, NOT NULL: nullable now; guard + NOT VALID check, then VALIDATE + SET NOT NULL, in two later migrations', () => {
    const sql =
      '-- +goose Up\nALTER TABLE events ADD COLUMN seen_at timestamptz NOT NULL DEFAULT clock_timestamp();\n-- +goose Down\nALTER TABLE events DROP COLUMN seen_at;\n';
    const c = {
      path: 'migrations/00002_seen_at.sql',
      sql,
      history,
      env: { listDir: (d: string) => (d === 'migrations' ? ['00001_init.sql', '00002_seen_at.sql', '00003_other.sql'] : []) },
    };
    const fix = folderFixFor(RULE, c);
    assert.equal(
      applyEdits(sql, fix.steps),
      '-- +goose Up\nALTER TABLE events\n  ADD COLUMN seen_at timestamptz,\n  ALTER COLUMN seen_at SET DEFAULT clock_timestamp();\n-- +goose Down\nALTER TABLE events DROP COLUMN seen_at;\n',
    );
    assert.deepEqual(
      createdMigrations(fix).map((m) => [m.path, m.content]),
      [
        [
          'migrations/00004_check_events_seen_at_not_null.sql',
          '-- +goose Up\n-- +goose StatementBegin\nDO $guard$\nBEGIN\n  IF EXISTS (SELECT 1 FROM events WHERE seen_at IS NULL) THEN\n' +
            "    RAISE EXCEPTION 'events.seen_at still has NULL rows: run backfills/events_seen_at.sql first, then this migration again';\n" +
            '  END IF;\nEND\n$guard$;\n-- +goose StatementEnd\n' +
            'ALTER TABLE events ADD CONSTRAINT events_seen_at_not_null CHECK (seen_at IS NOT NULL) NOT VALID;\n\n' +
            '-- +goose Down\nALTER TABLE events DROP CONSTRAINT IF EXISTS events_seen_at_not_null;\n',
        ],
        [
          'migrations/00005_set_events_seen_at_not_null.sql',
          '-- +goose Up\nALTER TABLE events VALIDATE CONSTRAINT events_seen_at_not_null;\nALTER TABLE events ALTER COLUMN seen_at SET NOT NULL;\nALTER TABLE events DROP CONSTRAINT events_seen_at_not_null;\n\n' +
            '-- +goose Down\nALTER TABLE events ALTER COLUMN seen_at DROP NOT NULL;\n',
        ],
      ],
      'versions after the ones already taken on disk',
    );
    assert.match(fix.title, /; NOT NULL after the backfill in 00004_check_events_seen_at_not_null\.sql and 00005_set_events_seen_at_not_null\.sql$/);
    const relinted = relint(RULE, c, fix);
    assert.deepEqual(
      relinted.flatMap((f) => f.findings),
      [],
    );
    assert.deepEqual(
      relint('ban-validate-in-same-transaction', c, fix).flatMap((f) => f.findings),
      [],
    );
  });

  it('keeps CRLF and everything around the statement', () => {
    const sql = `-- migrate:up\r\n/* before */ ${ADD} -- after\r\nSELECT 1;\r\n`;
    const c = { path: 'db/migrations/20250401090000_public_id.sql', sql };
    const fix = folderFixFor(RULE, c);
    const out = applyEdits(sql, fix.steps);
    assertOnlyStatementChanged(sql, out, ADD);
    assert.equal(
      out,
      '-- migrate:up\r\n/* before */ ALTER TABLE events\r\n  ADD COLUMN public_id uuid,\r\n  ALTER COLUMN public_id SET DEFAULT gen_random_uuid(); -- after\r\nSELECT 1;\r\n',
    );
    assert.doesNotMatch(createdScript(fix)?.content.replace(/\r\n/g, '') ?? '\n', /\n/);
  });

  it('no fix where no later migration can be placed for NOT NULL (plain psql file)', () => {
    assert.deepEqual(
      folderFixesFor(RULE, { path: 'db/schema/x.sql', sql: 'ALTER TABLE events ADD COLUMN t timestamptz NOT NULL DEFAULT clock_timestamp();' }),
      [],
    );
  });

  it('no fix for other constraints, several subcommands, or PostgreSQL 10 (no COMMIT inside DO)', () => {
    const none = (sql: string, pgVersion = 15): void => assert.deepEqual(folderFixesFor(RULE, { path: 'db/schema/x.sql', sql, pgVersion }), [], sql);
    none('ALTER TABLE events ADD COLUMN public_id uuid DEFAULT gen_random_uuid() UNIQUE;');
    none('ALTER TABLE events ADD COLUMN public_id uuid DEFAULT gen_random_uuid(), ADD COLUMN note text;');
    none('ALTER TABLE events ADD COLUMN flag boolean DEFAULT true;', 10);
  });
});

describe(`${RULE}: fix keeps the user's spelling`, () => {
  it('copies the type and the default expression exactly as written (spaces inside a literal, a comment; NOT NULL deferred)', () => {
    const ADD = "ALTER TABLE events ADD COLUMN label text DEFAULT 'id  ' || /* keep */ gen_random_uuid()::text NOT NULL;";
    const c = { path: 'db/migrations/20250401090000_label.sql', sql: `-- migrate:up\n${ADD}\n` };
    const out = applyEdits(c.sql, folderFixFor(RULE, c).steps);
    assert.equal(
      out.split('\n').slice(1, 4).join('\n'),
      "ALTER TABLE events\n  ADD COLUMN label text,\n  ALTER COLUMN label SET DEFAULT 'id  ' || /* keep */ gen_random_uuid()::text;",
    );
  });
});
