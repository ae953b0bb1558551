import assert from 'node:assert/strict';
import { findings, lint, underlined } from '../test/helpers';

const RULE = 'require-concurrent-materialized-view-refresh';

describe(RULE, () => {
  it('flags a plain refresh of an existing materialized view', () => {
    const sql = 'REFRESH MATERIALIZED VIEW events_daily;';
    assert.deepEqual(findings(sql, RULE), [
      `1:1 ${RULE} warning: REFRESH MATERIALIZED VIEW events_daily runs its whole query again while holding ACCESS EXCLUSIVE on events_daily: it blocks reads and writes, so every query reading events_daily waits until the recomputation ends.`,
    ]);
    assert.deepEqual(underlined(sql, RULE), ['REFRESH MATERIALIZED VIEW']);
    assert.match(
      lint(sql).findings.find((f) => f.rule === RULE)?.help ?? '',
      /^Use `REFRESH MATERIALIZED VIEW CONCURRENTLY events_daily` \(EXCLUSIVE: reads continue/,
    );
  });

  it('does not flag CONCURRENTLY, WITH NO DATA, or a view created in this migration', () => {
    assert.deepEqual(findings('REFRESH MATERIALIZED VIEW CONCURRENTLY events_daily;', RULE), []);
    assert.deepEqual(findings('REFRESH MATERIALIZED VIEW events_daily WITH NO DATA;', RULE), []);
    assert.deepEqual(findings('CREATE MATERIALIZED VIEW v AS SELECT 1 AS a;\nREFRESH MATERIALIZED VIEW v;', RULE), []);
  });
});
