import assert from 'node:assert/strict';
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
