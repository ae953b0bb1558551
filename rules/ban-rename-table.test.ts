import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-rename-table';

describe(RULE, () => {
  it('flags RENAME TO on an existing table and underlines it', () => {
    const sql = 'ALTER TABLE audit_log RENAME TO audit_entries;';
    assert.deepEqual(findings(sql, RULE), [
      `1:23 ${RULE} error: Renaming table audit_log to audit_entries breaks running code the moment it commits: every query still naming audit_log fails with ` +
        `'relation "audit_log" does not exist' until the new application version is everywhere. ` +
        `The rename holds ACCESS EXCLUSIVE on audit_log, so it also waits behind long queries while reads and writes queue behind it.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['RENAME TO']);
    assert.match(
      lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '',
      /CREATE VIEW audit_log AS SELECT \* FROM audit_entries \(a simple view is updatable/,
    );
  });

  it('flags views and materialized views too', () => {
    assert.match(findings('ALTER MATERIALIZED VIEW events_daily RENAME TO daily_events;', RULE)[0] ?? '', /Renaming materialized view events_daily/);
  });

  it('accepts a view with the old name created in the same transaction', () => {
    assert.deepEqual(
      findings('BEGIN;\nALTER TABLE audit_log RENAME TO audit_entries;\nCREATE VIEW audit_log AS SELECT * FROM audit_entries;\nCOMMIT;', RULE),
      [],
    );
    assert.deepEqual(
      findings('-- migrate:up\nALTER TABLE audit_log RENAME TO audit_entries;\nCREATE VIEW audit_log AS SELECT * FROM audit_entries;', RULE, {
        path: 'db/migrations/1_x.sql',
      }),
      [],
    );
  });

  it('still flags when the statements commit one by one (the old name is missing in between)', () => {
    assert.equal(findings('ALTER TABLE audit_log RENAME TO audit_entries;\nCREATE VIEW audit_log AS SELECT * FROM audit_entries;', RULE).length, 1);
  });

  it('does not flag a table created earlier in the migration, nor index renames', () => {
    assert.deepEqual(findings('CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;', RULE), []);
    assert.deepEqual(findings('ALTER INDEX events_kind_idx RENAME TO events_kind_i;', RULE), []);
  });
});
