/**
 * Size-aware analysis from a configured database, on Debian's PostgreSQL 15: the facts
 * `readDatabaseFacts` reads (row estimate, bytes, version, the role's timeouts, indexes, an INVALID
 * index left by a failed CREATE UNIQUE INDEX CONCURRENTLY), `lint --database-url` as a user runs
 * it (the built CLI), the language server's `pgMigrationGuard/refreshDatabaseFacts`, and bad URLs
 * whose password must never be printed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DatabaseFactsSummary } from '../../protocol/protocol';
import { type DatabaseFacts, defaultConfig, withDatabaseFacts } from '../../server/src/engine';
import { DatabaseFactsCache, DatabaseFactsError, readDatabaseFacts, settingToMs } from '../../server/src/node/database-facts';
import { type PgServer, startFromBinaries } from '../../server/src/trace/servers';
import { ensureBuilt, ROOT, tempTree } from '../cli-helpers';
import { LspClient } from '../lsp/lsp-client';

const DEBIAN_15 = '/usr/lib/postgresql/15/bin';
const ROWS = 50_000;
const SECRET = 's3cr3t-Pa55';

// pgVersion 10 (before PG 11, ADD COLUMN … DEFAULT rewrites) and a configured size the database must replace.
const CONFIG = JSON.stringify({ pgVersion: 10, tables: { events: { rows: 10 } } });
const MIGRATION = [
  'CREATE INDEX events_account_kind_idx ON events (account_id, kind);',
  'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_uidx ON events (kind);',
  'ALTER TABLE events ADD COLUMN flag boolean DEFAULT false;',
  '',
].join('\n');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function lint(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pg-migration-guard.js'), 'lint', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: Object.fromEntries(Object.entries({ ...process.env, ...env }).filter(([, v]) => v !== undefined)),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface JsonOut {
  files: Array<{
    statements: Array<{ effects: Array<{ relation: string; rewrite: boolean }> }>;
    diagnostics: Array<{ rule: string; severity: string; message: string }>;
  }>;
  database?: DatabaseFactsSummary | { error: string };
}

describe('database facts from a configured PostgreSQL 15', function () {
  this.timeout(180_000);
  let pg: PgServer;
  let url: string;
  let dir: string;

  before(async () => {
    if (!existsSync(join(DEBIAN_15, 'postgres'))) throw new Error(`${DEBIAN_15}/postgres not found: install Debian's postgresql-15`);
    ensureBuilt();
    pg = await startFromBinaries(DEBIAN_15);
    const admin = await pg.connect();
    await admin.query('CREATE DATABASE app');
    // The role's settings as the migration runner's session gets them.
    await admin.query("ALTER DATABASE app SET statement_timeout = '90s'");
    await admin.query("ALTER DATABASE app SET lock_timeout = '3s'");
    await admin.end();
    const c = await pg.connect('app');
    await c.query('CREATE TABLE events (id bigserial PRIMARY KEY, account_id int NOT NULL, kind int NOT NULL, body text)');
    await c.query(`INSERT INTO events (account_id, kind, body) SELECT g % 500, g % 7, repeat('x', 40) FROM generate_series(1, ${ROWS}) g`);
    await c.query('CREATE INDEX events_account_idx ON events (account_id)');
    await c.query('ANALYZE events');
    // kind has duplicates: the concurrent unique build fails and leaves events_kind_uidx INVALID.
    await assert.rejects(c.query('CREATE UNIQUE INDEX CONCURRENTLY events_kind_uidx ON events (kind)'), /could not create unique index/);
    await c.query('CREATE SCHEMA audit');
    await c.query('CREATE TABLE audit.log (id int)');
    await c.query('CREATE TABLE fresh (id int)'); // never analysed: reltuples = -1
    await c.end();
    url = `postgres://postgres:${SECRET}@127.0.0.1:${pg.port}/app`;
    dir = tempTree({ 'pg-migration-guard.json': CONFIG, 'sql/001_events.sql': MIGRATION });
  });
  after(async () => {
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('reads the row estimate, bytes, major version, timeouts and indexes (valid and INVALID)', async () => {
    const f = await readDatabaseFacts(url);
    assert.equal(f.major, 15);
    assert.equal(f.statementTimeoutMs, 90_000);
    assert.equal(f.lockTimeoutMs, 3_000);
    const events = f.tables['events'];
    assert.ok(events?.rows !== undefined && Math.abs(events.rows - ROWS) <= ROWS * 0.1, JSON.stringify(events));
    assert.ok(events.bytes > 1_000_000, `events is several MB with its indexes, got ${events.bytes}`);
    assert.equal(f.tables['public.events'], undefined, 'public. is stripped like the engine does');
    assert.ok(f.tables['audit.log'], 'other schemas stay qualified');
    assert.equal(f.tables['fresh']?.rows, undefined, 'never analysed: unknown, not 0');
    assert.deepEqual(f.invalidIndexes, [{ name: 'events_kind_uidx', table: 'events' }]);
    assert.deepEqual(
      f.indexes
        .filter((i) => i.table === 'events')
        .map((i) => `${i.name}(${i.columns.join(', ')})`)
        .sort(),
      ['events_account_idx(account_id)', 'events_pkey(id)'],
    );
  });

  it('caches per URL until refreshed; a failed read is not kept', async () => {
    let reads = 0;
    const cache = new DatabaseFactsCache(async (u) => {
      reads++;
      return readDatabaseFacts(u);
    });
    const a = await cache.get(url);
    const b = await cache.get(url);
    assert.equal(a, b);
    assert.equal(reads, 1);
    await cache.refresh(url);
    assert.equal(reads, 2);
    const bad = `postgres://postgres:${SECRET}@127.0.0.1:${pg.port}/no_such_db`;
    await assert.rejects(cache.get(bad), DatabaseFactsError);
    await assert.rejects(cache.get(bad), DatabaseFactsError);
    assert.equal(reads, 4, 'the failure was retried, not cached');
  });

  it('lint --database-url: sizes "per the database", the INVALID index collision, and the server version over pgVersion', () => {
    const r = lint(['--database-url', url, '--no-color'], dir);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 1, r.stdout);
    const text = r.stdout.replace(/\s+/g, ' '); // the text format wraps long messages
    const m = /events: ~(\d+)k rows \(([\d.]+) MB\) per the database/.exec(text);
    assert.ok(m, r.stdout);
    assert.ok(Math.abs(Number(m[1]) * 1000 - ROWS) <= ROWS * 0.1);
    assert.doesNotMatch(text, /per pg-migration-guard\.json/);
    assert.match(
      text,
      /error \[ban-concurrent-index-if-not-exists\] An INVALID index named events_kind_uidx \(on events\) exists in the database: IF NOT EXISTS would skip the build/,
    );
    assert.ok(!r.stdout.includes(SECRET));

    // The same through DATABASE_URL, as JSON: ADD COLUMN … DEFAULT does not rewrite on 15 (it would on the configured 10).
    const j = lint(['--database-url', 'env', '--format', 'json'], dir, { DATABASE_URL: url });
    const out = JSON.parse(j.stdout) as JsonOut;
    const addColumn = out.files[0]?.statements[2]?.effects.find((e) => e.relation === 'events');
    assert.equal(addColumn?.rewrite, false);
    assert.deepEqual(out.database, { serverMajor: 15, statementTimeoutMs: 90_000, lockTimeoutMs: 3_000, tables: 3, invalidIndexes: ['events_kind_uidx'] });

    const statically = JSON.parse(lint(['--format', 'json'], dir).stdout) as JsonOut;
    assert.equal(statically.files[0]?.statements[2]?.effects.find((e) => e.relation === 'events')?.rewrite, true, 'pgVersion 10 without the database');
    assert.equal(statically.database, undefined, 'the JSON contract is only extended when a database is configured');
  });

  it('an unreachable database: one redacted line on stderr, static analysis, the same exit code', () => {
    const without = lint(['--no-color'], dir);
    assert.match(without.stdout.replace(/\s+/g, ' '), /events: ~10 rows per pg-migration-guard\.json/);
    for (const bad of [`postgres://postgres:${SECRET}@127.0.0.1:${pg.port}/no_such_db`, `postgres://postgres:${SECRET}@127.0.0.1:1/app`]) {
      const r = lint(['--database-url', bad, '--no-color'], dir);
      assert.equal(r.status, without.status);
      assert.equal(r.stdout, without.stdout);
      const lines = r.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', /^pg-migration-guard: database: cannot connect to 127\.0\.0\.1:\d+\/\w+: .+; linting without it$/);
      assert.match(r.stderr, bad.includes('no_such_db') ? /database "no_such_db" does not exist/ : /ECONNREFUSED/);
      assert.ok(!r.stderr.includes(SECRET) && !r.stdout.includes(SECRET), r.stderr);
      const j = JSON.parse(lint(['--database-url', bad, '--format', 'json'], dir).stdout) as JsonOut;
      assert.ok(j.database && 'error' in j.database && !j.database.error.includes(SECRET));
    }
    const unset = lint(['--database-url', 'env'], dir, { DATABASE_URL: undefined });
    assert.equal(unset.stderr, 'pg-migration-guard: database: --database-url env: DATABASE_URL is not set; linting without it\n');
    assert.equal(unset.status, without.status);
  });

  it('applies to the engine as plain data: a configured size is kept for a table the database never analysed', async () => {
    const facts: DatabaseFacts = await readDatabaseFacts(url);
    const config = withDatabaseFacts({ ...defaultConfig(), pgVersion: 10, tables: { fresh: { rows: 7 }, events: { rows: 10 } } }, facts);
    assert.equal(config.pgVersion, 15);
    assert.deepEqual(config.tables['fresh'], { rows: 7 });
    assert.equal(config.tables['events']?.source, 'database');
  });
});

describe('language server: pgMigrationGuard/refreshDatabaseFacts on PostgreSQL 15', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let dir: string;
  let client: LspClient;

  before(async () => {
    ensureBuilt();
    pg = await startFromBinaries(DEBIAN_15);
    const c = await pg.connect();
    await c.query(`CREATE TABLE events AS SELECT g AS id, g % 7 AS kind, g % 500 AS account_id FROM generate_series(1, 20000) g`);
    await c.query('ANALYZE events');
    await assert.rejects(c.query('CREATE UNIQUE INDEX CONCURRENTLY events_kind_uidx ON events (kind)'));
    // The migration role's statement_timeout, as the checklist must take it from the database.
    await c.query("ALTER DATABASE postgres SET statement_timeout = '90s'");
    await c.end();
    dir = tempTree({ 'pg-migration-guard.json': CONFIG, 'sql/001_events.sql': MIGRATION });
    client = new LspClient();
    await client.initialize();
  });
  after(async () => {
    await client?.shutdown();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the facts, re-validates the open document with them, and redacts a failure', async () => {
    const file = join(dir, 'sql', '001_events.sql');
    const uri = pathToFileURL(file).href;
    await client.open(uri, readFileSync(file, 'utf8'));
    const before = await client.diagnostics(uri);
    assert.ok(before.diagnostics.some((d) => d.message.includes('events: ~10 rows per pg-migration-guard.json')));

    const url = `postgres://postgres:${SECRET}@127.0.0.1:${pg.port}/postgres`;
    const summary = await client.connection.sendRequest<DatabaseFactsSummary>('pgMigrationGuard/refreshDatabaseFacts', { databaseUrl: url });
    assert.equal(summary.serverMajor, 15);
    assert.deepEqual(summary.invalidIndexes, ['events_kind_uidx']);
    const after = await client.diagnostics(uri, (p) => p.diagnostics.some((d) => /events: ~20k rows \([\d.]+ (kB|MB)\) per the database/.test(d.message)));
    const collision = after.diagnostics.find((d) => d.code === 'ban-concurrent-index-if-not-exists');
    assert.match(collision?.message ?? '', /^An INVALID index named events_kind_uidx \(on events\) exists in the database/);
    assert.equal(collision?.severity, 1);

    // The checklist compares against the role's statement_timeout as the database reports it.
    const checklist = await client.connection.sendRequest<{ statementTimeout: { setting: string; ms: number | null } }>('pgMigrationGuard/checklist', { uri });
    assert.equal(checklist.statementTimeout.ms, 90_000);

    const bad = `postgres://postgres:${SECRET}@127.0.0.1:${pg.port}/no_such_db`;
    await assert.rejects(
      client.connection.sendRequest('pgMigrationGuard/refreshDatabaseFacts', { databaseUrl: bad }),
      (err: Error) => /cannot connect to 127\.0\.0\.1:\d+\/no_such_db: database "no_such_db" does not exist/.test(err.message) && !err.message.includes(SECRET),
    );
    // The facts of a database that cannot be read are dropped: back to the configured sizes.
    await client.diagnostics(uri, (p) => p.diagnostics.some((d) => d.message.includes('events: ~10 rows per pg-migration-guard.json')) && p !== before);
    assert.ok(!client.stderr.includes(SECRET));
  });
});

describe('settingToMs', () => {
  it('reads current_setting spellings of timeouts', () => {
    assert.deepEqual(['0', '250ms', '5s', '2min', '1h', 'garbage'].map(settingToMs), [0, 250, 5000, 120_000, 3_600_000, 0]);
  });
});
