/**
 * The checklist's data (engine checklist/), the header cost comment, durations, the dependency of
 * the next migration, and the validation of messages from the checklist page.
 */
import assert from 'node:assert/strict';
import {
  checklistData,
  costCommentEdit,
  costCommentText,
  createdObjects,
  findCostComment,
  isCostMeasurement,
  parseDurationMs,
  recoverySnippet,
  referencesTo,
} from '../../server/src/engine';
import { ChecklistStateStore } from '../../client/src/checklist/checklist-state';
import { isPageMessage, sanitizeState } from '../../client/src/checklist/page-messages';
import { lint } from '../helpers';

// Threshold 125k: lint/helpers formatRows currently prints round numbers such as 100000 as "1k" (reported).
const EVENTS = { largeTableRows: 125_000, tables: { events: { rows: 1_150_000 }, accounts: { rows: 3_000 } } };

describe('checklist data (engine)', () => {
  it('dbmate: runner, transaction, eligibility, touched tables, timeout set in the file, cost comment, recovery snippet', () => {
    const text = [
      '-- cost: 38 s measured on 1.15M rows, 2026-11-21',
      '-- migrate:up',
      "SET statement_timeout = '5min';",
      "ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', title)) STORED;",
      'ALTER TABLE accounts ADD COLUMN note text;',
      '',
      '-- migrate:down',
      'ALTER TABLE events DROP COLUMN search_vector;',
      '',
    ].join('\n');
    const analysis = lint(text, { path: 'db/migrations/20251104093000_add_search.sql', config: EVENTS });
    const data = checklistData(analysis, { uri: 'file:///x/db/migrations/20251104093000_add_search.sql' });

    assert.equal(data.fileName, '20251104093000_add_search.sql');
    assert.deepEqual([data.runner.id, data.runner.version], ['dbmate', '20251104093000']);
    assert.equal(data.transaction.mode, 'transactional');
    assert.equal(data.transaction.summary, "All 3 statements run in dbmate's transaction.");
    assert.equal(data.eligibility.eligible, true);
    assert.deepEqual(data.eligibility.reasons, ['line 4 rewrites events (~1.15M rows, threshold 125k)']);
    assert.deepEqual(data.eligibility.unknownSizes, []);
    assert.deepEqual(data.concurrently, []);

    // Strongest lock first; known rows and the threshold flag per table.
    assert.deepEqual(
      data.tables.map((t) => [t.name, t.lock, t.rewrite, t.rows, t.large]),
      [
        ['events', 'ACCESS EXCLUSIVE', true, 1_150_000, true],
        ['accounts', 'ACCESS EXCLUSIVE', false, 3_000, false],
      ],
    );
    // Down-section statements are not part of the checklist; SET has no effects.
    assert.deepEqual(
      data.statements.map((s) => [s.line, s.excerpt.slice(0, 40), s.transaction, s.cost]),
      [
        [4, 'ALTER TABLE events ADD COLUMN search_vec', 'runner', 'rewrite'],
        [5, 'ALTER TABLE accounts ADD COLUMN note tex', 'runner', 'catalog'],
      ],
    );

    assert.deepEqual(data.statementTimeout, { setting: '60s', ms: 60_000, inFile: { line: 3, value: '5min', ms: 300_000 } });
    assert.deepEqual(data.costComment, { line: 1, text: '-- cost: 38 s measured on 1.15M rows, 2026-11-21', seconds: 38, rows: 1_150_000, date: '2026-11-21' });
    const snippet = recoverySnippet(analysis);
    assert.deepEqual(data.recovery, { text: snippet.text, mode: 'transactional', warnings: snippet.warnings });
    assert.match(data.recovery.text, /INSERT INTO schema_migrations \(version\) VALUES \('20251104093000'\);/);
    assert.equal(data.nextMigration, undefined);
  });

  it('goose NO TRANSACTION with CREATE INDEX CONCURRENTLY: non-transactional, the CONCURRENTLY statement, unknown sizes', () => {
    const text =
      '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);\nCREATE INDEX CONCURRENTLY orders_day_idx ON orders (day);\n';
    const data = checklistData(lint(text, { path: 'migrations/00042_idx.sql', config: EVENTS }), { uri: 'file:///m/00042_idx.sql', statementTimeout: '0' });
    assert.equal(data.runner.id, 'goose');
    assert.equal(data.transaction.mode, 'non-transactional');
    assert.equal(data.transaction.summary, 'All 2 statements run on their own, each committing by itself.');
    assert.deepEqual(data.concurrently, [
      { line: 3, excerpt: 'CREATE INDEX CONCURRENTLY events_kind_idx ON events (kind);' },
      { line: 4, excerpt: 'CREATE INDEX CONCURRENTLY orders_day_idx ON orders (day);' },
    ]);
    assert.equal(data.eligibility.eligible, true);
    assert.deepEqual(data.eligibility.reasons, ['line 3 builds an index on events (~1.15M rows, threshold 125k)']);
    assert.deepEqual(data.eligibility.unknownSizes, ['orders']);
    assert.equal(data.tables.find((t) => t.name === 'events')?.lock, 'SHARE UPDATE EXCLUSIVE');
    // statement_timeout 0 = no timeout.
    assert.deepEqual(data.statementTimeout, { setting: '0', ms: null });
  });

  it('a table created in the same migration is new: not eligible, flagged in the touched tables', () => {
    const text = '-- migrate:up\nCREATE TABLE invoices (id bigint PRIMARY KEY, total numeric);\nCREATE INDEX invoices_total_idx ON invoices (total);\n';
    const data = checklistData(lint(text, { path: 'db/migrations/20250101000000_invoices.sql', config: { tables: { invoices: { rows: 5_000_000 } } } }), {
      uri: 'file:///db/migrations/20250101000000_invoices.sql',
    });
    assert.equal(data.eligibility.eligible, false);
    assert.deepEqual(data.eligibility.reasons, []);
    assert.deepEqual(
      data.tables.map((t) => [t.name, t.createdInFile, t.large]),
      [['invoices', true, false]],
    );
  });

  it('the next migration: which objects of this one it uses', () => {
    const current = lint(
      "-- migrate:up\nCREATE TABLE invoices (id bigint);\nALTER TABLE events ADD COLUMN archived_at timestamptz;\nCREATE INDEX events_kind_idx ON events (kind);\nALTER TABLE events ADD CONSTRAINT events_kind_check CHECK (kind <> '') NOT VALID;\n",
      { path: 'db/migrations/20250101000000_a.sql' },
    );
    const created = createdObjects(current.statements);
    assert.deepEqual(
      created.map((c) => c.label),
      ['table invoices', 'column events.archived_at', 'index events_kind_idx', 'constraint events_kind_check on events'],
    );
    const dependent = lint(
      "-- migrate:up\nUPDATE events SET archived_at = now() WHERE kind = 'old';\nALTER TABLE events VALIDATE CONSTRAINT events_kind_check;\nINSERT INTO invoices (id) VALUES (1);\n-- migrate:down\nDROP INDEX events_kind_idx;\n",
      { path: 'db/migrations/20250102000000_b.sql' },
    );
    assert.deepEqual(referencesTo(created, dependent.statements), ['table invoices', 'column events.archived_at', 'constraint events_kind_check on events']);
    // A column name alone (another table's `archived_at`), comments and the down section do not count.
    const unrelated = lint(
      '-- migrate:up\n-- invoices are next\nALTER TABLE accounts ADD COLUMN archived_at timestamptz;\n-- migrate:down\nDROP TABLE invoices;\n',
      {
        path: 'db/migrations/20250102000000_c.sql',
      },
    );
    assert.deepEqual(referencesTo(created, unrelated.statements), []);

    const data = checklistData(current, { uri: 'file:///a.sql', next: { fileName: '20250102000000_b.sql', statements: dependent.statements } });
    assert.deepEqual(data.nextMigration, {
      fileName: '20250102000000_b.sql',
      references: ['table invoices', 'column events.archived_at', 'constraint events_kind_check on events'],
    });
  });

  it('PostgreSQL durations', () => {
    const cases: Array<[string, number | undefined]> = [
      ['60s', 60_000],
      ['5min', 300_000],
      ['3000', 3_000],
      [' 1.5 s ', 1_500],
      ["'2h'", 7_200_000],
      ['250ms', 250],
      ['1d', 86_400_000],
      ['0', 0],
      ['10 parsecs', undefined],
      ['-5s', undefined],
      ['', undefined],
    ];
    for (const [input, ms] of cases) assert.equal(parseDurationMs(input), ms, input);
  });
});

describe('header cost comment', () => {
  const m = { seconds: 38.2, rows: 1_150_000, date: '2026-11-21' };

  it('is written in the documented form and parsed back', () => {
    assert.equal(costCommentText(m), '-- cost: 38 s measured on 1.15M rows, 2026-11-21');
    assert.equal(costCommentText({ seconds: 2.345, rows: 800, date: '2026-01-02' }), '-- cost: 2.35 s measured on 800 rows, 2026-01-02');
    const text = `${costCommentText(m)}\nALTER TABLE events ADD COLUMN x int;\n`;
    const a = lint(text);
    const found = findCostComment(a.comments, a.statements[0]?.start ?? 0);
    assert.deepEqual({ seconds: found?.seconds, rows: found?.rows, date: found?.date }, { seconds: 38, rows: 1_150_000, date: '2026-11-21' });
    const minutes = lint('-- cost: 4 min measured on 12k rows\nSELECT 1;\n');
    assert.equal(findCostComment(minutes.comments, minutes.statements[0]?.start ?? 0)?.seconds, 240);
  });

  it('is inserted as the first line (keeping CRLF and a BOM) or replaces the existing one; a cost comment after the first statement is not the header', () => {
    const plain = '-- migrate:up\nALTER TABLE events ADD COLUMN x int;\n';
    assert.deepEqual(costCommentEdit(plain, undefined, m), { start: 0, end: 0, newText: `${costCommentText(m)}\n` });
    assert.deepEqual(costCommentEdit('\uFEFF-- migrate:up\r\nSELECT 1;\r\n', undefined, m), { start: 1, end: 1, newText: `${costCommentText(m)}\r\n` });

    const old = '-- Adds x.\n-- cost: 12 s measured on 300k rows, 2025-01-01\n-- migrate:up\nALTER TABLE events ADD COLUMN x int;\n';
    const a = lint(old);
    const existing = findCostComment(a.comments, a.statements[0]?.start ?? 0);
    const edit = costCommentEdit(old, existing, m);
    assert.equal(
      old.slice(0, edit.start) + edit.newText + old.slice(edit.end),
      old.replace('-- cost: 12 s measured on 300k rows, 2025-01-01', costCommentText(m)),
    );

    const late = lint('ALTER TABLE events ADD COLUMN x int;\n-- cost: 1 s measured on 1 rows\n');
    assert.equal(findCostComment(late.comments, late.statements[0]?.start ?? 0), undefined);
  });

  it('rejects measurements that are not numbers or dates', () => {
    assert.equal(isCostMeasurement(m), true);
    assert.equal(isCostMeasurement({ ...m, seconds: Number.NaN }), false);
    assert.equal(isCostMeasurement({ ...m, rows: -1 }), false);
    assert.equal(isCostMeasurement({ ...m, date: '2026-02-30' }), false);
    assert.equal(isCostMeasurement({ ...m, date: '21/11/2026' }), false);
  });
});

describe('checklist page messages (extension side)', () => {
  it('accepts exactly the documented shapes', () => {
    const ok: unknown[] = [
      { type: 'ready' },
      { type: 'setChecked', item: 'recovery', checked: true },
      { type: 'setMeasured', seconds: 38, rows: null },
      { type: 'writeCostComment', seconds: 38, rows: 1_150_000 },
      { type: 'copyRecoverySnippet' },
      { type: 'insertRecoverySnippet' },
      { type: 'revealLine', line: 4 },
    ];
    for (const x of ok) assert.equal(isPageMessage(x), true, JSON.stringify(x));
    const bad: unknown[] = [
      null,
      'ready',
      [],
      { type: 'runShell', cmd: 'rm -rf /' },
      { type: 'ready', extra: 1 },
      { type: 'setChecked', item: '__proto__', checked: true },
      { type: 'setChecked', item: 'recovery', checked: 'yes' },
      { type: 'setMeasured', seconds: Number.NaN, rows: 1 },
      { type: 'setMeasured', seconds: -1, rows: 1 },
      { type: 'setMeasured', seconds: 1 },
      { type: 'writeCostComment', seconds: '38', rows: 1 },
      { type: 'writeCostComment', seconds: 1e12, rows: 1 },
      { type: 'revealLine', line: 0 },
      { type: 'revealLine', line: 2.5 },
    ];
    for (const x of bad) assert.equal(isPageMessage(x), false, JSON.stringify(x));
  });

  it('the per-file state survives a round trip through the store and drops what it does not know', async () => {
    const memento = new Map<string, unknown>();
    const store = new ChecklistStateStore({
      get: <T>(k: string) => memento.get(k) as T | undefined,
      update: async (k: string, v: unknown) => void memento.set(k, JSON.parse(JSON.stringify(v))),
    });
    await store.setChecked('file:///a.sql', 'recovery', true);
    await store.setMeasured('file:///a.sql', 38, 1_150_000);
    await store.setChecked('file:///a.sql', 'time', false);
    assert.deepEqual(store.get('file:///a.sql'), { checked: { recovery: true, time: false }, measuredSeconds: 38, measuredRows: 1_150_000 });
    assert.deepEqual(store.get('file:///b.sql'), { checked: {} });
    await store.setMeasured('file:///a.sql', null, 5);
    assert.deepEqual(store.get('file:///a.sql'), { checked: { recovery: true, time: false }, measuredRows: 5 });
    assert.deepEqual(sanitizeState({ checked: { recovery: 'yes', bogus: true, time: true }, measuredSeconds: -3, other: 1 }), { checked: { time: true } });
  });
});
