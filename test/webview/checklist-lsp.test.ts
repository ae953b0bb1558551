/**
 * The checklist's server side over stdio (the real language server process): the custom requests
 * of protocol/protocol.ts, the next migration read from disk, the settings the client sends, and
 * the first-line code action and lens, offered only to clients that implement their commands.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ChecklistData, ClientCommands, type CostCommentEdit, type RecoverySnippetResult, Requests } from '../../protocol/protocol';
import { ensureBuilt, tempTree } from '../cli-helpers';
import { LspClient } from '../lsp/lsp-client';

const FIRST = `-- migrate:up
CREATE TABLE invoices (id bigint PRIMARY KEY);
ALTER TABLE events ADD COLUMN archived_at timestamptz;
ALTER TABLE events ADD COLUMN body_len int GENERATED ALWAYS AS (length(body)) STORED;

-- migrate:down
ALTER TABLE events DROP COLUMN body_len, DROP COLUMN archived_at;
DROP TABLE invoices;
`;
const SECOND = `-- migrate:up
UPDATE events SET archived_at = now() WHERE created_at < now() - interval '1 year';
INSERT INTO invoices (id) VALUES (1);

-- migrate:down
`;

interface CodeActionLike {
  title: string;
  kind?: string;
  command?: { command: string; arguments?: unknown[] };
}
interface CodeLensLike {
  command?: { title: string; command: string; arguments?: unknown[] };
}

async function start(clientCommands: string[] | undefined): Promise<LspClient> {
  const c = new LspClient();
  await c.initialize({ workspace: { configuration: true } }, clientCommands ? { clientCommands } : undefined);
  return c;
}

describe('checklist requests over stdio', function () {
  this.timeout(60_000);
  let client: LspClient;
  let uri: string;

  before(async () => {
    ensureBuilt();
    const dir = tempTree({
      'pg-migration-guard.json': JSON.stringify({ tables: { events: { rows: 1_150_000 } } }),
      'db/migrations/20250101000000_first.sql': FIRST,
      'db/migrations/20250102000000_second.sql': SECOND,
    });
    uri = pathToFileURL(join(dir, 'db/migrations/20250101000000_first.sql')).toString();
    client = await start(Object.values(ClientCommands));
    client.settings = { statementTimeout: '2min' };
    await client.open(uri, FIRST);
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0);
  });

  it('pgMigrationGuard/checklist: the data, the role timeout from the settings, and the next migration from disk', async () => {
    const data = await client.connection.sendRequest<ChecklistData | null>(Requests.checklist, { uri });
    assert.ok(data);
    assert.equal(data.fileName, '20250101000000_first.sql');
    assert.equal(data.runner.id, 'dbmate');
    assert.equal(data.eligibility.eligible, true);
    assert.deepEqual(
      data.tables.map((t) => [t.name, t.lock, t.rewrite, t.rows ?? null, t.createdInFile]),
      [
        ['events', 'ACCESS EXCLUSIVE', true, 1_150_000, false],
        ['invoices', 'ACCESS EXCLUSIVE', false, null, true],
      ],
    );
    assert.deepEqual(data.statementTimeout, { setting: '2min', ms: 120_000 });
    assert.deepEqual(data.nextMigration, { fileName: '20250102000000_second.sql', references: ['table invoices', 'column events.archived_at'] });
    assert.match(data.recovery.text, /INSERT INTO schema_migrations \(version\) VALUES \('20250101000000'\);/);
    // A document the server does not have: null, not an error.
    assert.equal(await client.connection.sendRequest(Requests.checklist, { uri: `${uri}.missing` }), null);
    assert.equal(await client.connection.sendRequest(Requests.checklist, { nonsense: true }), null);
  });

  it('pgMigrationGuard/checklist answers for the latest edit even before its diagnostics are published', async () => {
    const edited = FIRST.replace('CREATE TABLE invoices', 'CREATE TABLE bills');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: edited }],
    });
    const data = await client.connection.sendRequest<ChecklistData | null>(Requests.checklist, { uri });
    assert.deepEqual(
      data?.tables.map((t) => t.name),
      ['events', 'bills'],
    );
    assert.deepEqual(data?.nextMigration?.references, ['column events.archived_at']);
    await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 3 }, contentChanges: [{ text: FIRST }] });
  });

  it('pgMigrationGuard/recoverySnippet and pgMigrationGuard/costComment', async () => {
    const snippet = await client.connection.sendRequest<RecoverySnippetResult | null>(Requests.recoverySnippet, { uri });
    assert.equal(snippet?.mode, 'transactional');
    assert.match(snippet?.text ?? '', /^BEGIN;$/m);
    const edit = await client.connection.sendRequest<CostCommentEdit | null>(Requests.costComment, { uri, seconds: 38, rows: 1_150_000, date: '2026-11-21' });
    assert.deepEqual(edit, {
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      newText: '-- cost: 38 s measured on 1.15M rows, 2026-11-21\n',
    });
    assert.equal(await client.connection.sendRequest(Requests.costComment, { uri, seconds: -1, rows: 1, date: '2026-11-21' }), null);
  });

  it('offers "Insert recovery snippet" on the first line and a checklist lens, naming the client commands', async () => {
    await client
      .diagnostics(uri, (p) => p.version === 3, 15_000)
      .catch((err: unknown) => {
        throw new Error(`${String(err)}; published versions ${client.published.map((p) => p.version).join(',')}`);
      });
    const at = (line: number) => ({ start: { line, character: 0 }, end: { line, character: 0 } });
    const first = await client.connection.sendRequest<CodeActionLike[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: at(0),
      context: { diagnostics: [] },
    });
    assert.deepEqual(
      first.filter((a) => a.title === 'Insert recovery snippet'),
      [
        {
          title: 'Insert recovery snippet',
          kind: 'refactor',
          command: { title: 'Insert recovery snippet', command: ClientCommands.insertRecoverySnippet, arguments: [uri] },
        },
      ],
    );
    const later = await client.connection.sendRequest<CodeActionLike[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: at(3),
      context: { diagnostics: [] },
    });
    assert.equal(later.filter((a) => a.title === 'Insert recovery snippet').length, 0);
    const quickfixOnly = await client.connection.sendRequest<CodeActionLike[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: at(0),
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.equal(quickfixOnly.filter((a) => a.title === 'Insert recovery snippet').length, 0);

    const lenses = await client.connection.sendRequest<CodeLensLike[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.ok(lenses.some((l) => l.command?.command === ClientCommands.showChecklist && l.command.arguments?.[0] === uri));
  });

  it('editors that do not implement the client commands get neither', async () => {
    const plain = await start(undefined);
    try {
      await plain.open(uri, FIRST);
      await plain.diagnostics(uri);
      const actions = await plain.connection.sendRequest<CodeActionLike[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      });
      assert.equal(actions.filter((a) => a.command?.command === ClientCommands.insertRecoverySnippet).length, 0);
      const lenses = await plain.connection.sendRequest<CodeLensLike[]>('textDocument/codeLens', { textDocument: { uri } });
      assert.equal(lenses.filter((l) => l.command?.command === ClientCommands.showChecklist).length, 0);
    } finally {
      await plain.shutdown();
    }
  });
});
