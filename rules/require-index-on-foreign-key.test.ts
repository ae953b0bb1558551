import assert from 'node:assert/strict';
import { applyEdits } from '../server/src/engine';
import { assertOnlyStatementChanged, createdMigrations, folderFixesFor, folderFixFor, relint } from '../test/fix-helpers';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-index-on-foreign-key';
const FK = 'ALTER TABLE events ADD CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;';

describe(RULE, () => {
  it('flags a foreign key on an existing table whose columns have no index in this file', () => {
    assert.deepEqual(findings(FK, RULE), [
      `1:24 ${RULE} warning: Foreign key from events(user_id) to users: events(user_id) has no index known in this file, so every DELETE on users, and every change of a key of users, scans all of events to look for referencing rows.`,
    ]);
    assert.deepEqual(underlined(FK, RULE), ['CONSTRAINT events_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;']);
    assert.match(
      lint(FK).findings.find((f) => f.rule === RULE)?.help ?? '',
      /^Add `CREATE INDEX CONCURRENTLY events_user_id_idx ON events \(user_id\)` before the foreign key/,
    );
  });

  it('reports new tables at info, with a plain CREATE INDEX', () => {
    const sql = 'CREATE TABLE invoices (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));';
    assert.match(findings(sql, RULE)[0] ?? '', / info: Foreign key from invoices\(order_id\) to orders/);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /`CREATE INDEX invoices_order_id_idx ON invoices \(order_id\)`/);
  });

  it('stays quiet when the configured database already has an index leading with the columns', () => {
    const database = {
      major: 15,
      statementTimeoutMs: 0,
      lockTimeoutMs: 0,
      tables: {},
      indexes: [{ name: 'events_user_id_created_idx', table: 'events', columns: ['user_id', 'created_at'] }],
      invalidIndexes: [],
    };
    assert.deepEqual(
      lint(FK, { config: { database } }).findings.filter((f) => f.rule === RULE),
      [],
    );
    const other = { ...database, indexes: [{ name: 'events_created_user_idx', table: 'events', columns: ['created_at', 'user_id'] }] };
    assert.equal(lint(FK, { config: { database: other } }).findings.filter((f) => f.rule === RULE).length, 1, 'user_id is not the leading column');
  });

  it('covers ADD COLUMN … REFERENCES', () => {
    assert.equal(findings('ALTER TABLE events ADD COLUMN owner_id bigint REFERENCES users (id);', RULE).length, 1);
  });

  it('accepts an index, primary key or unique constraint whose leading columns cover the key', () => {
    assert.deepEqual(findings(`CREATE INDEX CONCURRENTLY events_user_id_idx ON events (user_id, created_at);\n${FK}`, RULE), []);
    assert.deepEqual(findings('CREATE TABLE m (order_id bigint REFERENCES orders (id), n int, PRIMARY KEY (order_id, n));', RULE), []);
    assert.equal(findings(`CREATE INDEX events_user_id_idx ON events (created_at, user_id);\n${FK}`, RULE).length, 1);
    assert.equal(findings(`CREATE INDEX p ON events (user_id) WHERE user_id IS NOT NULL;\n${FK}`, RULE).length, 1);
  });

  it('leaves cascading keys to review-cascading-foreign-key (no duplicate finding)', () => {
    const sql = 'ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE NOT VALID;';
    assert.deepEqual(findings(sql, RULE), []);
    assert.equal(findings(sql, 'review-cascading-foreign-key').length, 1);
    assert.deepEqual(findings('ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL NOT VALID;', RULE), []);
    assert.equal(findings('ALTER TABLE events ADD FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE RESTRICT NOT VALID;', RULE).length, 1);
  });
});

describe(`${RULE}: fix`, () => {
  it('golang-migrate, a NOT VALID key: the index is built concurrently first, the key (as written) follows in the next migration', () => {
    const sql = `ALTER TABLE events ADD COLUMN user_id bigint;\n${FK}\n`;
    const c = { path: 'migrations/000004_user.up.sql', sql };
    const fix = folderFixFor(RULE, c);
    assert.equal(
      fix.title,
      'Build events_user_id_idx concurrently in a new migration 000005_add_events_user_id_idx.up.sql, then add events_user_id_fkey NOT VALID in 000006_add_events_user_id_fkey.up.sql',
    );
    assert.equal(applyEdits(sql, fix.steps), 'ALTER TABLE events ADD COLUMN user_id bigint;\n');
    assert.deepEqual(
      createdMigrations(fix).map((m) => [m.path, m.content]),
      [
        ['migrations/000005_add_events_user_id_idx.up.sql', 'CREATE INDEX CONCURRENTLY events_user_id_idx ON events (user_id);\n'],
        ['migrations/000005_add_events_user_id_idx.down.sql', 'DROP INDEX CONCURRENTLY IF EXISTS events_user_id_idx;\n'],
        ['migrations/000006_add_events_user_id_fkey.up.sql', `${FK}\n`],
        ['migrations/000006_add_events_user_id_fkey.down.sql', 'ALTER TABLE events DROP CONSTRAINT IF EXISTS events_user_id_fkey;\n'],
      ],
      'no VALIDATE: the user wrote NOT VALID and validates it on their schedule',
    );
    for (const rule of [RULE, 'ban-concurrently-in-transaction'])
      assert.deepEqual(
        relint(rule, c, fix).flatMap((f) => f.findings),
        [],
        rule,
      );
  });

  it('goose and dbmate name the index migration in their conventions', () => {
    const goose = folderFixFor(RULE, { path: 'migrations/00004_user.sql', sql: `-- +goose Up\nSELECT 1;\n${FK}\n` });
    assert.deepEqual(
      createdMigrations(goose).map((m) => m.path),
      ['migrations/00005_add_events_user_id_idx.sql', 'migrations/00006_add_events_user_id_fkey.sql'],
    );
    assert.match(
      createdMigrations(goose)[0]?.content ?? '',
      /^-- \+goose NO TRANSACTION\n-- \+goose Up\nCREATE INDEX CONCURRENTLY events_user_id_idx ON events \(user_id\);\n/,
    );
    const dbmate = folderFixFor(RULE, { path: 'db/migrations/20250601100000_user.sql', sql: `-- migrate:up\nSELECT 1;\n${FK}\n` });
    assert.deepEqual(
      createdMigrations(dbmate).map((m) => m.path),
      ['db/migrations/20250601100001_add_events_user_id_idx.sql', 'db/migrations/20250601100002_add_events_user_id_fkey.sql'],
    );
  });

  it('a child table created in this migration: a plain CREATE INDEX right after the statement, CRLF kept', () => {
    const create = 'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));';
    const sql = `-- migrate:up\r\n${create}\r\n-- after\r\n`;
    const c = { path: 'db/migrations/20250601100000_refunds.sql', sql };
    const fix = folderFixFor(RULE, c);
    assert.equal(fix.title, 'Index refunds (order_id) as refunds_order_id_idx in this migration');
    const out = applyEdits(sql, fix.steps);
    assert.equal(out, `-- migrate:up\r\n${create}\r\nCREATE INDEX refunds_order_id_idx ON refunds (order_id);\r\n-- after\r\n`);
    assertOnlyStatementChanged(sql, out, create);
    assert.deepEqual(
      relint(RULE, c, fix).flatMap((f) => f.findings),
      [],
    );
  });

  it('no automatic fix for ADD COLUMN … REFERENCES on an existing table (the column and the key are one subcommand)', () => {
    assert.deepEqual(
      folderFixesFor(RULE, { path: 'migrations/000002_x.up.sql', sql: 'ALTER TABLE events ADD COLUMN user_id bigint REFERENCES users (id);' }),
      [],
    );
  });
});
