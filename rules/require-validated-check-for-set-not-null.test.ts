import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-validated-check-for-set-not-null';

describe(RULE, () => {
  it('flags SET NOT NULL without a validated check and gives the 3-step recipe with real names', () => {
    const sql = 'ALTER TABLE events ALTER COLUMN user_id SET NOT NULL;';
    assert.deepEqual(findings(sql, RULE), [
      `1:41 ${RULE} warning: SET NOT NULL on events.user_id reads every row of events under ACCESS EXCLUSIVE to prove there is no NULL: reads and writes wait for the whole scan.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['SET NOT NULL']);
    assert.equal(
      lint(sql).findings.find((f) => f.rule === RULE)?.help,
      'Add CONSTRAINT events_user_id_not_null CHECK (user_id IS NOT NULL) NOT VALID here; in a later migration VALIDATE CONSTRAINT events_user_id_not_null (SHARE UPDATE EXCLUSIVE: traffic continues), then SET NOT NULL (no scan: the valid check proves it), then DROP CONSTRAINT events_user_id_not_null.',
    );
  });

  it('quotes identifiers that need it in the suggested SQL', () => {
    const help = lint('ALTER TABLE "User" ALTER COLUMN "accountId" SET NOT NULL;').findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /CHECK \("accountId" IS NOT NULL\)/);
  });

  it('does not flag SET NOT NULL after the validated check (PG 12+)', () => {
    const safe =
      'ALTER TABLE events ADD CONSTRAINT nn CHECK (user_id IS NOT NULL) NOT VALID;\nALTER TABLE events VALIDATE CONSTRAINT nn;\nALTER TABLE events ALTER COLUMN user_id SET NOT NULL;';
    assert.deepEqual(findings(safe, RULE), []);
  });

  it('accepts a check defined in an earlier migration and validated here, when its name names the column', () => {
    const sql = 'ALTER TABLE events VALIDATE CONSTRAINT events_kind_not_null;\nALTER TABLE events ALTER COLUMN kind SET NOT NULL;';
    assert.deepEqual(findings(sql, RULE), []);
  });

  it('still flags on PostgreSQL 11, where a valid check does not spare the scan', () => {
    const safe = 'ALTER TABLE events ADD CONSTRAINT nn CHECK (user_id IS NOT NULL);\nALTER TABLE events ALTER COLUMN user_id SET NOT NULL;';
    assert.equal(findings(safe, RULE, { config: { pgVersion: 11 } }).length, 1);
    assert.match(lint(safe, { config: { pgVersion: 11 } }).findings.find((f) => f.rule === RULE)?.help ?? '', /Before PostgreSQL 12/);
  });

  it('does not flag a table created in this migration, nor DROP NOT NULL', () => {
    assert.deepEqual(findings('CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;', RULE), []);
    assert.deepEqual(findings('ALTER TABLE events ALTER COLUMN a DROP NOT NULL;', RULE), []);
  });

  it('reports each SET NOT NULL subcommand of one ALTER TABLE', () => {
    assert.equal(findings('ALTER TABLE events ALTER COLUMN a SET NOT NULL, ALTER COLUMN b SET NOT NULL;', RULE).length, 2);
  });
});
