import assert from 'node:assert/strict';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-long-identifier';
const LONG = 'number_of_notification_emails_sent_to_the_owner_during_the_last_month'; // 69 bytes
const CUT = LONG.slice(0, 63);

describe(RULE, () => {
  it('flags a column name over 63 bytes, measured in the source text, and underlines it', () => {
    const sql = `ALTER TABLE accounts ADD COLUMN ${LONG} integer;`;
    assert.deepEqual(findings(sql, RULE), [
      `1:33 ${RULE} warning: The column name ${LONG} is 69 bytes long; PostgreSQL keeps only the first 63 bytes and silently uses "${CUT}". ` +
        `Code, tools and later migrations that use the full name find nothing, and two long names sharing those 63 bytes collide.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), [LONG]);
  });

  it('counts UTF-8 bytes, not characters', () => {
    const name = 'é'.repeat(32); // 32 characters, 64 bytes
    assert.match(findings(`CREATE TABLE "${name}" (id int);`, RULE)[0] ?? '', /The table name é+ is 64 bytes long/);
    assert.deepEqual(findings(`CREATE TABLE "${'é'.repeat(31)}" (id int);`, RULE), []);
  });

  it('finds names without a parse-tree location (index, constraint, trigger, schema, rename)', () => {
    const sql = [
      `CREATE INDEX ${LONG}_idx ON events (kind);`,
      `ALTER TABLE events ADD CONSTRAINT "${LONG}_Check" CHECK (amount > 0) NOT VALID;`,
      `CREATE TRIGGER ${LONG} BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION noop_trigger();`,
      `CREATE SCHEMA ${LONG};`,
      `ALTER TABLE audit_log RENAME TO ${LONG};`,
    ].join('\n');
    assert.deepEqual(underlined(sql, RULE), [`${LONG}_idx`, `"${LONG}_Check"`, LONG, LONG, LONG]);
  });

  it('does not flag names of 63 bytes or less, or long names only referenced', () => {
    assert.deepEqual(findings(`CREATE TABLE ${CUT} (id int);`, RULE), []);
    assert.deepEqual(findings(`SELECT ${LONG} FROM accounts;`, RULE), []);
  });
});
