import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-text-over-varchar';

describe(RULE, () => {
  it('flags varchar(n) and suggests text with a CHECK', () => {
    const sql = 'CREATE TABLE coupons (id bigint PRIMARY KEY, code varchar(12) NOT NULL);';
    assert.deepEqual(findings(sql, RULE), [
      `1:51 ${RULE} info: coupons.code is varchar(12): raising the limit later is catalog-only but needs the strongest table lock, so it queues behind running queries and blocks all reads and writes meanwhile (lowering it rewrites the table); a CHECK constraint on text can be replaced with NOT VALID and validated without blocking.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['varchar(12)']);
    assert.match(lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '', /text with CHECK \(char_length\(code\) <= 12\)/);
  });

  it('flags char(n), character varying(n) and bare char (= char(1))', () => {
    assert.deepEqual(findings('ALTER TABLE accounts ADD COLUMN country char(2);', RULE), [
      `1:41 ${RULE} info: accounts.country is char(2): values are blank-padded to 2 characters (trailing spaces are ignored in comparisons but returned to clients), and changing the length later rewrites the whole table while all reads and writes on it wait.`,
    ]);
    assert.deepEqual(underlined('CREATE TABLE t (a character varying(40), b char);', RULE), ['character varying(40)', 'char']);
  });

  it('stays quiet for text and unbounded varchar', () => {
    assert.deepEqual(findings('CREATE TABLE t (a text, b varchar, c character varying);', RULE), []);
  });
});
