import assert from 'node:assert/strict';
import { buildBaseline, type SchemaModel } from '../server/src/engine';
import { applyFix, findingsAfter, fixFor, fixesFor } from '../test/fix-helpers';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-primary-key-using-index';

describe(RULE, () => {
  it('flags ADD PRIMARY KEY on an existing table', () => {
    const sql = 'ALTER TABLE measurements_2026 ADD PRIMARY KEY (id);';
    assert.deepEqual(findings(sql, RULE), [
      `1:35 ${RULE} warning: ADD PRIMARY KEY builds a unique index on measurements_2026 (id) and checks the key columns for NULLs while holding ACCESS EXCLUSIVE on measurements_2026: it blocks reads and writes for the whole build.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['PRIMARY KEY (id);']);
    const help = lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /`CREATE UNIQUE INDEX CONCURRENTLY measurements_2026_pkey ON measurements_2026 \(id\)`/);
    assert.match(help, /PRIMARY KEY USING INDEX measurements_2026_pkey`/);
  });

  it('flags an inline PRIMARY KEY on ADD COLUMN', () => {
    assert.match(findings('ALTER TABLE audit_log ADD COLUMN uid bigserial PRIMARY KEY;', RULE)[0] ?? '', /The inline PRIMARY KEY on new column uid/);
  });

  it('does not flag PRIMARY KEY USING INDEX, or a new table', () => {
    assert.deepEqual(findings('ALTER TABLE measurements_2026 ADD CONSTRAINT m_pkey PRIMARY KEY USING INDEX m_pkey;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ADD PRIMARY KEY (a);', RULE), []);
  });
});

const CONCERNS = [
  RULE,
  'prefer-unique-constraint-using-index',
  'require-concurrent-index-creation',
  'ban-concurrently-in-transaction',
  'ban-concurrent-index-if-not-exists',
  'ban-validate-in-same-transaction',
  'require-validated-check-for-set-not-null',
  'require-not-valid-check',
  'syntax-error',
];
/** Earlier migrations: `accounts` with nullable id and org_id, `tenants` with NOT NULL ones. */
const history = (): SchemaModel =>
  buildBaseline([
    {
      path: 'db/migrations/20240101000000_init.sql',
      text: '-- migrate:up\nCREATE TABLE accounts (id bigint, org_id bigint, name text);\nCREATE TABLE tenants (id bigint NOT NULL, name text);\n-- migrate:down\n',
    },
  ]);
const PK = 'ALTER TABLE accounts ADD PRIMARY KEY (id, org_id);';

describe(`${RULE}: fix`, () => {
  it('dbmate, nullable key columns: NOT VALID checks here, the build next, then VALIDATE, SET NOT NULL and the attach', () => {
    const c = { path: 'db/migrations/20250101000000_pk.sql', baseline: history() };
    const sql = `-- migrate:up\n${PK}\n\n-- migrate:down\nALTER TABLE accounts DROP CONSTRAINT accounts_pkey;\n`;
    const fix = fixFor(RULE, sql, c);
    assert.equal(
      fix.title,
      'Prove id, org_id NOT NULL, build accounts_pkey concurrently, then attach it as the primary key (here, then new migrations 20250101000001_build_accounts_pkey.sql, 20250101000002_attach_accounts_pkey.sql)',
    );
    assert.deepEqual(findingsAfter({ text: sql, created: [] }, c, CONCERNS), [`${c.path}: ${RULE}`], 'the unfixed file is reported');
    const applied = applyFix(sql, fix);
    assert.equal(
      applied.text,
      '-- migrate:up\n' +
        'ALTER TABLE accounts ADD CONSTRAINT accounts_id_not_null CHECK (id IS NOT NULL) NOT VALID;\n' +
        'ALTER TABLE accounts ADD CONSTRAINT accounts_org_id_not_null CHECK (org_id IS NOT NULL) NOT VALID;\n' +
        '\n-- migrate:down\nALTER TABLE accounts DROP CONSTRAINT accounts_pkey;\n',
    );
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        [
          'db/migrations/20250101000001_build_accounts_pkey.sql',
          '-- migrate:up transaction:false\nCREATE UNIQUE INDEX CONCURRENTLY accounts_pkey ON accounts (id, org_id);\n\n' +
            '-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS accounts_pkey;\n',
        ],
        [
          'db/migrations/20250101000002_attach_accounts_pkey.sql',
          '-- migrate:up\n' +
            'ALTER TABLE accounts VALIDATE CONSTRAINT accounts_id_not_null;\n' +
            'ALTER TABLE accounts ALTER COLUMN id SET NOT NULL;\n' +
            'ALTER TABLE accounts DROP CONSTRAINT accounts_id_not_null;\n' +
            'ALTER TABLE accounts VALIDATE CONSTRAINT accounts_org_id_not_null;\n' +
            'ALTER TABLE accounts ALTER COLUMN org_id SET NOT NULL;\n' +
            'ALTER TABLE accounts DROP CONSTRAINT accounts_org_id_not_null;\n' +
            'ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\n\n' +
            '-- migrate:down\nALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_pkey;\n' +
            'ALTER TABLE accounts ALTER COLUMN id DROP NOT NULL;\nALTER TABLE accounts ALTER COLUMN org_id DROP NOT NULL;\n',
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('key columns known NOT NULL: only the build and the attach (goose)', () => {
    const c = { path: 'migrations/00002_pk.sql', baseline: history() };
    const sql = '-- +goose Up\nALTER TABLE tenants ADD CONSTRAINT tenants_pkey PRIMARY KEY (id);\n';
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, '-- +goose Up\n');
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        [
          'migrations/00003_build_tenants_pkey.sql',
          '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE UNIQUE INDEX CONCURRENTLY tenants_pkey ON tenants (id);\n\n' +
            '-- +goose Down\nDROP INDEX CONCURRENTLY IF EXISTS tenants_pkey;\n',
        ],
        [
          'migrations/00004_attach_tenants_pkey.sql',
          '-- +goose Up\nALTER TABLE tenants ADD CONSTRAINT tenants_pkey PRIMARY KEY USING INDEX tenants_pkey;\n\n' +
            '-- +goose Down\nALTER TABLE tenants DROP CONSTRAINT IF EXISTS tenants_pkey;\n',
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('golang-migrate, nullable column, statement alone in its file: the check stays, two migrations follow in order', () => {
    const c = { path: 'migrations/000002_pk.up.sql', baseline: history() };
    const sql = 'ALTER TABLE accounts ADD PRIMARY KEY (id);\n';
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, 'ALTER TABLE accounts ADD CONSTRAINT accounts_id_not_null CHECK (id IS NOT NULL) NOT VALID;\n');
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        ['migrations/000003_build_accounts_pkey.up.sql', 'CREATE UNIQUE INDEX CONCURRENTLY accounts_pkey ON accounts (id);\n'],
        ['migrations/000003_build_accounts_pkey.down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS accounts_pkey;\n'],
        [
          'migrations/000004_attach_accounts_pkey.up.sql',
          'ALTER TABLE accounts VALIDATE CONSTRAINT accounts_id_not_null;\nALTER TABLE accounts ALTER COLUMN id SET NOT NULL;\n' +
            'ALTER TABLE accounts DROP CONSTRAINT accounts_id_not_null;\nALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\n',
        ],
        [
          'migrations/000004_attach_accounts_pkey.down.sql',
          'ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_pkey;\nALTER TABLE accounts ALTER COLUMN id DROP NOT NULL;\n',
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('psql file with CRLF: every step in place, each committing on its own, VALIDATE never with its ADD', () => {
    const c = { path: 'db/schema/x.sql', baseline: history() };
    const sql = `SELECT 1;\r\n${PK.replace(', org_id', '')}\r\nSELECT 2;\r\n`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(
      applied.text,
      'SELECT 1;\r\n' +
        'ALTER TABLE accounts ADD CONSTRAINT accounts_id_not_null CHECK (id IS NOT NULL) NOT VALID;\r\n' +
        'CREATE UNIQUE INDEX CONCURRENTLY accounts_pkey ON accounts (id);\r\n' +
        'ALTER TABLE accounts VALIDATE CONSTRAINT accounts_id_not_null;\r\n' +
        'ALTER TABLE accounts ALTER COLUMN id SET NOT NULL;\r\n' +
        'ALTER TABLE accounts DROP CONSTRAINT accounts_id_not_null;\r\n' +
        'ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY USING INDEX accounts_pkey;\r\n' +
        'SELECT 2;\r\n',
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('before PostgreSQL 12 SET NOT NULL always scans: no fix for nullable key columns', () => {
    assert.deepEqual(fixesFor(RULE, PK, { path: 'db/schema/x.sql', baseline: history(), config: { pgVersion: 11 } }), []);
    assert.equal(
      fixesFor(RULE, 'ALTER TABLE tenants ADD PRIMARY KEY (id);', { path: 'db/schema/x.sql', baseline: history(), config: { pgVersion: 11 } }).length,
      1,
    );
  });
});
