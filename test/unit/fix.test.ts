import assert from 'node:assert/strict';
import { allRules } from '../../rules';
import { schemaBefore } from '../../server/src/engine/fix/batch-key';
import type { Statement } from '../../server/src/engine';
import {
  analyze,
  applyEdits,
  type CreateStep,
  defaultConfig,
  type Fix,
  type FileView,
  type FixEnvironment,
  followingMigrations,
  mergeConfig,
  type MigrationBody,
  nextVersion,
  type Sidecars,
} from '../../server/src/engine';

const env = (entries: Record<string, string[]> = {}): FixEnvironment => ({ listDir: (dir) => entries[dir] ?? [] });

function fixFor(rule: string, sql: string, path: string, e: FixEnvironment = env(), sidecars: Sidecars = {}): Fix {
  const a = analyze(sql, { path, config: defaultConfig(), rules: allRules, fixEnv: e, sidecars });
  const f = a.findings.find((x) => x.rule === rule);
  assert.ok(f, `${rule} did not fire`);
  const fix = a.fixesFor(f)[0];
  assert.ok(fix, `${rule} has no fix`);
  return fix;
}

/** Rules that must not fire on a fixed file (the problem is gone, not moved). */
const CONCERNS = ['require-concurrent-index-creation', 'require-concurrent-index-deletion', 'ban-concurrently-in-transaction'];

function concerns(sql: string, path: string, sidecars: Sidecars = {}): string[] {
  return analyze(sql, { path, config: mergeConfig(defaultConfig(), {}), rules: allRules, sidecars })
    .findings.filter((f) => CONCERNS.includes(f.rule))
    .map((f) => f.rule);
}

const created = (fix: Fix): CreateStep[] => fix.steps.filter((s): s is CreateStep => s.kind === 'create');

describe('fixes: running index operations concurrently, where the runner allows it', () => {
  it('nextVersion advances timestamps by a second and numbers by one, keeping width', () => {
    assert.equal(nextVersion('20251231235959'), '20260101000000');
    assert.equal(nextVersion('00009'), '00010');
    assert.equal(nextVersion('000001'), '000002');
  });

  it('a statement that already runs alone outside a transaction is edited in place (plain psql file)', () => {
    const sql = 'SELECT 1;\nCREATE INDEX events_kind_idx ON events (kind);\nSELECT 2;\n';
    const fix = fixFor('require-concurrent-index-creation', sql, 'db/schema/x.sql');
    assert.equal(fix.title, 'Build events_kind_idx concurrently in place');
    const out = applyEdits(sql, fix.steps);
    assert.equal(out, 'SELECT 1;\nCREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);\nSELECT 2;\n');
    assert.deepEqual(concerns(out, 'db/schema/x.sql'), []);
  });

  it('dbmate: the only statement of a transactional section: the section becomes transaction:false', () => {
    const path = 'db/migrations/20250312140000_add_index.sql';
    const sql = '-- migrate:up\nCREATE INDEX events_kind_idx ON events (kind);\n\n-- migrate:down\nDROP INDEX events_kind_idx;\n';
    const fix = fixFor('require-concurrent-index-creation', sql, path);
    const out = applyEdits(sql, fix.steps);
    assert.equal(
      out,
      '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);\n\n-- migrate:down\nDROP INDEX events_kind_idx;\n',
    );
    assert.deepEqual(
      concerns(out, path).filter((r) => r !== 'require-concurrent-index-deletion'),
      [],
    );
  });

  it('dbmate: with other statements, the index moves to a new transaction:false migration right after', () => {
    const path = 'db/migrations/20250312140000_add_kind.sql';
    const sql =
      '-- migrate:up\nALTER TABLE events ADD COLUMN kind text;\nCREATE INDEX events_kind_idx ON events (kind);\n\n-- migrate:down\nALTER TABLE events DROP COLUMN kind;\n';
    const fix = fixFor('require-concurrent-index-creation', sql, path, env({ 'db/migrations': ['20250312140000_add_kind.sql', '20250312140001_taken.sql'] }));
    assert.equal(fix.title, 'Build events_kind_idx concurrently in a new migration 20250312140002_add_events_kind_idx.sql');
    const out = applyEdits(sql, fix.steps);
    assert.equal(out, '-- migrate:up\nALTER TABLE events ADD COLUMN kind text;\n\n-- migrate:down\nALTER TABLE events DROP COLUMN kind;\n');
    const [file] = created(fix);
    assert.equal(file?.path, 'db/migrations/20250312140002_add_events_kind_idx.sql');
    assert.equal(
      file?.content,
      '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS events_kind_idx;\n',
    );
    assert.deepEqual(concerns(file?.content ?? '', file?.path ?? ''), []);
    assert.deepEqual(concerns(out, path), []);
  });

  it('dbmate transaction:false with two statements (one query string): the CONCURRENTLY one moves out', () => {
    const path = 'db/migrations/20250715083000_replace.sql';
    const sql =
      '-- migrate:up transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS events_kind_idx;\nCREATE INDEX CONCURRENTLY events_kind_created_at_idx ON events (kind, created_at);\n';
    const a = analyze(sql, { path, config: defaultConfig(), rules: allRules, fixEnv: env() });
    const fixes = a.findings.filter((f) => f.rule === 'ban-concurrently-in-transaction').map((f) => a.fixesFor(f)[0]);
    assert.equal(fixes.length, 2);
    const second = fixes[1];
    assert.ok(second);
    const out = applyEdits(sql, second.steps);
    assert.deepEqual(concerns(out, path), [], 'one statement left: it runs alone');
    assert.deepEqual(concerns(created(second)[0]?.content ?? '', created(second)[0]?.path ?? ''), []);
  });

  it('goose: a new migration with NO TRANSACTION', () => {
    const path = 'migrations/00002_add.sql';
    const sql =
      '-- +goose Up\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_note_idx ON orders (note);\n-- +goose Down\nALTER TABLE orders DROP COLUMN note;\n';
    const fix = fixFor('require-concurrent-index-creation', sql, path);
    const [file] = created(fix);
    assert.equal(file?.path, 'migrations/00003_add_orders_note_idx.sql');
    assert.match(file?.content ?? '', /^-- \+goose NO TRANSACTION\n-- \+goose Up\nCREATE INDEX CONCURRENTLY orders_note_idx ON orders \(note\);/);
    assert.deepEqual(concerns(file?.content ?? '', file?.path ?? ''), []);
  });

  it('golang-migrate: a new .up.sql / .down.sql pair', () => {
    const path = 'migrations/000002_add.up.sql';
    const sql = 'ALTER TABLE audit_log ADD COLUMN actor text;\nCREATE INDEX audit_log_actor_idx ON audit_log (actor);\n';
    const fix = fixFor('require-concurrent-index-creation', sql, path);
    assert.deepEqual(
      created(fix).map((c) => [c.path, c.content]),
      [
        ['migrations/000003_add_audit_log_actor_idx.up.sql', 'CREATE INDEX CONCURRENTLY audit_log_actor_idx ON audit_log (actor);\n'],
        ['migrations/000003_add_audit_log_actor_idx.down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS audit_log_actor_idx;\n'],
      ],
    );
  });

  it('Flyway: V<version>.1__ plus its .sql.conf with executeInTransaction=false', () => {
    const path = 'sql/V3__users.sql';
    const sql = 'ALTER TABLE users ADD COLUMN nick text;\nCREATE INDEX users_nick_idx ON users (nick);\n';
    const fix = fixFor('require-concurrent-index-creation', sql, path, env({ sql: ['V3__users.sql', 'V3.1__other.sql'] }));
    assert.deepEqual(
      created(fix).map((c) => c.path),
      ['sql/V3.2__add_users_nick_idx.sql', 'sql/V3.2__add_users_nick_idx.sql.conf'],
    );
    const [mig, conf] = created(fix);
    assert.equal(conf?.content, 'executeInTransaction=false\n');
    assert.deepEqual(concerns(mig?.content ?? '', mig?.path ?? '', { flywayConf: conf?.content ?? '' }), []);
  });

  it('bare DROP INDEX → DROP INDEX CONCURRENTLY IF EXISTS, placed the same way', () => {
    const sql = 'DROP INDEX order_items_sku_idx;\n';
    const fix = fixFor('require-concurrent-index-deletion', sql, 'db/schema/x.sql');
    assert.equal(applyEdits(sql, fix.steps), 'DROP INDEX CONCURRENTLY IF EXISTS order_items_sku_idx;\n');
    const analysis = analyze('DROP INDEX a, b;', { path: 'db/schema/x.sql', config: defaultConfig(), rules: allRules });
    const multi = analysis.findings.find((f) => f.rule === 'require-concurrent-index-deletion');
    assert.ok(multi);
    assert.deepEqual(analysis.fixesFor(multi), [], 'CONCURRENTLY drops one index per statement: no automatic fix');
  });

  it('changes nothing outside the statements it targets', () => {
    const path = 'db/migrations/20250312140000_mixed.sql';
    const head = '-- migrate:up\n-- keep this comment ✓\nALTER TABLE events ADD COLUMN kind text;\r\n';
    const target = 'CREATE INDEX events_kind_idx ON events (kind);';
    const tail = '\r\n/* trailing */ SELECT 1;\r\n\r\n-- migrate:down\r\nALTER TABLE events DROP COLUMN kind;\r\n';
    const sql = head + target + tail;
    const out = applyEdits(sql, fixFor('require-concurrent-index-creation', sql, path).steps);
    assert.equal(out, head + tail.slice(2));
  });
});

describe('fixes: splitting work across transactions', () => {
  it('SET NOT NULL in a dbmate migration → NOT VALID check here, VALIDATE + SET NOT NULL + DROP in the next migration', () => {
    const path = 'db/migrations/20251014160000_require_user.sql';
    const sql =
      '-- migrate:up\nALTER TABLE events ALTER COLUMN user_id SET NOT NULL;\n\n-- migrate:down\nALTER TABLE events ALTER COLUMN user_id DROP NOT NULL;\n';
    const fix = fixFor('require-validated-check-for-set-not-null', sql, path);
    assert.equal(
      fix.title,
      'Prove user_id NOT NULL with a NOT VALID check, validated separately; the rest in a new migration 20251014160001_set_events_user_id_not_null.sql',
    );
    const out = applyEdits(sql, fix.steps);
    assert.equal(
      out,
      '-- migrate:up\nALTER TABLE events ADD CONSTRAINT events_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;\n\n-- migrate:down\nALTER TABLE events ALTER COLUMN user_id DROP NOT NULL;\n',
    );
    const [next] = created(fix);
    assert.equal(
      next?.content,
      '-- migrate:up\nALTER TABLE events VALIDATE CONSTRAINT events_user_id_not_null;\nALTER TABLE events ALTER COLUMN user_id SET NOT NULL;\nALTER TABLE events DROP CONSTRAINT events_user_id_not_null;\n\n-- migrate:down\nALTER TABLE events ALTER COLUMN user_id DROP NOT NULL;\n',
    );
    // Replay: the fixed pair lints clean for the rule, and SET NOT NULL in the second one no longer scans.
    const first = analyze(out, { path, config: defaultConfig(), rules: allRules });
    assert.ok(!first.findings.some((f) => f.rule === 'require-validated-check-for-set-not-null'));
    const second = analyze(next?.content ?? '', { path: next?.path ?? '', config: defaultConfig(), rules: allRules });
    assert.ok(!second.findings.some((f) => f.rule === 'require-validated-check-for-set-not-null' || f.rule === 'ban-validate-in-same-transaction'));
  });

  it('in a psql file every step commits alone, so the recipe stays in place', () => {
    const sql = 'ALTER TABLE events ALTER COLUMN user_id SET NOT NULL;\n';
    const out = applyEdits(sql, fixFor('require-validated-check-for-set-not-null', sql, 'db/schema/x.sql').steps);
    assert.equal(
      out,
      'ALTER TABLE events ADD CONSTRAINT events_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID;\nALTER TABLE events VALIDATE CONSTRAINT events_user_id_not_null;\nALTER TABLE events ALTER COLUMN user_id SET NOT NULL;\nALTER TABLE events DROP CONSTRAINT events_user_id_not_null;\n',
    );
    assert.deepEqual(
      analyze(out, { path: 'db/schema/x.sql', config: defaultConfig(), rules: allRules }).findings.filter(
        (f) => f.rule === 'require-validated-check-for-set-not-null',
      ),
      [],
    );
  });

  it('golang-migrate sends a file as one query string (one implicit transaction): VALIDATE goes to a new migration, never next to its NOT VALID', () => {
    const sql = 'ALTER TABLE events ALTER COLUMN kind SET NOT NULL;\n';
    const fix = fixFor('require-validated-check-for-set-not-null', sql, '/w/migrations/000002_nn.up.sql', env({ '/w/migrations': ['000001_init.up.sql'] }));
    assert.equal(applyEdits(sql, fix.steps), 'ALTER TABLE events ADD CONSTRAINT events_kind_not_null CHECK (kind IS NOT NULL) NOT VALID;\n');
    assert.deepEqual(
      created(fix).map((c) => [c.path, c.content]),
      [
        [
          '/w/migrations/000003_set_events_kind_not_null.up.sql',
          'ALTER TABLE events VALIDATE CONSTRAINT events_kind_not_null;\nALTER TABLE events ALTER COLUMN kind SET NOT NULL;\nALTER TABLE events DROP CONSTRAINT events_kind_not_null;\n',
        ],
        ['/w/migrations/000003_set_events_kind_not_null.down.sql', 'ALTER TABLE events ALTER COLUMN kind DROP NOT NULL;\n'],
      ],
    );
  });

  it('FK without NOT VALID → NOT VALID here, VALIDATE in a following goose migration', () => {
    const path = 'migrations/00003_fk.sql';
    const sql =
      '-- +goose Up\nALTER TABLE events ADD CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);\n-- +goose Down\nALTER TABLE events DROP CONSTRAINT events_account_id_fkey;\n';
    // The first fix also builds the missing index (rules/require-not-valid-foreign-key.test.ts); this is the second.
    const analysis = analyze(sql, { path, config: defaultConfig(), rules: allRules, fixEnv: env() });
    const finding = analysis.findings.find((f) => f.rule === 'require-not-valid-foreign-key');
    const fix = finding && analysis.fixesFor(finding).find((f) => !f.preferred);
    assert.ok(fix);
    const out = applyEdits(sql, fix.steps);
    assert.match(out, /REFERENCES accounts \(id\) NOT VALID;\n/);
    const [next] = created(fix);
    assert.equal(next?.path, 'migrations/00004_validate_events_account_id_fkey.sql');
    assert.match(next?.content ?? '', /^-- \+goose Up\nALTER TABLE events VALIDATE CONSTRAINT events_account_id_fkey;\n/);
    assert.ok(!analyze(out, { path, config: defaultConfig(), rules: allRules }).findings.some((f) => f.rule === 'require-not-valid-foreign-key'));
  });

  it('CHECK without NOT VALID, unnamed: Postgres’s default name is used for VALIDATE', () => {
    const sql = 'ALTER TABLE events ADD CHECK (amount >= 0);\n';
    const out = applyEdits(sql, fixFor('require-not-valid-check', sql, 'db/schema/x.sql').steps);
    assert.equal(out, 'ALTER TABLE events ADD CHECK (amount >= 0) NOT VALID;\nALTER TABLE events VALIDATE CONSTRAINT events_amount_check;\n');
  });
});

describe('fixes: a chain of following migrations (followingMigrations)', () => {
  const body = (sql: string, nonTransactional = false): MigrationBody => ({ up: [sql], down: ['SELECT 1;'], nonTransactional });
  const fileAt = (path: string, sql = 'SELECT 1;\n'): FileView => analyze(sql, { path, config: defaultConfig(), rules: [] });

  it('each link takes the next free version after the one before it (Flyway minors, with its .conf where non-transactional)', () => {
    const chain = followingMigrations(
      fileAt('sql/V3__users.sql'),
      [
        { slug: 'Add index', body: body('CREATE INDEX CONCURRENTLY i ON t (c);', true) },
        { slug: 'add key', body: body('ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (c) REFERENCES p (id) NOT VALID;') },
      ],
      env({ sql: ['V3__users.sql', 'V3.1__other.sql'] }),
    );
    assert.ok(!('error' in chain));
    assert.deepEqual(chain.names, ['V3.2__add_index.sql', 'V3.3__add_key.sql']);
    assert.deepEqual(
      chain.steps.map((s) => s.path),
      ['sql/V3.2__add_index.sql', 'sql/V3.2__add_index.sql.conf', 'sql/V3.3__add_key.sql'],
    );
  });

  it('prisma: one folder per link; `after` continues past migrations the fix already creates', () => {
    const chain = followingMigrations(
      fileAt('prisma/migrations/20250101000000_init/migration.sql'),
      [{ slug: 'second', body: body('SELECT 2;') }],
      env({ 'prisma/migrations': ['20250101000000_init'] }),
      ['20250101000001_first'],
    );
    assert.ok(!('error' in chain));
    assert.deepEqual(
      chain.steps.map((s) => s.path),
      ['prisma/migrations/20250101000002_second/migration.sql'],
    );
  });

  it('a runner without an order to place migrations in: an error, no files', () => {
    assert.deepEqual(followingMigrations(fileAt('db/schema/x.sql'), [{ slug: 'x', body: body('SELECT 2;') }], env()), {
      error: 'plain SQL files have no runner order to place a following migration in',
    });
  });
});

describe('fixes: the schema just before a statement', () => {
  const sql = [
    'CREATE TABLE a (id bigint PRIMARY KEY);',
    'ALTER TABLE a ADD COLUMN b text;',
    'CREATE TABLE c (id bigint);',
    'ALTER TABLE a ADD COLUMN d text;',
  ].join('\n');

  it('replays forward once per file, and starts again when asked about an earlier statement', () => {
    const a = analyze(sql, { path: 'db/schema/x.sql', config: defaultConfig(), rules: [] });
    const at = (i: number): Statement => a.statements[i] as Statement;
    const columns = (i: number): string[] => [...(schemaBefore(a, at(i)).table('a')?.columns.keys() ?? [])];
    assert.deepEqual(columns(3), ['id', 'b']);
    assert.equal(schemaBefore(a, at(3)).table('c') !== undefined, true);
    assert.deepEqual(columns(1), ['id'], 'an earlier statement: replayed again from the start');
    assert.equal(schemaBefore(a, at(1)).table('c'), undefined);
    assert.equal(schemaBefore(a, at(0)).table('a'), undefined);
  });
});
