import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'review-enum-change';
const IN_TX =
  "BEGIN;\nALTER TYPE event_state ADD VALUE 'archived' AFTER 'updated';\nUPDATE events SET state = 'archived' WHERE archived_at IS NOT NULL;\nCOMMIT;";

describe(RULE, () => {
  it('warns on a later statement of the same transaction that uses the new value (PG 12+)', () => {
    assert.deepEqual(findings(IN_TX, RULE), [
      `3:27 ${RULE} warning: 'archived' is added to event_state earlier in the same transaction and cannot be used before that transaction commits: where this literal is read as event_state, the statement fails with 'unsafe use of new value "archived" of enum type event_state' and the transaction rolls back.`,
    ]);
    assert.deepEqual(underlined(IN_TX, RULE), ["'archived'"]);
  });

  it('does the same inside a dbmate transaction, but not in a plain file where each statement commits', () => {
    const dbmate =
      "-- migrate:up\nALTER TYPE event_state ADD VALUE 'archived' AFTER 'updated';\nUPDATE events SET state = 'archived';\n-- migrate:down\nSELECT 1;\n";
    assert.equal(findings(dbmate, RULE, { path: 'db/migrations/20250101000000_x.sql' }).length, 1);
    assert.deepEqual(findings("ALTER TYPE event_state ADD VALUE 'archived' AFTER 'updated';\nUPDATE events SET state = 'archived';", RULE), []);
    assert.deepEqual(findings(IN_TX.replace('UPDATE', 'COMMIT;\nUPDATE').replace(/COMMIT;$/, ''), RULE), []);
  });

  it('is an error inside a transaction block before PostgreSQL 12, with runner advice', () => {
    const sql = "BEGIN;\nALTER TYPE event_state ADD VALUE 'archived' AFTER 'updated';\nCOMMIT;";
    assert.deepEqual(findings(sql, RULE, { config: { pgVersion: 11 } }), [
      `2:24 ${RULE} error: Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block, and this one will: it runs between BEGIN and COMMIT written in this file. The migration fails with "ALTER TYPE ... ADD cannot run inside a transaction block".`,
    ]);
    assert.deepEqual(findings(sql, RULE, { config: { pgVersion: 12 } }), []);
    const goose = lint("-- +goose Up\nALTER TYPE event_state ADD VALUE 'archived' AFTER 'updated';\n", {
      path: 'migrations/00001_x.sql',
      config: { pgVersion: 11 },
    });
    assert.match(goose.findings.find((f) => f.rule === RULE)?.help ?? '', /-- \+goose NO TRANSACTION/);
  });

  it('notes the ordering when neither BEFORE nor AFTER is given', () => {
    const sql = "ALTER TYPE event_state ADD VALUE IF NOT EXISTS 'archived';";
    assert.deepEqual(findings(sql, RULE), [
      `1:24 ${RULE} info: 'archived' is appended after the last label of event_state: enum values sort by declaration order, so ORDER BY, < and > on event_state will place it last.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ["ADD VALUE IF NOT EXISTS 'archived'"]);
  });

  it('warns on RENAME VALUE', () => {
    const sql = "ALTER TYPE event_state RENAME VALUE 'deleted' TO 'removed';";
    assert.deepEqual(findings(sql, RULE), [
      `1:24 ${RULE} warning: Renaming the event_state label 'deleted' to 'removed' breaks running code at once: every query, INSERT and application constant still using 'deleted' fails with "invalid input value for enum event_state".`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['RENAME VALUE']);
  });

  it('stays quiet for an enum created earlier in the same file', () => {
    assert.deepEqual(
      findings("BEGIN;\nCREATE TYPE payout_state AS ENUM ('pending');\nALTER TYPE payout_state ADD VALUE 'failed';\nCOMMIT;", RULE, {
        config: { pgVersion: 11 },
      }),
      [],
    );
  });
});
