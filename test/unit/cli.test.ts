import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ensureBuilt, ROOT, tempTree } from '../cli-helpers';
import { lint } from '../helpers';

interface JsonRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

interface JsonOutput {
  version: number;
  files: Array<{
    path: string;
    runner: string;
    statements: Array<{
      range: JsonRange;
      section: string;
      transaction: string;
      sql: string;
      effects: Array<Record<string, unknown>>;
      noTransactionBlock: boolean;
    }>;
    diagnostics: Array<{ rule: string; severity: string; message: string; range: JsonRange }>;
  }>;
}

/** File-level policy rules (timeouts, transaction shape) that fire alongside the rule a test is about. */
const POLICY = new Set([
  'require-lock-timeout',
  'require-statement-timeout',
  'review-access-exclusive-lock-window',
  'review-transaction-control',
  'prefer-single-alter-table',
  'prefer-idempotent-ddl',
]);

describe('CLI', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  describe('--format json on examples/', () => {
    let out: JsonOutput;
    before(() => {
      const r = cli(['lint', 'examples', '--format', 'json']);
      assert.equal(r.status, 1, r.stderr);
      out = JSON.parse(r.stdout) as JsonOutput;
    });

    it('has the contract shape: version 1, files with runner, statements and diagnostics', () => {
      assert.equal(out.version, 1);
      assert.ok(out.files.length >= 30);
      const isRange = (r: JsonRange): boolean => [r.start.line, r.start.character, r.end.line, r.end.character].every((n) => Number.isInteger(n) && n >= 0);
      for (const f of out.files) {
        assert.equal(typeof f.path, 'string');
        assert.ok(['dbmate', 'goose', 'golang-migrate', 'flyway', 'prisma', 'diesel', 'atlas', 'sqitch', 'plain'].includes(f.runner), f.runner);
        for (const s of f.statements) {
          assert.ok(isRange(s.range));
          assert.ok(['up', 'down'].includes(s.section));
          assert.ok(['runner', 'explicit', 'implicit', 'none'].includes(s.transaction));
          assert.equal(typeof s.sql, 'string');
          assert.equal(typeof s.noTransactionBlock, 'boolean');
          for (const e of s.effects) {
            assert.deepEqual(Object.keys(e).slice(0, 5), ['relation', 'lock', 'rewrite', 'scan', 'indexBuild']);
            assert.match(
              String(e['lock']),
              /^(ACCESS SHARE|ROW SHARE|ROW EXCLUSIVE|SHARE UPDATE EXCLUSIVE|SHARE|SHARE ROW EXCLUSIVE|EXCLUSIVE|ACCESS EXCLUSIVE)$/,
            );
          }
        }
        for (const d of f.diagnostics) {
          assert.ok(['error', 'warning', 'info'].includes(d.severity));
          assert.ok(isRange(d.range));
          assert.ok(d.message.length > 0 && d.rule.length > 0);
        }
      }
    });

    it('lists every statement of every file, flagged or not, with its exact text', () => {
      for (const f of out.files) {
        const text = readFileSync(join(ROOT, f.path), 'utf8');
        const expected = lint(text, { path: f.path }).statements.map((s) => s.text);
        assert.deepEqual(
          f.statements.map((s) => s.sql),
          expected,
          f.path,
        );
        assert.ok(f.statements.length > 0, `${f.path} has statements`);
      }
    });

    it('reports the outage migration as an ACCESS EXCLUSIVE rewrite of events', () => {
      const outage = out.files.find((f) => f.path.endsWith('20251104093000_add_events_search_vector.sql'));
      assert.ok(outage);
      const alter = outage.statements.find((s) => /GENERATED ALWAYS/.test(s.sql));
      assert.deepEqual(alter?.effects[0] && { relation: alter.effects[0]['relation'], lock: alter.effects[0]['lock'], rewrite: alter.effects[0]['rewrite'] }, {
        relation: 'events',
        lock: 'ACCESS EXCLUSIVE',
        rewrite: true,
      });
      assert.equal(alter?.transaction, 'runner');
      assert.ok(outage.diagnostics.some((d) => d.rule === 'ban-add-stored-generated-column' && d.severity === 'error'));
    });
  });

  it('text output names file:line:col and the rule id for each seed shape', () => {
    const r = cli(['lint', 'examples', '--no-color']);
    assert.equal(r.status, 1);
    for (const [file, rule] of [
      ['20251104093000_add_events_search_vector.sql:7:', 'ban-add-stored-generated-column'],
      ['20250312140000_add_events_created_at_index.sql:4:', 'require-concurrent-index-creation'],
      ['20251014160000_require_events_user_id.sql:', 'require-validated-check-for-set-not-null'],
      ['20250902110000_add_events_account_fk.sql:', 'review-cascading-foreign-key'],
      ['00004_drop_order_items_sku_index.sql:', 'require-concurrent-index-deletion'],
      ['20250715083000_replace_events_kind_index.sql:', 'ban-concurrently-in-transaction'],
      ['000003_add_audit_log_entity_index.up.sql:', 'ban-concurrent-index-if-not-exists'],
    ]) {
      assert.ok(
        r.stdout.split('\n').some((l) => l.includes(file as string) && l.includes(`[${rule}]`)),
        `${file} ${rule}\n${r.stdout}`,
      );
    }
    assert.match(r.stdout, /\d+ files checked: \d+ errors, \d+ warnings, \d+ info\./);
  });

  it('a broken statement in the middle still lets the statements around it be checked', () => {
    const dir = tempTree({ 'migrations/001_x.sql': 'CREATE INDEX a ON events (x);\nALTER TABLE events ADD COLUM y int;\nDROP INDEX b;\n' });
    const r = cli(['lint', dir, '--format', 'json']);
    const f = (JSON.parse(r.stdout) as JsonOutput).files[0];
    assert.deepEqual(
      f?.diagnostics.filter((d) => !POLICY.has(d.rule)).map((d) => `${d.range.start.line}:${d.rule}`),
      ['0:require-concurrent-index-creation', '1:syntax-error', '2:require-concurrent-index-deletion'],
    );
  });

  it('exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error', () => {
    const dir = tempTree({ 'migrations/001_ok.sql': 'CREATE TABLE t (id int);\n', 'migrations/002_warn.sql': 'CREATE INDEX i ON events (a);\n' });
    assert.equal(cli(['lint', join(dir, 'migrations/001_ok.sql')]).status, 0);
    assert.equal(cli(['lint', join(dir, 'migrations/002_warn.sql')]).status, 1);
    assert.equal(cli(['lint', join(dir, 'migrations/002_warn.sql'), '--fail-on', 'error']).status, 0);
    const missing = cli(['lint', join(dir, 'nope.sql')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file or directory: .*nope\.sql/);
    const bad = cli(['lint', '--format', 'xml']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format expects text, json, sarif or github, got xml/);
  });

  it('an invalid pg-migration-guard.json is a clear error naming the key', () => {
    const dir = tempTree({ 'pg-migration-guard.json': '{"pgVersion": "fifteen", "rules": {"no-such-rule": "off"}}', 'migrations/001.sql': 'SELECT 1;\n' });
    const r = cli(['lint', dir]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /pgVersion: expected a PostgreSQL major version such as 15, got "fifteen"/);
    assert.match(r.stderr, /rules\.no-such-rule: unknown rule id "no-such-rule"/);
  });

  it('reads pg-migration-guard.json walking up from the file: rules off, table sizes, pgVersion', () => {
    const dir = tempTree({
      'pg-migration-guard.json': JSON.stringify({
        pgVersion: 18,
        rules: { 'require-concurrent-index-creation': 'off' },
        tables: { events: { rows: 5_000_000 } },
      }),
      'db/migrations/001_x.sql':
        'CREATE INDEX i ON events (a);\nALTER TABLE events ADD COLUMN d int GENERATED ALWAYS AS (a * 2) VIRTUAL;\nALTER TABLE events ALTER COLUMN a SET NOT NULL;\n',
    });
    const r = cli(['lint', dir, '--format', 'json']);
    const diags = (JSON.parse(r.stdout) as JsonOutput).files[0]?.diagnostics ?? [];
    assert.deepEqual(
      diags.filter((d) => !POLICY.has(d.rule)).map((d) => `${d.rule}:${d.severity}`),
      ['require-validated-check-for-set-not-null:error'],
    );
    assert.match(diags.find((d) => d.rule === 'require-validated-check-for-set-not-null')?.message ?? '', /~5M rows/);
    const v17 = JSON.parse(cli(['lint', dir, '--format', 'json', '--pg-version', '17']).stdout) as JsonOutput;
    assert.ok(v17.files[0]?.diagnostics.some((d) => d.rule === 'ban-add-stored-generated-column'));
  });

  it('directories follow the migration globs', () => {
    const dir = tempTree({ 'db/migrations/001.sql': 'SELECT 1;\n', 'scripts/seed.sql': 'SELECT 2;\n', 'node_modules/x/migrations/1.sql': 'SELECT 3;\n' });
    const out = JSON.parse(cli(['lint', dir, '--format', 'json']).stdout) as JsonOutput;
    assert.deepEqual(
      out.files.map((f) => f.path.replace(/\\/g, '/').split('/').slice(-3).join('/')),
      ['db/migrations/001.sql'],
    );
  });

  it('--format sarif produces SARIF 2.1.0 with one result per finding', () => {
    const r = cli(['lint', 'examples/dbmate', '--format', 'sarif']);
    const sarif = JSON.parse(r.stdout) as {
      version: string;
      runs: Array<{
        tool: { driver: { rules: Array<{ id: string }> } };
        results: Array<{ ruleId: string; level: string; locations: Array<{ physicalLocation: { region: { startLine: number } } }> }>;
      }>;
    };
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0];
    assert.ok(run && run.results.length >= 5);
    for (const res of run.results) {
      assert.ok(run.tool.driver.rules.some((x) => x.id === res.ruleId));
      assert.ok(['error', 'warning', 'note'].includes(res.level));
      assert.ok((res.locations[0]?.physicalLocation.region.startLine ?? 0) >= 1);
    }
  });

  it('--format github prints workflow annotations', () => {
    const r = cli(['lint', 'examples/dbmate', '--format', 'github']);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length >= 5);
    for (const l of lines)
      assert.match(l, /^::(error|warning|notice) file=[^,]+,line=\d+,col=\d+,endLine=\d+,endColumn=\d+,title=pg-migration-guard [a-z-]+::/);
  });

  it('prints help and version', () => {
    assert.match(cli(['--help']).stdout, /pg-migration-guard lint \[paths…\]/);
    assert.match(cli(['--version']).stdout, /^\d+\.\d+\.\d+\n$/);
  });
});

describe('CLI: migrations of the same, not yet applied deploy', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it('treats tables created after appliedThrough as new and empty', () => {
    const dir = tempTree({
      'pg-migration-guard.json': JSON.stringify({ appliedThrough: '20250101000000' }),
      'db/migrations/20250101000000_accounts.sql': '-- migrate:up\nCREATE TABLE accounts (id bigint PRIMARY KEY);\n',
      'db/migrations/20250201000000_events.sql': '-- migrate:up\nCREATE TABLE events (id bigint PRIMARY KEY, kind text);\n',
      'db/migrations/20250202000000_indexes.sql':
        '-- migrate:up\nCREATE INDEX events_kind_idx ON events (kind);\nCREATE INDEX accounts_id_idx ON accounts (id);\n',
    });
    const out = JSON.parse(cli(['lint', join(dir, 'db/migrations/20250202000000_indexes.sql'), '--format', 'json']).stdout) as JsonOutput;
    const hits = out.files[0]?.diagnostics.filter((d) => d.rule === 'require-concurrent-index-creation').map((d) => d.range.start.line);
    assert.deepEqual(hits, [2], 'only the index on accounts (applied) is flagged; events ships in this deploy');
    assert.equal(out.files[0]?.statements[0]?.effects[0]?.['createdInFile'], true);
  });
});

describe('CLI: fix', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  // lock_timeout is set, so the only fix is the index build's.
  const migration =
    "-- migrate:up\nSET LOCAL lock_timeout = '5s';\r\nALTER TABLE events ADD COLUMN kind text;\r\nCREATE INDEX events_kind_idx ON events (kind);\r\n\r\n-- migrate:down\r\nSET LOCAL lock_timeout = '5s';\r\nALTER TABLE events DROP COLUMN kind;\r\n";

  it('--dry-run prints the diff and the new file, and writes nothing', () => {
    const dir = tempTree({ 'db/migrations/20250101000000_kind.sql': `\uFEFF${migration}` });
    const r = cli(['fix', dir, '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^-CREATE INDEX events_kind_idx ON events \(kind\);\r$/m);
    assert.match(r.stdout, /^\+\+\+ b\/.*20250101000001_add_events_kind_idx\.sql$/m);
    assert.match(r.stdout, /1 fix would be applied in 1 file; 1 new file\./);
    assert.equal(readFileSync(join(dir, 'db/migrations/20250101000000_kind.sql'), 'utf8'), `\uFEFF${migration}`);
    assert.ok(!existsSync(join(dir, 'db/migrations/20250101000001_add_events_kind_idx.sql')));
  });

  it('applies the fix: the statement moves to a new non-transactional migration; BOM, CRLF and the rest are kept; a second run finds nothing to fix', () => {
    const dir = tempTree({ 'db/migrations/20250101000000_kind.sql': `\uFEFF${migration}` });
    const r = cli(['fix', dir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(
      readFileSync(join(dir, 'db/migrations/20250101000000_kind.sql'), 'utf8'),
      "\uFEFF-- migrate:up\nSET LOCAL lock_timeout = '5s';\r\nALTER TABLE events ADD COLUMN kind text;\r\n\r\n-- migrate:down\r\nSET LOCAL lock_timeout = '5s';\r\nALTER TABLE events DROP COLUMN kind;\r\n",
    );
    assert.equal(
      readFileSync(join(dir, 'db/migrations/20250101000001_add_events_kind_idx.sql'), 'utf8'),
      '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS events_kind_idx;\n',
    );
    const lint = JSON.parse(cli(['lint', dir, '--format', 'json']).stdout) as JsonOutput;
    assert.deepEqual(
      lint.files.flatMap((f) => f.diagnostics.map((d) => d.rule)).filter((x) => /index-creation|concurrently-in-transaction/.test(x)),
      [],
    );
    assert.match(cli(['fix', dir]).stdout, /0 fixes applied in 0 files; 0 new files\./);
  });

  it('never overwrites: an existing name makes the fix choose the next free version', () => {
    const dir = tempTree({ 'db/migrations/20250101000000_kind.sql': migration, 'db/migrations/20250101000001_other.sql': '-- migrate:up\nSELECT 1;\n' });
    cli(['fix', dir]);
    assert.equal(readFileSync(join(dir, 'db/migrations/20250101000001_other.sql'), 'utf8'), '-- migrate:up\nSELECT 1;\n');
    assert.ok(existsSync(join(dir, 'db/migrations/20250101000002_add_events_kind_idx.sql')));
  });

  it('--rule limits the fixes; unknown rules are a usage error', () => {
    const dir = tempTree({ 'db/schema/x.sql': 'DROP INDEX a_idx;\nCREATE INDEX b_idx ON events (b);\n' });
    cli(['fix', dir, '--rule', 'require-concurrent-index-deletion']);
    assert.equal(readFileSync(join(dir, 'db/schema/x.sql'), 'utf8'), 'DROP INDEX CONCURRENTLY IF EXISTS a_idx;\nCREATE INDEX b_idx ON events (b);\n');
    const bad = cli(['fix', dir, '--rule', 'no-such-rule']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /unknown rule id no-such-rule/);
  });
});

describe('CLI: recovery', function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it('prints the runner-aware recovery recipe for a failed migration', () => {
    const r = cli(['recovery', 'examples/dbmate/db/migrations/20251104093000_add_events_search_vector.sql']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^BEGIN;\nSET LOCAL statement_timeout = 0;\nSET LOCAL lock_timeout = 0;$/m);
    assert.match(r.stdout, /^INSERT INTO schema_migrations \(version\) VALUES \('20251104093000'\);\nCOMMIT;$/m);
    const nonTx = cli(['recovery', 'examples/dbmate/db/migrations/20250715083000_replace_events_kind_index.sql']);
    assert.doesNotMatch(nonTx.stdout, /^BEGIN;\n(?:[^\n]*\n)*?CREATE INDEX CONCURRENTLY/m);
    assert.match(nonTx.stdout, /indisvalid/);
    assert.equal(nonTx.stderr, '');
    assert.equal(cli(['recovery']).status, 2);
  });
});
