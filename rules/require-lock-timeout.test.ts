import assert from 'node:assert/strict';
import { applyFix, findingsAfter, fixFor, fixesFor } from '../test/fix-helpers';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-lock-timeout';
const ADD = 'ALTER TABLE events ADD COLUMN source text;';
const DBMATE = 'db/migrations/20250101000000_x.sql';
const TAIL =
  'While it waits behind any transaction holding a conflicting lock, every later statement on events that conflicts with ACCESS EXCLUSIVE ' +
  '(ACCESS EXCLUSIVE blocks reads and writes) queues behind it, so even a brief lock becomes an outage lasting as long as the oldest open transaction on events.';

describe(RULE, () => {
  it('flags DDL with no lock_timeout, with the exact message and underline', () => {
    assert.deepEqual(findings(ADD, RULE), [
      `1:1 ${RULE} warning: ALTER TABLE waits for ACCESS EXCLUSIVE on events, and no lock_timeout is set before it in this section. ${TAIL}`,
    ]);
    assert.deepEqual(underlined(ADD, RULE), ['ALTER TABLE']);
    assert.match(lint(ADD).findings.find((f) => f.rule === RULE)?.help ?? '', /^Put `SET lock_timeout = '5s';` before this statement/);
  });

  it('accepts SET, SET LOCAL in a transaction and set_config', () => {
    assert.deepEqual(findings(`SET lock_timeout = '5s';\n${ADD}`, RULE), []);
    assert.deepEqual(findings(`SET lock_timeout = 3000;\n${ADD}`, RULE), []);
    assert.deepEqual(findings(`BEGIN;\nSET LOCAL lock_timeout = '2s';\n${ADD}\nCOMMIT;`, RULE), []);
    assert.deepEqual(findings(`SELECT set_config('lock_timeout', '3s', false);\n${ADD}`, RULE), []);
  });

  it('reports 0 and values above 10s, saying what was set', () => {
    assert.match(findings(`SET lock_timeout = 0;\n${ADD}`, RULE)[0] ?? '', /^2:1 .* lock_timeout is 0 \(line 1\), which disables it\./);
    assert.match(findings(`SET lock_timeout = '1min';\n${ADD}`, RULE)[0] ?? '', /lock_timeout is '1min' \(line 1\), longer than 10s\./);
    assert.deepEqual(findings(`SET lock_timeout = '10s';\n${ADD}`, RULE), []);
    assert.match(findings(`SET lock_timeout = '5s';\nRESET lock_timeout;\n${ADD}`, RULE)[0] ?? '', /reset to the server default at line 2/);
  });

  it('knows SET LOCAL ends with its transaction', () => {
    // Outside a transaction block SET LOCAL does nothing.
    assert.match(findings(`SET LOCAL lock_timeout = '2s';\n${ADD}`, RULE)[0] ?? '', /^2:1 .*the SET LOCAL at line 1 ended with its transaction/);
    const sql = `BEGIN;\nSET LOCAL lock_timeout = '2s';\n${ADD}\nCOMMIT;\nALTER TABLE orders ADD COLUMN note text;`;
    assert.match(findings(sql, RULE)[0] ?? '', /^5:1 .*ACCESS EXCLUSIVE on orders.*SET LOCAL at line 2 ended/);
    // A single query string is one implicit transaction: SET LOCAL covers the whole file.
    assert.deepEqual(findings(`SET LOCAL lock_timeout = '2s';\n${ADD}\nALTER TABLE orders ADD COLUMN note text;`, RULE, { path: 'migrations/1_x.up.sql' }), []);
  });

  it('runner transactions: SET LOCAL covers the section, each section needs its own, help says SET LOCAL', () => {
    const sql = `-- migrate:up\nSET LOCAL lock_timeout = '2s';\n${ADD}\n-- migrate:down\nALTER TABLE events DROP COLUMN source;`;
    assert.deepEqual(findings(sql, RULE, { path: DBMATE }), [
      `5:1 ${RULE} warning: ALTER TABLE waits for ACCESS EXCLUSIVE on events, and no lock_timeout is set before it in this section. ${TAIL}`,
    ]);
    const help = lint(`-- migrate:up\n${ADD}`, { path: DBMATE }).findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /`SET LOCAL lock_timeout = '5s';` before this statement \(inside its transaction\)/);
  });

  it('reports only the first statement of a section', () => {
    assert.equal(findings(`${ADD}\nALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX i ON users (email);`, RULE).length, 1);
  });

  it('uses the engine lock: SHARE for CREATE INDEX, SHARE UPDATE EXCLUSIVE for VALIDATE', () => {
    assert.match(
      findings('CREATE INDEX users_email_idx ON users (email);', RULE)[0] ?? '',
      /CREATE INDEX waits for SHARE on users.*\(SHARE blocks writes \(reads continue\)\)/,
    );
    assert.match(findings('ALTER TABLE orders VALIDATE CONSTRAINT c;', RULE)[0] ?? '', /SHARE UPDATE EXCLUSIVE on orders/);
  });

  it('skips tables created in the file, weak locks and CONCURRENTLY', () => {
    assert.deepEqual(findings('CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int;', RULE), []);
    assert.deepEqual(findings("UPDATE events SET kind = 'x' WHERE id = 1;", RULE), []);
    assert.deepEqual(findings('CREATE INDEX CONCURRENTLY i ON events (kind);', RULE), []);
  });
});

describe(`${RULE}: fix`, () => {
  const fixed = (sql: string, path: string): string => {
    const applied = applyFix(sql, fixFor(RULE, sql, { path }));
    assert.deepEqual(applied.created, []);
    assert.deepEqual(findingsAfter(applied, { path }, [RULE, 'syntax-error']), [], 'fixed: nothing left to report');
    return applied.text;
  };

  it('psql file: SET before the first statement that needs it, the rest untouched', () => {
    assert.equal(fixed(`SELECT 1;\n${ADD}\nSELECT 2;\n`, 'db/schema/x.sql'), `SELECT 1;\nSET lock_timeout = '5s';\n${ADD}\nSELECT 2;\n`);
  });

  it('dbmate: SET LOCAL inside the runner transaction, keeping indentation, CRLF, and the ignore comment next to its statement', () => {
    const sql = `-- migrate:up\r\n  -- pg-migration-guard-ignore require-concurrent-index-creation: 40 rows\r\n  CREATE INDEX users_x_idx ON users (x);\r\n\r\n-- migrate:down\r\n`;
    const fix = fixFor(RULE, sql, { path: DBMATE });
    assert.equal(fix.title, "Insert `SET LOCAL lock_timeout = '5s';` before this statement");
    assert.equal(
      fixed(sql, DBMATE),
      `-- migrate:up\r\n  SET LOCAL lock_timeout = '5s';\r\n  -- pg-migration-guard-ignore require-concurrent-index-creation: 40 rows\r\n  CREATE INDEX users_x_idx ON users (x);\r\n\r\n-- migrate:down\r\n`,
    );
    assert.ok(!lint(fixed(sql, DBMATE), { path: DBMATE }).findings.some((f) => f.rule === 'require-concurrent-index-creation'), 'the ignore still applies');
  });

  it('goose: SET LOCAL in its transaction; NO TRANSACTION: a session SET', () => {
    assert.equal(fixed(`-- +goose Up\n${ADD}\n`, 'migrations/00002_x.sql'), `-- +goose Up\nSET LOCAL lock_timeout = '5s';\n${ADD}\n`);
    assert.equal(
      fixed(`-- +goose NO TRANSACTION\n-- +goose Up\n${ADD}\n`, 'migrations/00002_x.sql'),
      `-- +goose NO TRANSACTION\n-- +goose Up\nSET lock_timeout = '5s';\n${ADD}\n`,
    );
  });

  it('golang-migrate: SET LOCAL in the implicit transaction of a multi-statement file, SET for a lone statement', () => {
    const path = 'migrations/000002_x.up.sql';
    assert.equal(fixed(`SELECT 1;\n${ADD}\n`, path), `SELECT 1;\nSET LOCAL lock_timeout = '5s';\n${ADD}\n`);
    assert.equal(fixed(`${ADD}\n`, path), `SET lock_timeout = '5s';\n${ADD}\n`);
  });

  it('after a disabling or too long setting, or on the same line as BEGIN', () => {
    assert.equal(fixed(`SET lock_timeout = 0;\n${ADD}\n`, 'db/schema/x.sql'), `SET lock_timeout = 0;\nSET lock_timeout = '5s';\n${ADD}\n`);
    assert.equal(fixed(`BEGIN; ${ADD} COMMIT;\n`, 'db/schema/x.sql'), `BEGIN; SET LOCAL lock_timeout = '5s'; ${ADD} COMMIT;\n`);
  });

  it('no fix where the SET would pull a statement that refuses transaction blocks into one query string', () => {
    assert.deepEqual(fixesFor(RULE, 'VACUUM FULL events;\n', { path: 'migrations/000002_x.up.sql' }), []);
    assert.equal(fixesFor(RULE, 'VACUUM FULL events;\n', { path: 'db/schema/x.sql' }).length, 1);
  });
});
