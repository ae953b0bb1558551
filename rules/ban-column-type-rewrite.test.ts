import assert from 'node:assert/strict';
import { allRules } from '.';
import { analyze, buildBaseline, defaultConfig, mergeConfig } from '../server/src/engine';
import { findings, underlined } from '../test/helpers';

const RULE = 'ban-column-type-rewrite';
const EARLIER = [
  { path: 'db/migrations/001_init.sql', text: 'CREATE TABLE events (id bigint PRIMARY KEY, amount integer, status varchar(20), total numeric(10,2));' },
];

function withBaseline(sql: string): string[] {
  const a = analyze(sql, { path: 'db/migrations/002_x.sql', config: mergeConfig(defaultConfig(), {}), rules: allRules, baseline: buildBaseline(EARLIER) });
  return a.findings.filter((f) => f.rule === RULE).map((f) => f.message);
}

describe(RULE, () => {
  it('flags a rewriting type change with from → to and the engine reason', () => {
    assert.deepEqual(withBaseline('ALTER TABLE events ALTER COLUMN amount TYPE bigint;'), [
      'Changing events.amount from int4 to int8 rewrites events under ACCESS EXCLUSIVE: int4 → int8 is not binary-coercible. Every row is converted and every index on events rebuilt while the lock blocks reads and writes.',
    ]);
  });

  it('stays quiet for binary-coercible changes when the old type is known', () => {
    assert.deepEqual(withBaseline('ALTER TABLE events ALTER COLUMN status TYPE varchar(50);'), []);
    assert.deepEqual(withBaseline('ALTER TABLE events ALTER COLUMN status TYPE text;'), []);
    assert.deepEqual(withBaseline('ALTER TABLE events ALTER COLUMN total TYPE numeric(12,2);'), []);
  });

  it('flags narrowing and USING expressions', () => {
    assert.match(withBaseline('ALTER TABLE events ALTER COLUMN status TYPE varchar(10);')[0] ?? '', /from varchar\(20\) to varchar\(10\) rewrites/);
    assert.match(
      withBaseline('ALTER TABLE events ALTER COLUMN status TYPE varchar(50) USING upper(status);')[0] ?? '',
      /the USING expression computes a new value for every row/,
    );
  });

  it('assumes a rewrite when the old type is unknown, and says so', () => {
    const sql = 'ALTER TABLE events ALTER COLUMN amount TYPE bigint;';
    assert.deepEqual(findings(sql, RULE), [
      `1:33 ${RULE} warning: Changing events.amount to int8 is assumed to rewrite events under ACCESS EXCLUSIVE: the column’s current type is unknown (not created in the migrations seen), so a rewrite is assumed. Every row is converted and every index on events rebuilt while the lock blocks reads and writes. If the change only widens a varchar or numeric limit it is catalog-only; lint this file together with the migrations that created events so the old type is known.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['amount TYPE bigint']);
  });

  it('underlines each changed column in a multi-command statement', () => {
    const sql = 'ALTER TABLE events ALTER COLUMN amount TYPE bigint, ALTER COLUMN status SET DATA TYPE varchar(5);';
    assert.deepEqual(underlined(sql, RULE), ['amount TYPE bigint', 'status SET DATA TYPE varchar(5)']);
  });

  it('stays quiet for a table created in the same migration', () => {
    assert.deepEqual(findings('CREATE TABLE payouts (id bigint, amount integer);\nALTER TABLE payouts ALTER COLUMN amount TYPE bigint;', RULE), []);
  });
});
