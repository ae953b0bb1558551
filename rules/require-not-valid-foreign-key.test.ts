import assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine';
import { assertOnlyStatementChanged, createdMigrations, folderFixesFor, folderFixFor, relint } from '../test/fix-helpers';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-not-valid-foreign-key';

describe(RULE, () => {
  it('flags ADD CONSTRAINT … FOREIGN KEY with the locks on both tables', () => {
    const sql = 'ALTER TABLE events ADD CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);';
    assert.deepEqual(findings(sql, RULE), [
      `1:24 ${RULE} warning: Adding foreign key events_account_id_fkey checks every existing row of events against accounts before the statement ends, holding SHARE ROW EXCLUSIVE on events (blocks writes (reads continue)) and SHARE ROW EXCLUSIVE on accounts (blocks writes (reads continue)) for the whole scan.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);']);
    assert.equal(
      lint(sql).findings.find((f) => f.rule === RULE)?.help,
      'Add the key with `ALTER TABLE events ADD CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID` (only a brief lock: new rows are checked from then on), and in a later migration run `ALTER TABLE events VALIDATE CONSTRAINT events_account_id_fkey`, which scans under SHARE UPDATE EXCLUSIVE while reads and writes continue.',
    );
  });

  it('flags inline REFERENCES on ADD COLUMN, naming the ACCESS EXCLUSIVE lock and the default constraint name', () => {
    const sql = 'ALTER TABLE events ADD COLUMN owner_id bigint REFERENCES users (id);';
    assert.match(
      findings(sql, RULE)[0] ?? '',
      /foreign key events_owner_id_fkey .* ACCESS EXCLUSIVE on events \(blocks reads and writes\) and SHARE ROW EXCLUSIVE on users/,
    );
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /^Add the column owner_id without REFERENCES/);
  });

  it('does not flag NOT VALID, nor a child table created in this migration', () => {
    assert.deepEqual(findings('ALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;', RULE), []);
    assert.deepEqual(findings('CREATE TABLE n (id int, event_id bigint);\nALTER TABLE n ADD FOREIGN KEY (event_id) REFERENCES events (id);', RULE), []);
  });

  it('escalates with a known child size', () => {
    const f = findings('ALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id);', RULE, {
      config: { tables: { events: { rows: 5_000_000 } } },
    });
    assert.match(f[0] ?? '', / error: .*\(events: ~5M rows per pg-migration-guard\.json\)/);
  });
});

describe(`${RULE}: fix with the missing index built first`, () => {
  const FK = 'ALTER TABLE events ADD CONSTRAINT events_account_id_fkey FOREIGN KEY (account_id) REFERENCES accounts (id);';
  const CONCERNS = [
    RULE,
    'require-index-on-foreign-key',
    'ban-validate-in-same-transaction',
    'ban-concurrently-in-transaction',
    'require-concurrent-index-creation',
  ];
  const clean = (c: Parameters<typeof relint>[1], fix: Parameters<typeof relint>[2]): string[] =>
    CONCERNS.flatMap((rule) => relint(rule, c, fix).flatMap((f) => f.findings.map((m) => `${f.path}: ${rule}: ${m}`)));

  it('golang-migrate: CIC, FK NOT VALID and VALIDATE each in their own following migration, in that order', () => {
    const sql = `ALTER TABLE events ADD COLUMN account_id bigint;\n${FK}\n`;
    const c = { path: 'migrations/000002_account.up.sql', sql };
    const fixes = folderFixesFor(RULE, c);
    assert.deepEqual(
      fixes.map((f) => [f.title, f.safety, f.preferred]),
      [
        [
          'Build events_account_id_idx concurrently in a new migration 000003_add_events_account_id_idx.up.sql, then add events_account_id_fkey NOT VALID in 000004_add_events_account_id_fkey.up.sql and VALIDATE it in 000005_validate_events_account_id_fkey.up.sql',
          'safe',
          true,
        ],
        [
          'Add events_account_id_fkey NOT VALID, then VALIDATE it separately; the rest in a new migration 000003_validate_events_account_id_fkey.up.sql',
          'safe',
          false,
        ],
      ],
    );
    const fix = fixes[0];
    assert.ok(fix);
    assert.equal(applyEdits(sql, fix.steps), 'ALTER TABLE events ADD COLUMN account_id bigint;\n');
    assert.deepEqual(
      createdMigrations(fix).map((m) => [m.path, m.content]),
      [
        ['migrations/000003_add_events_account_id_idx.up.sql', 'CREATE INDEX CONCURRENTLY events_account_id_idx ON events (account_id);\n'],
        ['migrations/000003_add_events_account_id_idx.down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS events_account_id_idx;\n'],
        ['migrations/000004_add_events_account_id_fkey.up.sql', `${FK.slice(0, -1)} NOT VALID;\n`],
        ['migrations/000004_add_events_account_id_fkey.down.sql', 'ALTER TABLE events DROP CONSTRAINT IF EXISTS events_account_id_fkey;\n'],
        ['migrations/000005_validate_events_account_id_fkey.up.sql', 'ALTER TABLE events VALIDATE CONSTRAINT events_account_id_fkey;\n'],
        ['migrations/000005_validate_events_account_id_fkey.down.sql', '-- nothing to undo: VALIDATE only checked existing rows\n'],
      ],
    );
    assert.deepEqual(clean(c, fix), []);
  });

  it('golang-migrate, the key alone in its file: CIC takes its place (one statement runs outside a transaction), the rest follows', () => {
    const c = { path: 'migrations/000002_fk.up.sql', sql: `${FK}\n` };
    const fix = folderFixFor(RULE, c);
    assert.equal(applyEdits(c.sql, fix.steps), 'CREATE INDEX CONCURRENTLY events_account_id_idx ON events (account_id);\n');
    assert.deepEqual(
      createdMigrations(fix).map((m) => m.path),
      [
        'migrations/000003_add_events_account_id_fkey.up.sql',
        'migrations/000003_add_events_account_id_fkey.down.sql',
        'migrations/000004_validate_events_account_id_fkey.up.sql',
        'migrations/000004_validate_events_account_id_fkey.down.sql',
      ],
    );
    assert.deepEqual(clean(c, fix), []);
  });

  it('dbmate, the key alone in its section: the section becomes transaction:false and builds the index; the key follows', () => {
    const sql = `-- migrate:up\n${FK}\n\n-- migrate:down\nALTER TABLE events DROP CONSTRAINT events_account_id_fkey;\n`;
    const c = { path: 'db/migrations/20250601100000_fk.sql', sql };
    const fix = folderFixFor(RULE, c);
    assert.equal(
      applyEdits(sql, fix.steps),
      '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY events_account_id_idx ON events (account_id);\n\n-- migrate:down\nALTER TABLE events DROP CONSTRAINT events_account_id_fkey;\n',
    );
    assert.deepEqual(
      createdMigrations(fix).map((m) => [m.path, m.content]),
      [
        [
          'db/migrations/20250601100001_add_events_account_id_fkey.sql',
          `-- migrate:up\n${FK.slice(0, -1)} NOT VALID;\n\n-- migrate:down\nALTER TABLE events DROP CONSTRAINT IF EXISTS events_account_id_fkey;\n`,
        ],
        [
          'db/migrations/20250601100002_validate_events_account_id_fkey.sql',
          '-- migrate:up\nALTER TABLE events VALIDATE CONSTRAINT events_account_id_fkey;\n\n-- migrate:down\n-- nothing to undo: VALIDATE only checked existing rows\n',
        ],
      ],
    );
    assert.deepEqual(clean(c, fix), []);
  });

  it('goose (transactional, with other work): a NO TRANSACTION migration for the index, then the key, then VALIDATE', () => {
    const sql = `-- +goose Up\nALTER TABLE events ADD COLUMN account_id bigint;\n${FK}\n-- +goose Down\nALTER TABLE events DROP COLUMN account_id;\n`;
    const c = { path: 'migrations/00007_fk.sql', sql };
    const fix = folderFixFor(RULE, c);
    const out = applyEdits(sql, fix.steps);
    assert.equal(out, '-- +goose Up\nALTER TABLE events ADD COLUMN account_id bigint;\n-- +goose Down\nALTER TABLE events DROP COLUMN account_id;\n');
    assert.deepEqual(
      createdMigrations(fix).map((m) => [m.path, m.content]),
      [
        [
          'migrations/00008_add_events_account_id_idx.sql',
          '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY events_account_id_idx ON events (account_id);\n\n-- +goose Down\nDROP INDEX CONCURRENTLY IF EXISTS events_account_id_idx;\n',
        ],
        [
          'migrations/00009_add_events_account_id_fkey.sql',
          `-- +goose Up\n${FK.slice(0, -1)} NOT VALID;\n\n-- +goose Down\nALTER TABLE events DROP CONSTRAINT IF EXISTS events_account_id_fkey;\n`,
        ],
        [
          'migrations/00010_validate_events_account_id_fkey.sql',
          '-- +goose Up\nALTER TABLE events VALIDATE CONSTRAINT events_account_id_fkey;\n\n-- +goose Down\n-- nothing to undo: VALIDATE only checked existing rows\n',
        ],
      ],
    );
    assert.deepEqual(clean(c, fix), []);
  });

  it('goose NO TRANSACTION: every statement commits alone, so the three steps replace the key in place (CRLF kept)', () => {
    const sql = `-- +goose NO TRANSACTION\r\n-- +goose Up\r\nSELECT 1;\r\n${FK}\r\nSELECT 2;\r\n`;
    const c = { path: 'migrations/00007_fk.sql', sql };
    const fix = folderFixFor(RULE, c);
    const out = applyEdits(sql, fix.steps);
    assert.equal(
      out,
      '-- +goose NO TRANSACTION\r\n-- +goose Up\r\nSELECT 1;\r\n' +
        'CREATE INDEX CONCURRENTLY events_account_id_idx ON events (account_id);\r\n' +
        `${FK.slice(0, -1)} NOT VALID;\r\n` +
        'ALTER TABLE events VALIDATE CONSTRAINT events_account_id_fkey;\r\nSELECT 2;\r\n',
    );
    assertOnlyStatementChanged(sql, out, FK);
    assert.deepEqual(createdMigrations(fix), []);
    assert.deepEqual(clean(c, fix), []);
  });

  it('CRLF in created files too', () => {
    const sql = `ALTER TABLE events ADD COLUMN account_id bigint;\r\n${FK}\r\n`;
    const fix = folderFixFor(RULE, { path: 'migrations/000002_account.up.sql', sql });
    for (const m of createdMigrations(fix)) assert.doesNotMatch(m.content.replace(/\r\n/g, ''), /\n/, m.path);
  });

  it('with an index already known from earlier migrations, only the NOT VALID + VALIDATE fix is offered', () => {
    const history = [
      {
        path: 'migrations/000001_init.up.sql',
        text: 'CREATE TABLE events (id bigint PRIMARY KEY, account_id bigint);\nCREATE INDEX events_account_idx ON events (account_id);\n',
      },
    ];
    const fixes = folderFixesFor(RULE, { path: 'migrations/000002_fk.up.sql', sql: `SELECT 1;\n${FK}\n`, history });
    assert.deepEqual(
      fixes.map((f) => f.title),
      ['Add events_account_id_fkey NOT VALID, then VALIDATE it separately; the rest in a new migration 000003_validate_events_account_id_fkey.up.sql'],
    );
  });
});
