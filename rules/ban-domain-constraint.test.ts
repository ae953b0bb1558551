import assert from 'node:assert/strict';
import { buildBaseline, type SchemaModel } from '../server/src/engine';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'ban-domain-constraint';
const schema = (): SchemaModel =>
  buildBaseline([
    {
      path: 'db/migrations/1_a.sql',
      text: 'CREATE DOMAIN email_address AS text;\nCREATE TABLE users (id int, email email_address);\nCREATE TABLE leads (id int, contact email_address);',
    },
  ]);
let baseline: SchemaModel;

describe(RULE, () => {
  before(() => {
    baseline = schema();
  });

  it('flags a validated ADD CONSTRAINT, naming the tables and lock the engine claims', () => {
    const sql = "ALTER DOMAIN email_address ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%');";
    assert.deepEqual(findings(sql, RULE, { baseline }), [
      `1:28 ${RULE} warning: ALTER DOMAIN email_address ADD CONSTRAINT has_at checks the existing values of every column using the domain. ` +
        `It reads every row of users, leads while holding SHARE on each of them: INSERT, UPDATE and DELETE there wait until the check of every table is done (reads continue). ` +
        `NOT VALID followed by VALIDATE does not help here: the domain VALIDATE blocks writes for the same scan.`,
    ]);
    assert.deepEqual(underlined(sql, RULE, { baseline }), ['ADD CONSTRAINT']);
    assert.match(
      lint(sql, { baseline }).findings.find((f) => f.rule === RULE)?.help ?? '',
      /ALTER TABLE users ADD CONSTRAINT users_email_check CHECK \(<condition on email>\) NOT VALID/,
    );
  });

  it('without a schema model it still flags, without naming tables', () => {
    assert.match(findings("ALTER DOMAIN email_address ADD CHECK (VALUE <> '');", RULE)[0] ?? '', /every table with a column of type email_address/);
  });

  it('does not flag NOT VALID, but flags the VALIDATE that follows', () => {
    const sql = "ALTER DOMAIN email_address ADD CONSTRAINT has_at CHECK (VALUE LIKE '%@%') NOT VALID;\nALTER DOMAIN email_address VALIDATE CONSTRAINT has_at;";
    const out = findings(sql, RULE, { baseline });
    assert.equal(out.length, 1);
    assert.match(out[0] ?? '', /^2:28 .*VALIDATE CONSTRAINT has_at .*SHARE.*does not let writes continue/);
    assert.deepEqual(underlined(sql, RULE, { baseline }), ['VALIDATE CONSTRAINT']);
  });

  it('flags SET NOT NULL on a domain', () => {
    assert.match(findings('ALTER DOMAIN email_address SET NOT NULL;', RULE)[0] ?? '', /SET NOT NULL checks the existing values/);
  });

  it('does not flag a domain created earlier in the migration, or CREATE DOMAIN … CHECK', () => {
    assert.deepEqual(findings("CREATE DOMAIN sku AS text CHECK (VALUE <> '');\nALTER DOMAIN sku ADD CONSTRAINT short CHECK (length(VALUE) < 9);", RULE), []);
  });

  it('follows configured table sizes', () => {
    const big = findings("ALTER DOMAIN email_address ADD CHECK (VALUE <> '');", RULE, { baseline, config: { tables: { users: { rows: 5_000_000 } } } });
    assert.match(big[0] ?? '', / error: .*users \(users: ~5M rows per pg-migration-guard\.json\)/);
    const small = findings("ALTER DOMAIN email_address ADD CHECK (VALUE <> '');", RULE, {
      baseline,
      config: { tables: { users: { rows: 10 }, leads: { rows: 10 } } },
    });
    assert.match(small[0] ?? '', / info: /);
  });
});
