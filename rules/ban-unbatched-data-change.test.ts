import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-unbatched-data-change';
const TAIL =
  'so application writes to those rows wait; the whole change is written to WAL at once (replicas fall behind) and leaves one dead row version per changed row for VACUUM.';

describe(RULE, () => {
  it('flags UPDATE without WHERE, with message and underline', () => {
    const sql = 'UPDATE events SET legacy_flag = false;';
    assert.deepEqual(findings(sql, RULE), [
      `1:1 ${RULE} warning: UPDATE without WHERE changes every row of events. Every touched row stays locked until the statement ends, ${TAIL}`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['UPDATE']);
    assert.deepEqual(underlined('DELETE FROM events;', RULE), ['DELETE FROM']);
  });

  it('flags UPDATE … FROM, DELETE … USING and INSERT … SELECT … FROM', () => {
    assert.match(
      findings('UPDATE events e SET account_id = u.account_id FROM users u WHERE u.id = e.user_id;', RULE)[0] ?? '',
      /UPDATE … FROM changes every events row/,
    );
    assert.match(findings('DELETE FROM events e USING users u WHERE u.id = e.user_id;', RULE)[0] ?? '', /DELETE … USING/);
    const ins = 'INSERT INTO audit_log (actor) SELECT kind FROM events;';
    assert.match(findings(ins, RULE)[0] ?? '', /INSERT … SELECT writes every row the query returns into audit_log/);
    assert.deepEqual(underlined(ins, RULE), ['INSERT INTO']);
  });

  it('does not flag targeted changes or INSERT … VALUES', () => {
    assert.deepEqual(
      findings("UPDATE accounts SET plan = 'pro' WHERE id = 42;\nINSERT INTO audit_log (actor) VALUES ('x');\nINSERT INTO audit_log (actor) SELECT 'x';", RULE),
      [],
    );
  });

  it('skips tables created in the same migration', () => {
    assert.deepEqual(findings('CREATE TABLE t (id int);\nINSERT INTO t SELECT id FROM events;\nUPDATE t SET id = 1;', RULE), []);
  });

  it("says the runner's transaction holds the row locks until the migration ends", () => {
    const f = findings('-- migrate:up\nUPDATE events SET legacy_flag = false;', RULE, { path: 'db/migrations/20250101000000_x.sql' });
    assert.match(f[0] ?? '', /stays locked until the runner's transaction commits at the end of the migration/);
  });

  it('follows configured table sizes', () => {
    assert.match(findings('DELETE FROM events;', RULE, { config: { tables: { events: { rows: 5_000_000 } } } })[0] ?? '', / error: .*\(events: ~5M rows/);
  });
});
