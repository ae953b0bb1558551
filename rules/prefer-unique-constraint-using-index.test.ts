import assert from 'node:assert/strict';
import { applyFix, findingsAfter, fixFor, fixesFor } from '../test/fix-helpers';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-unique-constraint-using-index';

describe(RULE, () => {
  it('flags ADD CONSTRAINT … UNIQUE and gives the two-step recipe with real names', () => {
    const sql = 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);';
    assert.deepEqual(findings(sql, RULE), [
      `1:23 ${RULE} warning: ADD CONSTRAINT users_email_key UNIQUE builds a unique index on users while holding ACCESS EXCLUSIVE on it: it blocks reads and writes for the whole build.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CONSTRAINT users_email_key UNIQUE (email);']);
    const help = lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /`CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users \(email\)`/);
    assert.match(help, /`ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key`/);
  });

  it('flags an inline UNIQUE on ADD COLUMN', () => {
    assert.match(
      findings('ALTER TABLE users ADD COLUMN handle text UNIQUE;', RULE)[0] ?? '',
      /The inline UNIQUE on new column handle builds a unique index on users/,
    );
    assert.deepEqual(underlined('ALTER TABLE users ADD COLUMN handle text UNIQUE;', RULE), ['UNIQUE;']);
  });

  it('does not flag USING INDEX, or a new table', () => {
    assert.deepEqual(findings('ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE t (a int);\nALTER TABLE t ADD UNIQUE (a);', RULE), []);
  });
});

/** Rules that would object to a wrong placement of the recipe's steps. */
const CONCERNS = [
  RULE,
  'prefer-primary-key-using-index',
  'require-concurrent-index-creation',
  'ban-concurrently-in-transaction',
  'ban-concurrent-index-if-not-exists',
  'ban-validate-in-same-transaction',
  'syntax-error',
];
const UNIQUE = 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);';
const BUILD = 'CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);';
const ATTACH = 'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;';

describe(`${RULE}: fix`, () => {
  it('dbmate, with other statements: the index is built in a transaction:false migration, then attached in the next one', () => {
    const c = { path: 'db/migrations/20250101000000_email.sql', dirs: { 'db/migrations': ['20250101000000_email.sql'] } };
    const sql = `-- migrate:up\nALTER TABLE users ADD COLUMN email text;\n${UNIQUE}\n\n-- migrate:down\nALTER TABLE users DROP COLUMN email;\n`;
    const fix = fixFor(RULE, sql, c);
    assert.equal(
      fix.title,
      'Build users_email_key concurrently, then attach it as the UNIQUE constraint (new migrations 20250101000001_build_users_email_key.sql, 20250101000002_attach_users_email_key.sql)',
    );
    assert.equal(fix.safety, 'safe');
    assert.deepEqual(findingsAfter({ text: sql, created: [] }, c, CONCERNS), [`${c.path}: ${RULE}`], 'the unfixed file is reported');
    const applied = applyFix(sql, fix);
    assert.equal(applied.text, '-- migrate:up\nALTER TABLE users ADD COLUMN email text;\n\n-- migrate:down\nALTER TABLE users DROP COLUMN email;\n');
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        [
          'db/migrations/20250101000001_build_users_email_key.sql',
          `-- migrate:up transaction:false\n${BUILD}\n\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY IF EXISTS users_email_key;\n`,
        ],
        [
          'db/migrations/20250101000002_attach_users_email_key.sql',
          `-- migrate:up\n${ATTACH}\n\n-- migrate:down\nALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;\n`,
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('dbmate, alone in its section: the section turns transaction:false and only the attach moves', () => {
    const c = { path: 'db/migrations/20250101000000_email.sql' };
    const sql = `-- migrate:up\n${UNIQUE}\n\n-- migrate:down\nALTER TABLE users DROP CONSTRAINT users_email_key;\n`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, `-- migrate:up transaction:false\n${BUILD}\n\n-- migrate:down\nALTER TABLE users DROP CONSTRAINT users_email_key;\n`);
    assert.deepEqual(
      applied.created.map((f) => f.path),
      ['db/migrations/20250101000001_attach_users_email_key.sql'],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('goose: a NO TRANSACTION migration for the build, a transactional one for the attach', () => {
    const c = { path: 'migrations/00002_email.sql' };
    const sql = `-- +goose Up\n${UNIQUE}\n-- +goose Down\nALTER TABLE users DROP CONSTRAINT users_email_key;\n`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, '-- +goose Up\n-- +goose Down\nALTER TABLE users DROP CONSTRAINT users_email_key;\n');
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        [
          'migrations/00003_build_users_email_key.sql',
          `-- +goose NO TRANSACTION\n-- +goose Up\n${BUILD}\n\n-- +goose Down\nDROP INDEX CONCURRENTLY IF EXISTS users_email_key;\n`,
        ],
        [
          'migrations/00004_attach_users_email_key.sql',
          `-- +goose Up\n${ATTACH}\n\n-- +goose Down\nALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;\n`,
        ],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('golang-migrate: a file holding only the statement builds in place; the attach gets a new .up/.down pair', () => {
    const c = { path: 'migrations/000002_email.up.sql' };
    const sql = `${UNIQUE}\n`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, `${BUILD}\n`);
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        ['migrations/000003_attach_users_email_key.up.sql', `${ATTACH}\n`],
        ['migrations/000003_attach_users_email_key.down.sql', 'ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;\n'],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('golang-migrate with other statements (one query string): both steps leave the file', () => {
    const c = { path: 'migrations/000002_email.up.sql' };
    const sql = `ALTER TABLE users ADD COLUMN email text;\n${UNIQUE}\n`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(applied.text, 'ALTER TABLE users ADD COLUMN email text;\n');
    assert.deepEqual(
      applied.created.map((f) => [f.path, f.content]),
      [
        ['migrations/000003_build_users_email_key.up.sql', `${BUILD}\n`],
        ['migrations/000003_build_users_email_key.down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS users_email_key;\n'],
        ['migrations/000004_attach_users_email_key.up.sql', `${ATTACH}\n`],
        ['migrations/000004_attach_users_email_key.down.sql', 'ALTER TABLE users DROP CONSTRAINT IF EXISTS users_email_key;\n'],
      ],
    );
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('psql file, CRLF and indentation: both steps in place, nothing else changes', () => {
    const c = { path: 'db/schema/x.sql' };
    const head = '-- keep ✓\r\nSELECT 1;\r\n  ';
    const tail = '\r\n/* after */ SELECT 2;\r\n';
    const sql = `${head}ALTER TABLE app.users ADD UNIQUE (email, "Org");${tail}`;
    const applied = applyFix(sql, fixFor(RULE, sql, c));
    assert.equal(
      applied.text,
      `${head}CREATE UNIQUE INDEX CONCURRENTLY users_email_org_key ON app.users (email, "Org");\r\n  ALTER TABLE app.users ADD CONSTRAINT users_email_org_key UNIQUE USING INDEX users_email_org_key;${tail}`,
    );
    assert.deepEqual(applied.created, []);
    assert.deepEqual(findingsAfter(applied, c, CONCERNS), []);
  });

  it('offers no fix where the recipe would not reproduce the constraint, or has nowhere to go', () => {
    const c = { path: 'db/schema/x.sql' };
    assert.deepEqual(fixesFor(RULE, 'ALTER TABLE users ADD CONSTRAINT k UNIQUE (email) DEFERRABLE;', c), [], 'DEFERRABLE');
    assert.deepEqual(fixesFor(RULE, 'ALTER TABLE users ADD CONSTRAINT k UNIQUE (email) INCLUDE (id);', c), [], 'INCLUDE');
    assert.deepEqual(fixesFor(RULE, 'ALTER TABLE users ADD COLUMN handle text UNIQUE;', c), [], 'inline on a new column');
    assert.deepEqual(fixesFor(RULE, `ALTER TABLE users ADD COLUMN a int, ADD CONSTRAINT k UNIQUE (email);`, c), [], 'other subcommands');
    assert.deepEqual(fixesFor(RULE, `BEGIN;\n${UNIQUE}\nCOMMIT;`, c), [], 'plain file in BEGIN … COMMIT: no following migration');
  });
});
