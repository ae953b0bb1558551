import assert from 'node:assert/strict';
import { applyFix, findingsAfter, fixFor, fixesFor } from '../test/fix-helpers';
import { findings, lint, underlined } from '../test/helpers';
import { buildBaseline, type SchemaModel } from '../server/src/engine';

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

describe('require-concurrent-materialized-view-refresh with earlier migrations', () => {
  const history = (withIndex: boolean): SchemaModel =>
    buildBaseline([
      {
        path: 'm/1.sql',
        text: `CREATE TABLE events (id int, created_at timestamptz);\nCREATE MATERIALIZED VIEW events_daily AS SELECT date_trunc('day', created_at) AS day, count(*) AS n FROM events GROUP BY 1;\n${withIndex ? 'CREATE UNIQUE INDEX events_daily_day_idx ON events_daily (day);' : ''}`,
      },
    ]);

  it('reports CONCURRENTLY as failing when the migrations seen create no unique index on the view', () => {
    const f = lint('REFRESH MATERIALIZED VIEW CONCURRENTLY events_daily;', { path: 'm/2.sql', baseline: history(false) }).findings.filter(
      (x) => x.rule === 'require-concurrent-materialized-view-refresh',
    );
    assert.equal(f.length, 1);
    assert.equal(f[0]?.severity, 'error');
    assert.match(f[0]?.message ?? '', /fails: the migrations seen create no unique index on events_daily/);
  });

  it('accepts CONCURRENTLY with a unique index, and says the view already has one when the refresh is blocking', () => {
    assert.deepEqual(
      lint('REFRESH MATERIALIZED VIEW CONCURRENTLY events_daily;', { path: 'm/2.sql', baseline: history(true) }).findings.filter(
        (x) => x.rule === 'require-concurrent-materialized-view-refresh',
      ),
      [],
    );
    const help =
      lint('REFRESH MATERIALIZED VIEW events_daily;', { path: 'm/2.sql', baseline: history(true) }).findings.find(
        (x) => x.rule === 'require-concurrent-materialized-view-refresh',
      )?.help ?? '';
    assert.match(help, /already has a unique index/);
  });
});

describe(`${RULE}: fix`, () => {
  const withKey = (): SchemaModel =>
    buildBaseline([
      {
        path: 'db/migrations/20240101000000_mv.sql',
        text:
          '-- migrate:up\nCREATE MATERIALIZED VIEW events_daily AS SELECT 1 AS day;\nCREATE UNIQUE INDEX events_daily_day_key ON events_daily (day);\n' +
          'CREATE MATERIALIZED VIEW events_hourly AS SELECT 1 AS hour;\nCREATE UNIQUE INDEX events_hourly_expr_key ON events_hourly ((hour + 1));\n-- migrate:down\n',
      },
    ]);

  it('adds CONCURRENTLY in place, in the runner transaction, when a unique index on plain columns is known (dbmate, CRLF)', () => {
    const c = { path: 'db/migrations/20250101000000_refresh.sql', baseline: withKey() };
    const sql = '-- migrate:up\r\nSELECT 1;\r\n  REFRESH MATERIALIZED VIEW events_daily;\r\n-- migrate:down\r\n';
    const fix = fixFor(RULE, sql, c);
    assert.equal(fix.title, 'Refresh events_daily concurrently (reads continue during the refresh)');
    const applied = applyFix(sql, fix);
    assert.equal(applied.text, '-- migrate:up\r\nSELECT 1;\r\n  REFRESH MATERIALIZED VIEW CONCURRENTLY events_daily;\r\n-- migrate:down\r\n');
    assert.deepEqual(findingsAfter(applied, c, [RULE, 'ban-concurrently-in-transaction']), []);
  });

  it('goose and golang-migrate: the same in-place edit', () => {
    for (const [path, sql] of [
      ['migrations/00002_refresh.sql', '-- +goose Up\nREFRESH MATERIALIZED VIEW events_daily;\n'],
      ['migrations/000002_refresh.up.sql', 'SELECT 1;\nREFRESH MATERIALIZED VIEW events_daily;\n'],
    ] as const) {
      const c = { path, baseline: withKey() };
      const applied = applyFix(sql, fixFor(RULE, sql, c));
      assert.equal(applied.text, sql.replace('VIEW events_daily', 'VIEW CONCURRENTLY events_daily'));
      assert.deepEqual(findingsAfter(applied, c, [RULE]), []);
    }
  });

  it('a unique index created earlier in the file counts; an expression index, an unknown view or WITH NO DATA do not', () => {
    const c = { path: 'db/schema/x.sql', baseline: withKey() };
    assert.equal(
      fixesFor(RULE, 'CREATE UNIQUE INDEX CONCURRENTLY v_key ON v (id);\nREFRESH MATERIALIZED VIEW v;', {
        path: 'db/schema/x.sql',
        baseline: buildBaseline([{ path: 'a.sql', text: 'CREATE MATERIALIZED VIEW v AS SELECT 1 AS id;' }]),
      }).length,
      1,
    );
    assert.deepEqual(fixesFor(RULE, 'REFRESH MATERIALIZED VIEW events_hourly;', c), []);
    assert.deepEqual(fixesFor(RULE, 'REFRESH MATERIALIZED VIEW unknown_view;', c), []);
    assert.deepEqual(fixesFor(RULE, 'REFRESH MATERIALIZED VIEW events_daily WITH NO DATA;', c), []);
  });
});
