import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'prefer-timestamptz';

describe(RULE, () => {
  it('flags timestamp without time zone and underlines the written type', () => {
    const sql = 'CREATE TABLE shipments (id bigint PRIMARY KEY, shipped_at timestamp NOT NULL);';
    assert.deepEqual(findings(sql, RULE), [
      `1:59 ${RULE} info: shipments.shipped_at is timestamp without time zone: values keep no offset, so the same instant written from sessions with different TimeZone settings is stored differently, and comparisons with now() depend on the reading session. Switching to timestamptz later rewrites the table unless the server runs in UTC.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['timestamp']);
    assert.deepEqual(underlined('ALTER TABLE events ADD COLUMN processed_at timestamp(3) without time zone;', RULE), ['timestamp(3) without time zone']);
  });

  it('keeps the precision in the suggested type', () => {
    const help = lint('ALTER TABLE events ADD COLUMN processed_at timestamp(3);').findings.find((f) => f.rule === RULE)?.help ?? '';
    assert.match(help, /^Declare it timestamptz\(3\);/);
  });

  it('stays quiet for timestamptz, timestamp with time zone, date and time', () => {
    assert.deepEqual(findings('CREATE TABLE t (a timestamptz, b timestamp with time zone, c date, d time);', RULE), []);
  });
});
