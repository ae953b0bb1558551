import assert from 'node:assert/strict';
import { allRules } from '.';
import { analyze, applyEdits, buildBaseline, defaultConfig, mergeConfig } from '../server/src/engine';
import { assertOnlyStatementChanged, createdMigrations, createdScript, folderFixesFor, folderFixFor, relint } from '../test/fix-helpers';
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

describe(`${RULE}: fix (expand/contract)`, () => {
  const history = [
    {
      path: 'migrations/000001_init.up.sql',
      text:
        'CREATE TABLE events (id bigint PRIMARY KEY, amount integer NOT NULL, qty int, account_id bigint REFERENCES accounts (id));\n' +
        'CREATE INDEX events_amount_idx ON events (amount);\nCREATE TABLE refunds (id bigint PRIMARY KEY, event_id bigint REFERENCES events (id));\n',
    },
  ];
  const SYNC =
    'CREATE OR REPLACE FUNCTION events_amount_new_sync() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.amount_new := NEW.amount;\n  RETURN NEW;\nEND\n$fn$;\n' +
    'CREATE TRIGGER events_amount_new_sync\nBEFORE INSERT OR UPDATE OF amount ON events\nFOR EACH ROW EXECUTE FUNCTION events_amount_new_sync();';
  const ALTER = 'ALTER TABLE events ALTER COLUMN amount TYPE bigint;';

  it('golang-migrate: new column + sync trigger now, backfill script, swap migration with a guard, then drop', () => {
    const c = { path: 'migrations/000002_amount.up.sql', sql: `${ALTER}\n`, history };
    const fix = folderFixFor(RULE, c);
    assert.equal(fix.safety, 'review');
    assert.equal(
      fix.title,
      'Change amount to bigint by expand/contract: amount_new synced by trigger now, backfill with backfills/events_amount_new.sql, swap in 000003_swap_events_amount.up.sql, drop amount_old in 000004_drop_events_amount_old.up.sql',
    );
    assert.equal(applyEdits(c.sql, fix.steps), `ALTER TABLE events ADD COLUMN amount_new bigint;\n${SYNC}\n`);
    assert.equal(createdScript(fix)?.path, 'backfills/events_amount_new.sql');
    assert.match(
      createdScript(fix)?.content ?? '',
      /\n {4}UPDATE events SET amount_new = amount\n {5}WHERE id BETWEEN backfill_from AND backfill_to\n {7}AND amount_new IS NULL AND amount IS NOT NULL;\n/,
    );
    assert.deepEqual(
      createdMigrations(fix).map((m) => [m.path, m.content]),
      [
        [
          'migrations/000003_swap_events_amount.up.sql',
          '-- Swap events.amount for amount_new (bigint), filled by the sync trigger and backfills/events_amount_new.sql.\n' +
            '-- Only the column moves. Re-create on amount_new before this migration whatever amount has:\n' +
            '--   type before the change: int4\n' +
            '--   NOT NULL (the new column is nullable: add it with a validated CHECK before the swap)\n' +
            '--   index events_amount_idx (amount)\n' +
            '--   foreign key refunds_event_id_fkey from refunds (event_id) may reference it\n' +
            '-- Never known here: defaults, CHECK constraints, views, other triggers, policies, statistics, grants, comments.\n' +
            'DO $guard$\nBEGIN\n  IF EXISTS (SELECT 1 FROM events WHERE amount_new IS NULL AND amount IS NOT NULL) THEN\n' +
            "    RAISE EXCEPTION 'events.amount_new is not filled yet: run backfills/events_amount_new.sql first, then this migration again';\n" +
            '  END IF;\nEND\n$guard$;\n' +
            'ALTER TABLE events RENAME COLUMN amount TO amount_old;\nALTER TABLE events RENAME COLUMN amount_new TO amount;\n' +
            'DROP TRIGGER IF EXISTS events_amount_new_sync ON events;\nDROP FUNCTION IF EXISTS events_amount_new_sync();\n',
        ],
        [
          'migrations/000003_swap_events_amount.down.sql',
          `ALTER TABLE events RENAME COLUMN amount TO amount_new;\nALTER TABLE events RENAME COLUMN amount_old TO amount;\n${SYNC}\n`,
        ],
        ['migrations/000004_drop_events_amount_old.up.sql', 'ALTER TABLE events DROP COLUMN amount_old;\n'],
        ['migrations/000004_drop_events_amount_old.down.sql', '-- amount_old and its values are gone: restore them from a backup to undo this.\n'],
      ],
    );
    assert.deepEqual(
      relint(RULE, c, fix).flatMap((f) => f.findings),
      [],
      'no file left that rewrites events',
    );
  });

  it('dbmate: the edit replaces only the statement; the swap and drop are dbmate migrations', () => {
    const sql = `-- migrate:up\nSELECT 1;\n${ALTER}\n\n-- migrate:down\nALTER TABLE events ALTER COLUMN amount TYPE integer;\n`;
    const c = {
      path: 'db/migrations/20250501120000_amount.sql',
      sql,
      history: [{ ...history[0], path: 'db/migrations/20250101000000_init.sql', text: `-- migrate:up\n${history[0]?.text}` }],
    };
    const fix = folderFixFor(RULE, c);
    const out = applyEdits(sql, fix.steps);
    assert.equal(
      out,
      `-- migrate:up\nSELECT 1;\nALTER TABLE events ADD COLUMN amount_new bigint;\n${SYNC}\n\n-- migrate:down\nALTER TABLE events ALTER COLUMN amount TYPE integer;\n`,
    );
    assertOnlyStatementChanged(sql, out, ALTER);
    assert.equal(createdScript(fix)?.path, 'db/backfills/events_amount_new.sql');
    const [swap, drop] = createdMigrations(fix);
    assert.equal(swap?.path, 'db/migrations/20250501120001_swap_events_amount.sql');
    assert.match(swap?.content ?? '', /^-- migrate:up\n-- Swap events\.amount for amount_new \(bigint\)/);
    assert.match(swap?.content ?? '', /\n\n-- migrate:down\nALTER TABLE events RENAME COLUMN amount TO amount_new;\n/);
    assert.equal(
      drop?.content,
      '-- migrate:up\nALTER TABLE events DROP COLUMN amount_old;\n\n-- migrate:down\n-- amount_old and its values are gone: restore them from a backup to undo this.\n',
    );
  });

  it('goose: the trigger function and the guard are single statements for goose; a USING expression is carried into trigger, backfill and guard', () => {
    const alter = "ALTER TABLE events ALTER COLUMN amount TYPE text USING amount::text || '/' || coalesce(qty, 0);";
    const c = { path: 'migrations/00002_amount.sql', sql: `-- +goose Up\n${alter}\n-- +goose Down\nSELECT 1;\n`, history };
    const fix = folderFixFor(RULE, c);
    assert.equal(
      applyEdits(c.sql, fix.steps),
      '-- +goose Up\nALTER TABLE events ADD COLUMN amount_new text;\n-- +goose StatementBegin\n' +
        "CREATE OR REPLACE FUNCTION events_amount_new_sync() RETURNS trigger\nLANGUAGE plpgsql AS $fn$\nBEGIN\n  NEW.amount_new := NEW.amount::text || '/' || coalesce(NEW.qty, 0);\n  RETURN NEW;\nEND\n$fn$;\n" +
        '-- +goose StatementEnd\nCREATE TRIGGER events_amount_new_sync\nBEFORE INSERT OR UPDATE OF amount, qty ON events\nFOR EACH ROW EXECUTE FUNCTION events_amount_new_sync();\n' +
        '-- +goose Down\nSELECT 1;\n',
    );
    assert.match(createdScript(fix)?.content ?? '', /UPDATE events SET amount_new = amount::text \|\| '\/' \|\| coalesce\(qty, 0\)\n/);
    const [swap] = createdMigrations(fix);
    assert.match(
      swap?.content ?? '',
      /-- \+goose StatementBegin\nDO \$guard\$\nBEGIN\n {2}IF EXISTS \(SELECT 1 FROM events WHERE amount_new IS NULL AND \(amount::text \|\| '\/' \|\| coalesce\(qty, 0\)\) IS NOT NULL\) THEN\n/,
    );
    assert.deepEqual(
      relint(RULE, c, fix).flatMap((f) => f.findings),
      [],
    );
  });

  it('keeps CRLF in the edit and in every created file', () => {
    const sql = `${ALTER}\r\n-- trailing\r\n`;
    const c = { path: 'migrations/000002_amount.up.sql', sql, history };
    const fix = folderFixFor(RULE, c);
    const out = applyEdits(sql, fix.steps);
    assertOnlyStatementChanged(sql, out, ALTER);
    for (const text of [out, ...fix.steps.flatMap((s) => (s.kind === 'create' ? [s.content] : []))]) assert.doesNotMatch(text.replace(/\r\n/g, ''), /\n/);
  });

  it('no fix in a down section, with several subcommands, or where no later migration can be placed', () => {
    assert.deepEqual(
      folderFixesFor(RULE, {
        path: 'migrations/000002_amount.up.sql',
        sql: 'ALTER TABLE events ALTER COLUMN amount TYPE bigint, ALTER COLUMN qty TYPE bigint;',
        history,
      }),
      [],
    );
    assert.deepEqual(folderFixesFor(RULE, { path: 'db/schema/x.sql', sql: ALTER, history }), []);
    assert.deepEqual(folderFixesFor(RULE, { path: 'migrations/00002_amount.sql', sql: `-- +goose Up\nSELECT 1;\n-- +goose Down\n${ALTER}\n`, history }), []);
  });
});
