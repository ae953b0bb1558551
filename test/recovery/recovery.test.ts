/**
 * The recovery snippet, proven on a real PostgreSQL 15 server the test starts itself.
 *
 * For each runner and mode: a database with 200,000 rows in `events`; the migration run the way
 * the runner runs it (dbmate: the real binary; goose and golang-migrate: their documented
 * semantics through node-postgres, ledger tables included) with statement_timeout=50ms, so it
 * FAILS; then the generated snippet through `psql -v ON_ERROR_STOP=1 -f` (with the same 50ms
 * timeout in the session, which the snippet must lift). The schema must then equal that of a
 * database where the same migration succeeded, and the ledger must hold exactly what a successful
 * run writes (dbmate: `dbmate status` says applied, nothing pending). Concurrent index builds that
 * timed out leave an INVALID index: the snippet's check + guard stop it, and the DROP it gives
 * recovers. The unit-level cases at the end need no server.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { recoverySnippet } from '../../server/src/engine';
import { type PgServer, startFromBinaries } from '../../server/src/trace/servers';
import { lint } from '../helpers';

const ROOT = join(__dirname, '..', '..');
const BIN = '/usr/lib/postgresql/15/bin';
const DBMATE = join(ROOT, 'node_modules', '@dbmate', 'linux-x64', 'bin', 'dbmate');
const TIMEOUT = '50ms';
const ROWS = 200_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - t0 }));
  });
}

/** Statements of a goose file's Up section as goose's parser cuts them (line-final `;`). */
function gooseUp(text: string): { statements: string[]; noTransaction: boolean } {
  const statements: string[] = [];
  let noTransaction = false;
  let inUp = false;
  let buf: string[] = [];
  for (const raw of text.split('\n')) {
    const annotation = /^--\s*\+goose\s+(.*)$/i.exec(raw);
    if (annotation) {
      const what = (annotation[1] ?? '').trim().toLowerCase();
      if (what === 'no transaction') noTransaction = true;
      else if (what === 'up') inUp = true;
      else if (what === 'down') inUp = false;
      continue;
    }
    if (!inUp) continue;
    if (buf.length === 0 && (raw.trim() === '' || raw.trim().startsWith('--'))) continue;
    buf.push(raw);
    const words = raw
      .replace(/\s--.*$/, '')
      .trim()
      .split(/\s+/);
    if ((words[words.length - 1] ?? '').endsWith(';')) {
      statements.push(buf.join('\n'));
      buf = [];
    }
  }
  return { statements, noTransaction };
}

describe('recovery snippet on PostgreSQL 15 (failed migration → snippet → same schema and ledger as a successful run)', function () {
  this.timeout(300_000);
  let server: PgServer;
  let admin: Client;
  let work: string;
  let dbCounter = 0;
  const timings: string[] = [];

  const client = async (database: string, timeout?: string): Promise<Client> => {
    const c = new Client({
      host: '127.0.0.1',
      port: server.port,
      user: 'postgres',
      database,
      ...(timeout ? { options: `-c statement_timeout=${timeout}` } : {}),
    });
    await c.connect();
    return c;
  };
  const query = async <T extends object>(database: string, sql: string): Promise<T[]> => {
    const c = await client(database);
    try {
      return (await c.query<T>(sql)).rows;
    } finally {
      await c.end();
    }
  };
  const newDb = async (label: string): Promise<string> => {
    const name = `${label}_${++dbCounter}`;
    await admin.query(`CREATE DATABASE ${name} TEMPLATE seed`);
    return name;
  };
  const conn = ['-h', '127.0.0.1', '-U', 'postgres'];
  const psqlFile = async (database: string, file: string): Promise<Run> =>
    // The session carries the same tiny timeout as the failed run: the snippet must lift it.
    run(join(BIN, 'psql'), [...conn, '-p', String(server.port), '-X', '-v', 'ON_ERROR_STOP=1', '-d', database, '-f', file], {
      PGOPTIONS: `-c statement_timeout=${TIMEOUT}`,
    });
  const psqlCommand = (database: string, sql: string): Promise<Run> =>
    run(join(BIN, 'psql'), [...conn, '-p', String(server.port), '-X', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql]);
  const schemaOf = async (database: string, ledger: string): Promise<string> => {
    const r = await run(join(BIN, 'pg_dump'), [...conn, '-p', String(server.port), '--schema-only', '--no-owner', '-T', ledger, database]);
    assert.equal(r.code, 0, r.stderr);
    // pg_dump ≥ 15.14 brackets the dump with \restrict <random key>: not part of the schema.
    return r.stdout
      .split('\n')
      .filter((l) => !/^\\(un)?restrict /.test(l))
      .join('\n');
  };
  const writeSnippet = (name: string, text: string): string => {
    const file = join(work, name);
    writeFileSync(file, text);
    return file;
  };
  const dbmateUrl = (database: string, timeout?: string): string =>
    `postgres://postgres@127.0.0.1:${server.port}/${database}?sslmode=disable${timeout ? `&options=-c%20statement_timeout%3D${timeout}` : ''}`;
  const dbmate = (dir: string, database: string, command: string[], timeout?: string): Promise<Run> =>
    run(DBMATE, ['--migrations-dir', dir, '--no-dump-schema', ...command], { DATABASE_URL: dbmateUrl(database, timeout) });
  const indexValid = async (database: string, index: string): Promise<boolean | undefined> =>
    (await query<{ v: boolean }>(database, `SELECT indisvalid AS v FROM pg_index WHERE indexrelid = to_regclass('${index}')`))[0]?.v;
  const dropLinesOf = (snippet: string): string[] => [...snippet.matchAll(/^--\s+(DROP INDEX CONCURRENTLY IF EXISTS [^;]+;)$/gm)].map((m) => m[1] ?? '');

  before(async () => {
    if (!existsSync(join(BIN, 'postgres'))) throw new Error(`${BIN}/postgres not found: install Debian's postgresql-15`);
    assert.ok(existsSync(DBMATE), `${DBMATE} not found`);
    work = mkdtempSync(join(tmpdir(), 'pgmg-recovery-'));
    server = await startFromBinaries(BIN);
    admin = await server.connect();
    await admin.query('CREATE DATABASE seed');
    const seed = await server.connect('seed');
    await seed.query(`CREATE TABLE events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      kind text NOT NULL,
      amount numeric NOT NULL,
      payload text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    await seed.query(
      `INSERT INTO events (kind, amount, payload, created_at)
       SELECT 'k' || (g % 50), g % 1000, md5(g::text), timestamptz '2024-01-01' + g * interval '1 second' FROM generate_series(1, ${ROWS}) g`,
    );
    await seed.query('VACUUM ANALYZE events');
    await seed.end();
  });

  after(async () => {
    await admin?.end();
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
    if (timings.length > 0) console.log(`      timings (ms): ${timings.join('; ')}`);
  });

  // ---- dbmate, with the real binary ---------------------------------------------------------------

  const dbmateCase = async (name: string, file: string, text: string) => {
    const dir = join(work, name);
    mkdirSync(dir);
    writeFileSync(join(dir, file), text);
    const failed = await newDb(name);
    const reference = await newDb(`${name}_ref`);
    const failedRun = await dbmate(dir, failed, ['up'], TIMEOUT);
    assert.notEqual(failedRun.code, 0, `dbmate up should fail on the ${TIMEOUT} timeout:\n${failedRun.stdout}`);
    assert.match(failedRun.stderr + failedRun.stdout, /statement timeout/);
    const refRun = await dbmate(dir, reference, ['up']);
    assert.equal(refRun.code, 0, refRun.stderr);
    const pending = await dbmate(dir, failed, ['status']);
    assert.match(pending.stdout, /Pending: 1/);
    const snippet = recoverySnippet(lint(text, { path: `db/migrations/${file}` }));
    return { dir, failed, reference, failedRun, refRun, snippet, snippetFile: writeSnippet(`${name}.sql`, snippet.text) };
  };

  const assertDbmateRecovered = async (dir: string, failed: string, reference: string, file: string) => {
    assert.equal(await schemaOf(failed, 'schema_migrations'), await schemaOf(reference, 'schema_migrations'));
    assert.deepEqual(
      await query(failed, 'SELECT version FROM schema_migrations ORDER BY version'),
      await query(reference, 'SELECT version FROM schema_migrations ORDER BY version'),
    );
    const status = await dbmate(dir, failed, ['status', '--exit-code']);
    assert.equal(status.code, 0, `dbmate status --exit-code:\n${status.stdout}${status.stderr}`);
    assert.match(status.stdout, new RegExp(`\\[X\\] ${file.replace('.', '\\.')}`));
    assert.match(status.stdout, /Applied: 1/);
    assert.match(status.stdout, /Pending: 0/);
    const again = await dbmate(dir, failed, ['up']);
    assert.equal(again.code, 0, again.stderr);
  };

  it('dbmate, transactional: the founding outage (GENERATED … STORED rewrite) fails on the timeout; the snippet applies it and dbmate sees it applied', async () => {
    const file = '20240101120000_add_total.sql';
    const text = `-- migrate:up
ALTER TABLE events ADD COLUMN total numeric GENERATED ALWAYS AS (amount * 2) STORED;
CREATE INDEX events_total_idx ON events (total);
ALTER TABLE events ADD CONSTRAINT events_amount_nonneg CHECK (amount >= 0);

-- migrate:down
ALTER TABLE events DROP COLUMN total;
ALTER TABLE events DROP CONSTRAINT events_amount_nonneg;
`;
    const c = await dbmateCase('dbmate_tx', file, text);
    assert.equal(c.snippet.mode, 'transactional');
    assert.deepEqual(c.snippet.warnings, []);
    // The failed run rolled back: nothing of it is there, and the ledger has no row.
    assert.deepEqual(await query(c.failed, "SELECT 1 FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'total'"), []);
    assert.deepEqual(await query(c.failed, 'SELECT version FROM schema_migrations'), []);

    const r = await psqlFile(c.failed, c.snippetFile);
    assert.equal(r.code, 0, r.stderr);
    // The preamble reported every object absent before the replay.
    assert.match(r.stdout, /column events\.total\s*\|\s*f/);
    assert.match(r.stdout, /index events_total_idx\s*\|\s*f/);
    assert.match(r.stdout, /constraint events_amount_nonneg on events\s*\|\s*f/);
    await assertDbmateRecovered(c.dir, c.failed, c.reference, file);
    timings.push(`dbmate tx: failed up ${c.failedRun.ms}, successful up ${c.refRun.ms}, snippet ${r.ms}`);
  });

  it('dbmate, transaction:false with CREATE INDEX CONCURRENTLY: the timed-out build leaves an INVALID index; the snippet detects it, stops before the ledger, and its DROP + re-run recovers', async () => {
    const file = '20240101130000_events_kind_payload_idx.sql';
    const text = `-- migrate:up transaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_payload_idx ON events (kind, payload);

-- migrate:down transaction:false
DROP INDEX CONCURRENTLY IF EXISTS events_kind_payload_idx;
`;
    const c = await dbmateCase('dbmate_cic', file, text);
    assert.equal(c.snippet.mode, 'non-transactional');
    assert.equal(await indexValid(c.failed, 'events_kind_payload_idx'), false, 'the timed-out CIC should leave an INVALID index');

    // First run: IF NOT EXISTS skips (the invalid index exists), the check shows f, the guard stops before the ledger.
    const first = await psqlFile(c.failed, c.snippetFile);
    assert.notEqual(first.code, 0);
    assert.match(first.stdout, /index events_kind_payload_idx valid\s*\|\s*f/);
    assert.match(first.stdout, /events_kind_payload_idx\s*\|\s*f/);
    assert.match(first.stderr, /events_kind_payload_idx is INVALID/);
    assert.deepEqual(await query(c.failed, 'SELECT version FROM schema_migrations'), []);

    // The operator runs the DROP the snippet gives, then the snippet again.
    assert.deepEqual(dropLinesOf(c.snippet.text), ['DROP INDEX CONCURRENTLY IF EXISTS events_kind_payload_idx;']);
    const drop = await psqlCommand(c.failed, dropLinesOf(c.snippet.text)[0] ?? '');
    assert.equal(drop.code, 0, drop.stderr);
    const second = await psqlFile(c.failed, c.snippetFile);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /events_kind_payload_idx\s*\|\s*t/);
    assert.equal(await indexValid(c.failed, 'events_kind_payload_idx'), true);
    await assertDbmateRecovered(c.dir, c.failed, c.reference, file);
    timings.push(`dbmate cic: failed up ${c.failedRun.ms}, successful up ${c.refRun.ms}, snippet ${first.ms} (guard stop) + ${second.ms}`);
  });

  // ---- goose (emulated: one Exec per parsed statement; BEGIN…insert…COMMIT unless NO TRANSACTION) ---

  const GOOSE_LEDGER = `CREATE TABLE goose_db_version (id integer PRIMARY KEY GENERATED BY DEFAULT AS IDENTITY, version_id bigint NOT NULL, is_applied boolean NOT NULL, tstamp timestamp NOT NULL DEFAULT now())`;
  const gooseUpRun = async (database: string, version: number, text: string, timeout?: string): Promise<void> => {
    const c = await client(database, timeout);
    try {
      const exists = (await c.query("SELECT to_regclass('goose_db_version') IS NOT NULL AS e")).rows[0]?.e === true;
      if (!exists) {
        await c.query(GOOSE_LEDGER);
        await c.query('INSERT INTO goose_db_version (version_id, is_applied) VALUES (0, true)');
      }
      const { statements, noTransaction } = gooseUp(text);
      if (noTransaction) {
        for (const s of statements) await c.query(s);
        await c.query('INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, $2)', [version, true]);
      } else {
        await c.query('BEGIN');
        try {
          for (const s of statements) await c.query(s);
          await c.query('INSERT INTO goose_db_version (version_id, is_applied) VALUES ($1, $2)', [version, true]);
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await c.end();
    }
  };
  const gooseLedger = (database: string) => query(database, 'SELECT version_id::text, is_applied FROM goose_db_version ORDER BY id');

  it('goose, default (transaction): the failed run rolls back; the snippet applies it and writes the goose_db_version row', async () => {
    const file = '00003_add_total.sql';
    const text = `-- +goose Up
ALTER TABLE events ADD COLUMN total numeric GENERATED ALWAYS AS (amount * 2) STORED;
CREATE INDEX events_total_idx ON events (total);

-- +goose Down
ALTER TABLE events DROP COLUMN total;
`;
    const failed = await newDb('goose_tx');
    const reference = await newDb('goose_tx_ref');
    await assert.rejects(gooseUpRun(failed, 3, text, TIMEOUT), /statement timeout/);
    await gooseUpRun(reference, 3, text);
    const snippet = recoverySnippet(lint(text, { path: `migrations/${file}` }));
    assert.equal(snippet.mode, 'transactional');
    assert.match(snippet.text, /INSERT INTO goose_db_version \(version_id, is_applied\) VALUES \(3, true\);/);
    const r = await psqlFile(failed, writeSnippet('goose_tx.sql', snippet.text));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await schemaOf(failed, 'goose_db_version'), await schemaOf(reference, 'goose_db_version'));
    assert.deepEqual(await gooseLedger(failed), await gooseLedger(reference));
    assert.deepEqual(await gooseLedger(failed), [
      { version_id: '0', is_applied: true },
      { version_id: '3', is_applied: true },
    ]);
    timings.push(`goose tx: snippet ${r.ms}`);
  });

  it('goose, NO TRANSACTION: the first statement commits, CIC times out (INVALID index, no ledger row); the snippet fails on the leftover, its DROP + re-run recovers', async () => {
    const file = '00004_events_created_idx.sql';
    const text = `-- +goose NO TRANSACTION
-- +goose Up
ALTER TABLE events ADD COLUMN IF NOT EXISTS note text;
CREATE INDEX CONCURRENTLY events_created_payload_idx ON events (created_at, payload);

-- +goose Down
DROP INDEX CONCURRENTLY IF EXISTS events_created_payload_idx;
ALTER TABLE events DROP COLUMN IF EXISTS note;
`;
    const failed = await newDb('goose_notx');
    const reference = await newDb('goose_notx_ref');
    await assert.rejects(gooseUpRun(failed, 4, text, TIMEOUT), /statement timeout/);
    await gooseUpRun(reference, 4, text);
    assert.equal(await indexValid(failed, 'events_created_payload_idx'), false);
    assert.equal(
      (await query(failed, "SELECT 1 FROM information_schema.columns WHERE table_name = 'events' AND column_name = 'note'")).length,
      1,
      'the first statement committed',
    );

    const snippet = recoverySnippet(lint(text, { path: `migrations/${file}` }));
    assert.equal(snippet.mode, 'non-transactional');
    const snippetFile = writeSnippet('goose_notx.sql', snippet.text);
    // The preamble tells the partly applied state; the CIC without IF NOT EXISTS then fails on the leftover.
    const first = await psqlFile(failed, snippetFile);
    assert.notEqual(first.code, 0);
    assert.match(first.stdout, /column events\.note\s*\|\s*t/);
    assert.match(first.stdout, /index events_created_payload_idx\s*\|\s*t/);
    assert.match(first.stdout, /index events_created_payload_idx valid\s*\|\s*f/);
    assert.match(first.stderr, /already exists/);
    assert.deepEqual(await gooseLedger(failed), [{ version_id: '0', is_applied: true }]);

    const drop = await psqlCommand(failed, dropLinesOf(snippet.text)[0] ?? '');
    assert.equal(drop.code, 0, drop.stderr);
    const second = await psqlFile(failed, snippetFile);
    assert.equal(second.code, 0, second.stderr);
    assert.equal(await schemaOf(failed, 'goose_db_version'), await schemaOf(reference, 'goose_db_version'));
    assert.deepEqual(await gooseLedger(failed), await gooseLedger(reference));
    timings.push(`goose no-tx: snippet ${first.ms} (fails on leftover) + ${second.ms}`);
  });

  // ---- golang-migrate (emulated: SetVersion(v, dirty=true); whole file in one Exec; SetVersion(v, false)) ----

  const GM_LEDGER = 'CREATE TABLE IF NOT EXISTS "public"."schema_migrations" (version bigint not null primary key, dirty boolean not null)';
  const setVersion = async (c: Client, version: number, dirty: boolean): Promise<void> => {
    await c.query('BEGIN');
    await c.query('TRUNCATE "public"."schema_migrations"');
    await c.query('INSERT INTO "public"."schema_migrations" (version, dirty) VALUES ($1, $2)', [version, dirty]);
    await c.query('COMMIT');
  };
  const golangMigrateUp = async (database: string, version: number, text: string, timeout?: string): Promise<void> => {
    const c = await client(database, timeout);
    try {
      await c.query(GM_LEDGER);
      await setVersion(c, version, true);
      await c.query(text); // one simple-query Exec: several statements = one implicit transaction
      await setVersion(c, version, false);
    } finally {
      await c.end();
    }
  };
  const gmLedger = (database: string) => query(database, 'SELECT version::text, dirty FROM schema_migrations');

  it('golang-migrate: the failed run leaves dirty=true; the snippet applies the file and leaves the single clean row', async () => {
    const file = '000002_add_total.up.sql';
    const text = `ALTER TABLE events ADD COLUMN total numeric GENERATED ALWAYS AS (amount * 2) STORED;
CREATE INDEX events_total_idx ON events (total);
ALTER TABLE events ADD CONSTRAINT events_amount_nonneg CHECK (amount >= 0);
`;
    const failed = await newDb('gm');
    const reference = await newDb('gm_ref');
    for (const db of [failed, reference]) {
      const c = await client(db);
      await c.query(GM_LEDGER);
      await setVersion(c, 1, false); // migration 1 applied earlier
      await c.end();
    }
    await assert.rejects(golangMigrateUp(failed, 2, text, TIMEOUT), /statement timeout/);
    await golangMigrateUp(reference, 2, text);
    assert.deepEqual(await gmLedger(failed), [{ version: '2', dirty: true }]);

    const snippet = recoverySnippet(lint(text, { path: `migrations/${file}` }));
    assert.equal(snippet.mode, 'transactional');
    const r = await psqlFile(failed, writeSnippet('gm.sql', snippet.text));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 \| t/, 'the preamble shows the dirty ledger');
    assert.equal(await schemaOf(failed, 'schema_migrations'), await schemaOf(reference, 'schema_migrations'));
    assert.deepEqual(await gmLedger(failed), await gmLedger(reference));
    assert.deepEqual(await gmLedger(failed), [{ version: '2', dirty: false }]);
    timings.push(`golang-migrate: snippet ${r.ms}`);
  });
});

// ---- unit level: no server ----------------------------------------------------------------------

/** The snippet's own statements as PostgreSQL would run them from psql -f (a plain file). */
function snippetStatements(text: string) {
  return lint(text, { path: 'recovery/snippet.sql', config: { runner: 'plain' } }).statements;
}

describe('recovery snippet (unit)', () => {
  it('Flyway: `flyway repair`, no INSERT into flyway_schema_history', () => {
    const s = recoverySnippet(lint('ALTER TABLE events ADD COLUMN note text;\n', { path: 'db/migration/V2__add_note.sql' }));
    assert.match(s.text, /flyway repair/);
    assert.doesNotMatch(s.text, /INSERT\s+INTO\s+\S*flyway_schema_history/i);
    assert.match(s.text, /do NOT write flyway_schema_history rows by hand/);
    assert.ok(s.warnings.some((w) => /flyway repair/.test(w)));
  });

  it('Prisma: `prisma migrate resolve --applied <dir>`, no INSERT into _prisma_migrations', () => {
    const s = recoverySnippet(lint('ALTER TABLE events ADD COLUMN note text;\n', { path: 'prisma/migrations/20240101000000_add_note/migration.sql' }));
    assert.match(s.text, /prisma migrate resolve --applied 20240101000000_add_note/);
    assert.doesNotMatch(s.text, /INSERT\s+INTO\s+\S*_prisma_migrations/i);
  });

  it('sqitch and atlas: their own commands, no guessed SQL into their registries', () => {
    const sq = recoverySnippet(lint('BEGIN;\nALTER TABLE events ADD COLUMN note text;\nCOMMIT;\n', { path: 'sqitch/deploy/add_note.sql' }));
    assert.match(sq.text, /sqitch deploy --log-only/);
    assert.doesNotMatch(sq.text, /INSERT\s+INTO\s+sqitch\./i);
    const at = recoverySnippet(lint('-- atlas:txmode none\nCREATE INDEX CONCURRENTLY i ON events (kind);\n', { path: 'migrations/20240101000000_i.sql' }));
    assert.equal(at.mode, 'non-transactional');
    assert.match(at.text, /atlas migrate set 20240101000000/);
    assert.doesNotMatch(at.text, /INSERT\s+INTO\s+\S*atlas_schema_revisions/i);
  });

  it('diesel: the version insert into __diesel_schema_migrations', () => {
    const s = recoverySnippet(lint('ALTER TABLE events ADD COLUMN note text;\n', { path: 'migrations/2024-01-01-000000_add_note/up.sql' }));
    assert.match(s.text, /INSERT INTO __diesel_schema_migrations \(version\) VALUES \('20240101000000'\);/);
  });

  const nonTransactional: Array<[string, string, string]> = [
    [
      'dbmate transaction:false',
      'db/migrations/20240101000000_i.sql',
      '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON events (kind);\n-- migrate:down\nDROP INDEX i;\n',
    ],
    [
      'goose NO TRANSACTION, two CICs and a table',
      'migrations/00002_i.sql',
      '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON events (kind);\nREINDEX INDEX CONCURRENTLY j;\n',
    ],
    ['atlas txmode none', 'migrations/20240101000000_i.sql', '-- atlas:txmode none\nCREATE TABLE t (a int);\nCREATE UNIQUE INDEX CONCURRENTLY i ON t (a);\n'],
    ['golang-migrate, CIC alone', 'migrations/000002_i.up.sql', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS "Idx" ON "Events" (kind);\n'],
    ['Flyway, all CIC', 'db/migration/V3__i.sql', 'CREATE INDEX CONCURRENTLY i ON events (kind);\n'],
  ];
  for (const [name, path, text] of nonTransactional) {
    it(`non-transactional (${name}): no CONCURRENTLY statement inside BEGIN; session-level timeouts; a check after each build`, () => {
      const s = recoverySnippet(lint(text, { path }));
      assert.equal(s.mode, 'non-transactional');
      const stmts = snippetStatements(s.text);
      const concurrent = stmts.filter((x) => x.concurrently);
      assert.ok(concurrent.length > 0);
      for (const x of concurrent) assert.equal(x.transaction, 'none', `${x.text} runs inside a transaction block`);
      assert.ok(!stmts.some((x) => /SET\s+LOCAL/i.test(x.text)));
      assert.ok(stmts.some((x) => /^SET statement_timeout = 0;$/.test(x.text)));
      assert.ok(stmts.some((x) => /^SET lock_timeout = 0;$/.test(x.text)));
      const checks = stmts.filter((x) => /indisvalid FROM pg_index WHERE indexrelid = '.*'::regclass;$/.test(x.text));
      assert.equal(checks.length, concurrent.length);
      // The ledger write (when the runner has one we may write) runs last, in its own transaction.
      const begins = stmts.filter((x) => x.kind === 'TransactionStmt');
      for (const b of begins) assert.ok(b.index > (concurrent[concurrent.length - 1]?.index ?? 0));
    });
  }

  it('non-transactional: the check queries the exact index and the DROP comment names it, quoted', () => {
    const s = recoverySnippet(lint('CREATE INDEX CONCURRENTLY IF NOT EXISTS "Idx" ON app."Events" (kind);\n', { path: 'migrations/000002_i.up.sql' }));
    assert.match(s.text, /SELECT indexrelid::regclass, indisvalid FROM pg_index WHERE indexrelid = 'app\."Idx"'::regclass;/);
    assert.match(s.text, /^-- {3}DROP INDEX CONCURRENTLY IF EXISTS app\."Idx";$/m);
    assert.match(s.text, /pg_indexes WHERE schemaname = 'app' AND indexname = 'Idx'/);
    assert.match(s.text, /^BEGIN;\nTRUNCATE schema_migrations;\nINSERT INTO schema_migrations \(version, dirty\) VALUES \(2, false\);\nCOMMIT;$/m);
  });

  const transactional: Array<[string, string, string]> = [
    [
      'dbmate',
      'db/migrations/20240101000000_x.sql',
      '-- migrate:up\nCREATE TABLE t (a int);\nALTER TABLE events ADD COLUMN total numeric GENERATED ALWAYS AS (amount * 2) STORED;\n-- migrate:down\nDROP TABLE t;\n',
    ],
    ['goose', 'migrations/00005_x.sql', '-- +goose Up\nCREATE TABLE t (a int);\nCREATE INDEX i ON t (a);\n-- +goose Down\nDROP TABLE t;\n'],
    ['golang-migrate', 'migrations/000005_x.up.sql', 'CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT t_a CHECK (a > 0);\n'],
    ['sqitch with BEGIN/COMMIT', 'deploy/x.sql', 'BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;\n'],
  ];
  for (const [name, path, text] of transactional) {
    it(`transactional (${name}): one BEGIN … COMMIT holding SET LOCAL timeouts, the statements verbatim and the ledger write`, () => {
      const analysis = lint(text, { path });
      const s = recoverySnippet(analysis);
      assert.equal(s.mode, 'transactional');
      const stmts = snippetStatements(s.text);
      const tx = stmts.filter((x) => x.kind === 'TransactionStmt');
      assert.deepEqual(
        tx.map((x) => x.text),
        ['BEGIN;', 'COMMIT;'],
      );
      const [begin, commit] = tx.map((x) => x.index) as [number, number];
      const inside = stmts.filter((x) => x.index > begin && x.index < commit).map((x) => x.text);
      assert.deepEqual(inside.slice(0, 2), ['SET LOCAL statement_timeout = 0;', 'SET LOCAL lock_timeout = 0;']);
      for (const m of analysis.statements.filter((x) => x.section === 'up' && x.kind !== 'TransactionStmt'))
        assert.ok(inside.includes(m.text.trim()), `${m.text} is not inside`);
      const after = stmts.filter((x) => x.index > commit);
      assert.deepEqual(after, []);
      if (name !== 'sqitch with BEGIN/COMMIT') assert.match(inside[inside.length - 1] ?? '', /^INSERT INTO /);
    });
  }

  it('preamble: existence checks for tables, columns, indexes, constraints; re-run markers', () => {
    const text = `-- migrate:up
CREATE TABLE IF NOT EXISTS "Audit" (id int);
ALTER TABLE events ADD COLUMN IF NOT EXISTS note text, ADD CONSTRAINT events_note_len CHECK (length(note) < 100);
CREATE INDEX events_note_idx ON events (note);
-- migrate:down
DROP TABLE "Audit";
`;
    const s = recoverySnippet(lint(text, { path: 'db/migrations/20240101000000_x.sql' }), { ledgerTable: 'ops.Migrations' });
    assert.match(s.text, /to_regclass\('"Audit"'\) IS NOT NULL/);
    assert.match(s.text, /information_schema\.columns WHERE table_schema = current_schema\(\) AND table_name = 'events' AND column_name = 'note'/);
    assert.match(s.text, /pg_indexes WHERE schemaname = current_schema\(\) AND indexname = 'events_note_idx'/);
    assert.match(s.text, /pg_constraint WHERE conname = 'events_note_len' AND conrelid = to_regclass\('events'\)/);
    assert.match(s.text, /-- \[re-runnable\] IF NOT EXISTS.*\nCREATE TABLE IF NOT EXISTS "Audit"/);
    assert.match(s.text, /-- \[NOT re-runnable\].*\nALTER TABLE events ADD COLUMN IF NOT EXISTS note text, ADD CONSTRAINT/);
    assert.match(s.text, /-- \[NOT re-runnable\].*\nCREATE INDEX events_note_idx/);
    assert.match(s.text, /INSERT INTO ops\."Migrations" \(version\) VALUES \('20240101000000'\);/);
    assert.match(s.text, /SELECT version FROM ops\."Migrations"/);
    // The down section is left out.
    assert.doesNotMatch(s.text, /DROP TABLE "Audit"/);
  });
});
