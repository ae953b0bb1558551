import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ensureBuilt, tempTree } from '../cli-helpers';
import { LspClient } from './lsp-client';

const OUTAGE = `-- migrate:up
SET LOCAL lock_timeout = '5s';
SET LOCAL statement_timeout = '20min';
ALTER TABLE events ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (to_tsvector('english', title)) STORED;
ALTER TABLE events ADD COLUM broken int;
CREATE INDEX events_kind_idx ON events (kind);

-- migrate:down
ALTER TABLE events DROP COLUMN search_vector;
`;

/** Transaction/timeout policy rules that fire alongside the rules these tests are about. */
const POLICY = new Set(['require-lock-timeout', 'require-statement-timeout', 'review-access-exclusive-lock-window', 'review-transaction-control']);
const core = (p: { diagnostics: Array<{ code?: string }> }): Array<{ code?: string; range?: unknown }> =>
  p.diagnostics.filter((d) => !POLICY.has(d.code ?? ''));

describe('language server over stdio', function () {
  this.timeout(60_000);
  let client: LspClient;
  let uri: string;

  before(async () => {
    ensureBuilt();
    const dir = tempTree({
      'pg-migration-guard.json': JSON.stringify({ tables: { events: { rows: 1_150_000 } } }),
      'db/migrations/20251104093000_add_search.sql': OUTAGE,
    });
    uri = pathToFileURL(join(dir, 'db/migrations/20251104093000_add_search.sql')).toString();
    client = new LspClient();
    const init = await client.initialize({ workspace: { configuration: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } } });
    assert.equal((init.capabilities['textDocumentSync'] as { change: number }).change, 2, 'incremental sync');
    await client.open(uri, OUTAGE);
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0);
  });

  it('publishes diagnostics with code, source, documentation link and the statements around a broken one', async () => {
    const p = await client.diagnostics(uri);
    assert.equal(p.version, 1);
    assert.deepEqual(
      p.diagnostics.filter((d) => !POLICY.has(d.code ?? '')).map((d) => `${d.range.start.line}:${d.code}`),
      ['3:ban-add-stored-generated-column', '4:syntax-error', '5:require-concurrent-index-creation'],
    );
    for (const d of p.diagnostics) {
      assert.equal(d.source, 'pg-migration-guard');
      assert.match(d.codeDescription?.href ?? '', new RegExp(`^file://.*/rules/${d.code}\\.md$`));
    }
    const outage = p.diagnostics.find((d) => d.code === 'ban-add-stored-generated-column');
    assert.equal(outage?.severity, 1, 'error: events is configured as 1.15M rows');
    assert.match(outage?.message ?? '', /~1\.15M rows per pg-migration-guard\.json/);
  });

  it('hovers a statement with its locks, what they block, the work and the transaction', async () => {
    const hover = await client.connection.sendRequest<{ contents: { value: string } } | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 3, character: 5 },
    });
    const md = hover?.contents.value ?? '';
    assert.match(md, /\| events · ~1\.15M rows \| ACCESS EXCLUSIVE \| reads and writes \| rewrite \|/);
    assert.match(md, /O\(rows\): the table is rewritten/);
    assert.match(md, /the runner's transaction · dbmate/);
    assert.match(md, /ban-add-stored-generated-column/);
    const none = await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: 'file:///nowhere.sql' },
      position: { line: 0, character: 0 },
    });
    assert.equal(none, null);
  });

  it('puts a code lens above statements that lock a pre-existing table beyond ROW EXCLUSIVE', async () => {
    const lenses = await client.connection.sendRequest<Array<{ range: { start: { line: number } }; command: { title: string } }>>('textDocument/codeLens', {
      textDocument: { uri },
    });
    assert.deepEqual(
      lenses.map((l) => `${l.range.start.line}: ${l.command.title}`),
      [
        '3: ACCESS EXCLUSIVE on events · rewrites table (~1.15M rows)',
        '5: SHARE on events · builds index (~1.15M rows)',
        '8: ACCESS EXCLUSIVE on events · catalog only',
      ],
    );
  });

  it('shows lock modes as inlay hints when the setting is on', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } };
    assert.deepEqual(await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range }), []);
    client.settings = { inlayHints: { lockMode: true } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await client.diagnostics(uri, (x) => x.version === 1);
    const hints = await client.connection.sendRequest<Array<{ label: string; position: { line: number } }>>('textDocument/inlayHint', {
      textDocument: { uri },
      range,
    });
    assert.deepEqual(
      hints.map((h) => `${h.position.line}: ${h.label}`),
      ['3: ACCESS EXCLUSIVE · rewrite', '5: SHARE', '8: ACCESS EXCLUSIVE'],
    );
    client.settings = {};
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
  });

  it('offers ignore and documentation actions, and the documentation command opens the rule page', async () => {
    const p = await client.diagnostics(uri);
    const diag = p.diagnostics.find((d) => d.code === 'ban-add-stored-generated-column');
    const actions = await client.connection.sendRequest<
      Array<{
        title: string;
        edit?: { changes: Record<string, Array<{ newText: string; range: { start: { line: number } } }>> };
        command?: { command: string; arguments: unknown[] };
      }>
    >('textDocument/codeAction', { textDocument: { uri }, range: diag?.range, context: { diagnostics: [diag] } });
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Ignore ban-add-stored-generated-column for this statement', 'Show documentation for ban-add-stored-generated-column'],
    );
    const edit = actions[0]?.edit?.changes[uri]?.[0];
    assert.equal(edit?.newText, '-- pg-migration-guard-ignore ban-add-stored-generated-column: reason\n');
    assert.equal(edit?.range.start.line, 3);
    const cmd = actions[1]?.command;
    await client.connection.sendRequest('workspace/executeCommand', { command: cmd?.command, arguments: cmd?.arguments });
    for (let i = 0; i < 50 && client.shownDocuments.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.match(client.shownDocuments[0] ?? '', /rules\/ban-add-stored-generated-column\.md$/);
  });

  it('applies incremental edits and re-publishes for the new version', async () => {
    // line 5: "CREATE INDEX events_kind_idx …" → insert CONCURRENTLY after "CREATE INDEX "
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 5, character: 13 }, end: { line: 5, character: 13 } }, text: 'CONCURRENTLY ' }],
    });
    const p = await client.diagnostics(uri, (x) => x.version === 2);
    assert.deepEqual(
      p.diagnostics.filter((d) => !POLICY.has(d.code ?? '')).map((d) => `${d.range.start.line}:${d.code}`),
      ['3:ban-add-stored-generated-column', '4:syntax-error', '5:ban-concurrently-in-transaction'],
    );
  });

  it('offers the preferred fix: the CONCURRENTLY statement moves to a new non-transactional migration (CreateFile + edit)', async () => {
    const p = await client.diagnostics(uri, (x) => x.version === 2);
    const diag = p.diagnostics.find((d) => d.code === 'ban-concurrently-in-transaction');
    assert.ok(diag);
    const actions = await client.connection.sendRequest<
      Array<{
        title: string;
        isPreferred?: boolean;
        edit?: {
          documentChanges?: Array<{ kind?: string; uri?: string; textDocument?: { uri: string; version: number | null }; edits?: Array<{ newText: string }> }>;
        };
      }>
    >('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
    const fix = actions.find((a) => a.isPreferred);
    assert.match(fix?.title ?? '', /^Run this CREATE INDEX CONCURRENTLY in a new migration 20251104093001_.+\.sql$/);
    const changes = fix?.edit?.documentChanges ?? [];
    assert.equal(changes[0]?.kind, 'create');
    assert.match(changes[0]?.uri ?? '', /db\/migrations\/20251104093001_.+\.sql$/);
    assert.match(changes[1]?.edits?.[0]?.newText ?? '', /^-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY events_kind_idx ON events \(kind\);/);
    assert.equal(changes[2]?.textDocument?.uri, uri);
    assert.equal(changes[2]?.textDocument?.version, 2, 'the edit of this document is versioned');
    assert.equal(changes[2]?.edits?.[0]?.newText, '', 'the statement leaves this file');
  });

  it('follows pgMigrationGuard settings from the client (rule severity override)', async () => {
    client.settings = { rules: { 'syntax-error': 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const p = await client.diagnostics(uri, (x) => x.version === 2 && !x.diagnostics.some((d) => d.code === 'syntax-error'));
    assert.deepEqual(
      core(p).map((d) => d.code),
      ['ban-add-stored-generated-column', 'ban-concurrently-in-transaction'],
    );
    client.settings = {};
  });

  it('survives bad input: a huge edit position, a closed document, a binary document', async () => {
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 999, character: 999 }, end: { line: 999, character: 999 } }, text: '\nSELECT 1;' }],
    });
    await client.diagnostics(uri, (x) => x.version === 3);
    const bin = 'file:///tmp/binary.sql';
    await client.open(bin, '\u0000\u0001\u0002PK\u0003\u0004\uFFFD\uFFFD;;;\u0000');
    const p = await client.diagnostics(bin);
    assert.ok(p.diagnostics.every((d) => d.code === 'syntax-error'));
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: bin } });
    await client.diagnostics(bin, (x) => x.diagnostics.length === 0);
    const actions = await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: bin },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [] },
    });
    assert.deepEqual(actions, []);
  });

  it('declines files above maxFileSize with one clear notice', async () => {
    client.settings = { maxFileSize: 1000 };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const big = 'file:///tmp/big/migrations/001_big.sql';
    await client.open(big, 'SELECT 1;\n'.repeat(500));
    const p = await client.diagnostics(big);
    assert.equal(p.diagnostics.length, 1);
    assert.match(p.diagnostics[0]?.message ?? '', /Not analysed: this file is 0\.0 MB, above pgMigrationGuard\.maxFileSize/);
    client.settings = {};
  });
});
