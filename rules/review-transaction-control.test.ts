import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'review-transaction-control';
const DBMATE = 'db/migrations/20250101000000_x.sql';
const ADD = 'ALTER TABLE events ADD COLUMN source text;';

describe(RULE, () => {
  it("flags BEGIN … COMMIT inside dbmate's transaction once, on the BEGIN", () => {
    const sql = `-- migrate:up\nBEGIN;\n${ADD}\nCOMMIT;`;
    assert.deepEqual(findings(sql, RULE, { path: DBMATE }), [
      `2:1 ${RULE} warning: BEGIN inside the runner's transaction: dbmate wraps the section in a transaction (no \`transaction:false\` on its directive). ` +
        'Postgres ignores it with WARNING "there is already a transaction in progress", and the COMMIT at line 4 commits dbmate\'s transaction early: ' +
        "the statements after it and dbmate's own ledger write then run outside that transaction, so a failure after this point leaves a half-applied migration that cannot simply be retried.",
    ]);
    assert.deepEqual(underlined(sql, RULE, { path: DBMATE }), ['BEGIN']);
  });

  it('ROLLBACK ending the runner transaction is an error; a lone BEGIN there is info', () => {
    assert.match(
      findings(`-- migrate:up\nBEGIN;\n${ADD}\nROLLBACK;`, RULE, { path: DBMATE })[0] ?? '',
      /^2:1 \S+ error: .*ROLLBACK at line 4 discards everything/,
    );
    assert.match(findings(`-- migrate:up\nBEGIN;\n${ADD}`, RULE, { path: DBMATE })[0] ?? '', /^2:1 \S+ info: .*it has no effect/);
    assert.match(
      findings(`-- migrate:up\n${ADD}\nCOMMIT;`, RULE, { path: DBMATE })[0] ?? '',
      /^3:1 .*COMMIT inside the runner's transaction.*commits dbmate's transaction early/,
    );
  });

  it('the same file is fine when the runner does not wrap it', () => {
    assert.deepEqual(findings(`-- migrate:up transaction:false\nBEGIN;\n${ADD}\nCOMMIT;`, RULE, { path: DBMATE }), []);
    assert.deepEqual(findings(`BEGIN;\n${ADD}\nCOMMIT;`, RULE), []);
  });

  it('flags a nested BEGIN once (not the extra COMMIT)', () => {
    const f = findings(`BEGIN;\n${ADD}\nBEGIN;\nCOMMIT;\nCOMMIT;`, RULE);
    assert.equal(f.length, 1);
    assert.match(f[0] ?? '', /^3:1 \S+ warning: BEGIN while the transaction opened by BEGIN at line 1 is still open/);
  });

  it('flags BEGIN without COMMIT (error for psql files) and COMMIT without BEGIN', () => {
    assert.match(findings(`BEGIN;\n${ADD}`, RULE)[0] ?? '', /^1:1 \S+ error: BEGIN is never committed.*rolls back everything after line 1/);
    assert.match(
      findings(`START TRANSACTION;\n${ADD}`, RULE, { path: 'migrations/1_x.up.sql' })[0] ?? '',
      /^1:1 \S+ warning: START TRANSACTION is never committed in this section/,
    );
    assert.match(findings(`${ADD}\nCOMMIT;`, RULE)[0] ?? '', /^2:1 .*COMMIT without a matching BEGIN: no transaction is open here/);
    // golang-migrate sends the file as one string: the COMMIT splits its implicit transaction.
    assert.match(
      findings(`${ADD}\nCOMMIT;\n${ADD}`, RULE, { path: 'migrations/1_x.up.sql' })[0] ?? '',
      /commits the implicit transaction of the statements sent before it/,
    );
  });
});
