import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-validate-in-same-transaction';
const ADD = 'ALTER TABLE events ADD CONSTRAINT c CHECK (amount >= 0) NOT VALID;';
const VALIDATE = 'ALTER TABLE events VALIDATE CONSTRAINT c;';

describe(RULE, () => {
  it("flags VALIDATE in dbmate's transaction after the NOT VALID ADD, quoting the ADD's lock", () => {
    const sql = `-- migrate:up\n${ADD}\n${VALIDATE}\n`;
    assert.deepEqual(findings(sql, RULE, { path: 'db/migrations/1_x.sql' }), [
      `3:20 ${RULE} warning: VALIDATE CONSTRAINT c runs in the same transaction as the ADD CONSTRAINT c … NOT VALID on line 2 (dbmate wraps the section in a transaction (no \`transaction:false\` on its directive)). The ADD's ACCESS EXCLUSIVE on events (blocks reads and writes) is held until that transaction commits, so the validation scan of events runs under it: NOT VALID saves nothing.`,
    ]);
    assert.deepEqual(underlined(sql, RULE, { path: 'db/migrations/1_x.sql' }), ['VALIDATE CONSTRAINT']);
  });

  it('names SHARE ROW EXCLUSIVE on both tables for a foreign key, matched by its default name, inside BEGIN', () => {
    const sql = `BEGIN;\nALTER TABLE events ADD FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID;\nALTER TABLE events VALIDATE CONSTRAINT events_account_id_fkey;\nCOMMIT;`;
    const f = findings(sql, RULE);
    assert.equal(f.length, 1);
    assert.match(f[0] ?? '', /between BEGIN and COMMIT.*SHARE ROW EXCLUSIVE on events and SHARE ROW EXCLUSIVE on accounts/);
  });

  it('flags the implicit transaction of a one-string runner (golang-migrate)', () => {
    assert.match(findings(`${ADD}\n${VALIDATE}`, RULE, { path: 'migrations/1_x.up.sql' })[0] ?? '', /one implicit transaction/);
  });

  it('does not flag statements that commit separately', () => {
    assert.deepEqual(findings(`${ADD}\n${VALIDATE}`, RULE), []);
    assert.deepEqual(findings(`BEGIN;\n${ADD}\nCOMMIT;\nBEGIN;\n${VALIDATE}\nCOMMIT;`, RULE), []);
    assert.deepEqual(findings(`-- +goose NO TRANSACTION\n-- +goose Up\n${ADD}\n${VALIDATE}\n`, RULE, { path: 'migrations/00001_x.sql' }), []);
  });

  it('does not flag a VALIDATE of another constraint, a valid ADD, or a new table', () => {
    assert.deepEqual(findings(`BEGIN;\n${ADD}\nALTER TABLE events VALIDATE CONSTRAINT other;\nCOMMIT;`, RULE), []);
    assert.deepEqual(findings(`BEGIN;\nALTER TABLE events ADD CONSTRAINT c CHECK (amount >= 0);\n${VALIDATE}\nCOMMIT;`, RULE), []);
    assert.deepEqual(
      findings('BEGIN;\nCREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID;\nALTER TABLE t VALIDATE CONSTRAINT c;\nCOMMIT;', RULE),
      [],
    );
  });
});
