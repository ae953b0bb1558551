import assert from 'node:assert/strict';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ensureBuilt, tempTree } from '../cli-helpers';
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
      [
        'Add search_vector as a plain column computed by trigger events_search_vector_compute (no table rewrite); backfill existing rows with backfills/events_search_vector.sql',
        'Ignore ban-add-stored-generated-column for this statement',
        'Show documentation for ban-add-stored-generated-column',
      ],
    );
    const edit = actions[1]?.edit?.changes[uri]?.[0];
    assert.equal(edit?.newText, '-- pg-migration-guard-ignore ban-add-stored-generated-column: reason\n');
    assert.equal(edit?.range.start.line, 3);
    const cmd = actions[2]?.command;
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

  it('caps published problems at maxNumberOfProblems: errors first, then one notice with the count', async () => {
    client.settings = { maxNumberOfProblems: 3 };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const many = 'file:///tmp/many/migrations/001_many.sql';
    const text = `${Array.from({ length: 6 }, (_, i) => `CREATE INDEX a_${i}_idx ON a (x);\nALTER TABLE b ADD COLUMN c_${i} text;`).join('\n')}\nALTER TABLE c ADD COLUMN;\n`;
    await client.open(many, text);
    const p = await client.diagnostics(many);
    client.settings = {};
    const [notice, ...shown] = p.diagnostics;
    assert.equal(notice?.code, 'too-many-problems');
    assert.match(notice?.message ?? '', /^Showing 3 of \d+ problems \(pgMigrationGuard\.maxNumberOfProblems\)/);
    assert.equal(shown.length, 3);
    // The syntax error (an error) is kept though it is the last statement of the file.
    assert.ok(shown.some((d) => d.code === 'syntax-error' && d.severity === 1));
    const lines = shown.map((d) => d.range.start.line);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
      'in file order',
    );
  });

  it('after many small edits, publishes what a fresh open of the same text publishes, and fixes apply to the current text', async () => {
    const path = 'file:///tmp/incremental/migrations/001_edits.sql';
    let text =
      Array.from(
        { length: 40 },
        (_, i) => `-- step ${i}\nCREATE INDEX t_${i}_idx ON t${i % 3} (x);\nALTER TABLE t${i % 3} ADD COLUMN c_${i} integer NOT NULL;`,
      ).join('\n') + '\n';
    await client.open(path, text);
    await client.diagnostics(path);
    const lines = (): string[] => text.split('\n');
    for (let v = 2; v <= 41; v++) {
      // spaces inside statements (same meaning), letters inside comments, and a broken keyword now and then
      const line = (v * 7) % (lines().length - 1);
      const character = Math.min(v % 5 === 0 ? 3 : 6, (lines()[line] ?? '').length);
      const insert = v % 5 === 0 ? 'x' : ' ';
      const all = lines();
      all[line] = (all[line] ?? '').slice(0, character) + insert + (all[line] ?? '').slice(character);
      text = all.join('\n');
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri: path, version: v },
        contentChanges: [{ range: { start: { line, character }, end: { line, character } }, text: insert }],
      });
    }
    const edited = await client.settledDiagnostics(path, 41);
    const fresh = 'file:///tmp/incremental/migrations/002_fresh.sql';
    await client.open(fresh, text);
    const reference = await client.diagnostics(fresh);
    const view = (ds: typeof edited.diagnostics): string[] => ds.map((d) => JSON.stringify([d.range, d.code, d.severity, d.message]));
    assert.deepEqual(view(edited.diagnostics), view(reference.diagnostics));
    // A quick fix on the last statement (its finding carried over many edits) edits the current text.
    const target = edited.diagnostics.filter((d) => d.code === 'require-concurrent-index-creation').pop();
    assert.ok(target);
    const actions = (await client.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri: path },
      range: target.range,
      context: { diagnostics: [target] },
    })) as SourceAction[];
    const edits = actions.flatMap((a) => a.edit?.documentChanges ?? []).flatMap((c) => (c.textDocument?.uri === path ? (c.edits ?? []) : []));
    assert.ok(edits.length > 0, 'the fix edits this document');
    const flagged = lines()[target.range.start.line] ?? '';
    // The edits fit the text as typed (its extra spaces included), not the text first analysed.
    assert.ok(
      applyTextEdits(text, edits)
        .split('\n')
        .includes(flagged.replace(/INDEX\b/, 'INDEX CONCURRENTLY')),
      flagged,
    );
  });

  it('while a typed letter breaks a statement, other statements keep their diagnostics; a pause settles the whole file', async () => {
    const path = 'file:///tmp/incremental/migrations/003_held.sql';
    const text = 'CREATE TABLE t (id int);\nCREATE INDEX IF NOT EXISTS t_id_idx ON t (id);\nALTER TABLE t ADD COLUMN c text NOT NULL;\n';
    await client.open(path, text);
    const before = await client.diagnostics(path);
    const codesOn = (p: typeof before, line: number): string[] =>
      p.diagnostics.filter((d) => d.range.start.line === line && !POLICY.has(d.code ?? '')).map((d) => d.code ?? '');
    assert.deepEqual([codesOn(before, 1), codesOn(before, 2)], [[], []], 'a table created in the file: nothing to say');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: path, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 6 }, end: { line: 0, character: 6 } }, text: 'x' }],
    });
    const typed = await client.diagnostics(path, (x) => x.version === 2);
    assert.deepEqual(codesOn(typed, 0), ['syntax-error']);
    assert.deepEqual([codesOn(typed, 1), codesOn(typed, 2)], [[], []], 'the rest keeps what it had while the keyword is half typed');
    // After the pause: the whole file as it is (t no longer created here), as a fresh open publishes it.
    const settled = await client.settledDiagnostics(path, 2);
    assert.ok(codesOn(settled, 1).includes('require-concurrent-index-creation'), JSON.stringify(settled.diagnostics));
    const fresh = 'file:///tmp/incremental/migrations/004_held_fresh.sql';
    await client.open(fresh, text.replace('CREATE TABLE', 'CREATEx TABLE'));
    const reference = await client.diagnostics(fresh);
    const view = (ds: typeof settled.diagnostics): string[] => ds.map((d) => JSON.stringify([d.range, d.code, d.severity, d.message]));
    assert.deepEqual(view(settled.diagnostics), view(reference.diagnostics));
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

type Pos = { line: number; character: number };
type LspRange = { start: Pos; end: Pos };
interface SourceAction {
  title: string;
  kind?: string;
  edit?: {
    documentChanges?: Array<{
      kind?: string;
      uri?: string;
      textDocument?: { uri: string; version: number | null };
      edits?: Array<{ range: LspRange; newText: string }>;
    }>;
  };
}

/** Applies LSP text edits (non-overlapping) to a text. */
function applyTextEdits(text: string, edits: ReadonlyArray<{ range: LspRange; newText: string }>): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const offset = (p: Pos): number => (starts[p.line] ?? text.length) + p.character;
  let out = text;
  for (const e of [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start))) {
    out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  }
  return out;
}

describe('language server: selecting the ignore reason, and "Fix all safe rewrites in this file"', function () {
  this.timeout(60_000);
  const PATH = 'db/migrations/20250301120000_add_email.sql';
  const SQL =
    '-- migrate:up\r\n' +
    'ALTER TABLE users ADD COLUMN email text;\r\n' +
    '  CREATE INDEX users_email_idx ON users (email);\r\n' +
    'ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);\r\n' +
    '\r\n' +
    '-- migrate:down\r\n' +
    'ALTER TABLE users DROP COLUMN email;\r\n';
  let client: LspClient;
  let dir: string;
  let uri: string;
  const shown: Array<{ uri: string; selection?: LspRange; takeFocus?: boolean }> = [];

  before(async () => {
    ensureBuilt();
    dir = tempTree({ [PATH]: SQL });
    uri = pathToFileURL(join(dir, PATH)).toString();
    client = new LspClient();
    // Record the whole request (LspClient keeps only the uri).
    client.connection.onRequest('window/showDocument', (p: { uri: string; selection?: LspRange; takeFocus?: boolean }) => {
      shown.push(p);
      return { success: true };
    });
    const init = await client.initialize({
      workspace: { configuration: true, workspaceEdit: { documentChanges: true, resourceOperations: ['create'] } },
      window: { showDocument: { support: true } },
    });
    const provider = init.capabilities['codeActionProvider'] as { codeActionKinds: string[] };
    assert.ok(provider.codeActionKinds.includes('source.fixAll.pg-migration-guard'), 'the fix-all kind is advertised');
    await client.open(uri, SQL);
  });

  after(async () => {
    if (client) assert.equal(await client.shutdown(), 0);
  });

  it('the ignore action carries a command that selects the `reason` placeholder through window/showDocument', async () => {
    const p = await client.diagnostics(uri);
    const diag = p.diagnostics.find((d) => d.code === 'require-concurrent-index-creation');
    assert.ok(diag);
    const actions = await client.connection.sendRequest<
      Array<{
        title: string;
        edit?: { changes: Record<string, Array<{ newText: string; range: LspRange }>> };
        command?: { command: string; arguments: unknown[] };
      }>
    >('textDocument/codeAction', { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } });
    const ignore = actions.find((a) => a.title === 'Ignore require-concurrent-index-creation for this statement');
    const edit = ignore?.edit?.changes[uri]?.[0];
    assert.equal(edit?.newText, '  -- pg-migration-guard-ignore require-concurrent-index-creation: reason\r\n');
    assert.equal(ignore?.command?.command, 'pgMigrationGuard.server.selectRange');
    await client.connection.sendRequest('workspace/executeCommand', { command: ignore?.command?.command, arguments: ignore?.command?.arguments });
    for (let i = 0; i < 50 && shown.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    const request = shown[0];
    assert.equal(request?.uri, uri);
    assert.equal(request?.takeFocus, true);
    // The selection is the placeholder in the text as it is after the edit.
    const after = applyTextEdits(SQL, edit ? [edit] : []);
    const line = after.split('\n')[request?.selection?.start.line ?? -1] ?? '';
    assert.equal(request?.selection?.start.line, request?.selection?.end.line);
    assert.equal(line.slice(request?.selection?.start.character, request?.selection?.end.character), 'reason');
  });

  it('no selection command for a client without window/showDocument support', async () => {
    const other = new LspClient();
    try {
      await other.initialize({ workspace: { configuration: true } });
      await other.open(uri, SQL);
      const p = await other.diagnostics(uri);
      const diag = p.diagnostics.find((d) => d.code === 'require-concurrent-index-creation');
      const actions = await other.connection.sendRequest<Array<{ title: string; command?: unknown }>>('textDocument/codeAction', {
        textDocument: { uri },
        range: diag?.range,
        context: { diagnostics: [diag] },
      });
      const ignore = actions.find((a) => a.title.startsWith('Ignore '));
      assert.ok(ignore);
      assert.equal(ignore.command, undefined);
    } finally {
      assert.equal(await other.shutdown(), 0);
    }
  });

  it('"Fix all safe rewrites" is offered only when source actions are asked for', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const plain = await client.connection.sendRequest<SourceAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: [] },
    });
    assert.deepEqual(plain, []);
    const quick = await client.connection.sendRequest<SourceAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: [], only: ['quickfix'] },
    });
    assert.deepEqual(quick, []);
  });

  it('"Fix all safe rewrites" writes the same text and files as `pg-migration-guard fix`', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await client.connection.sendRequest<SourceAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    assert.equal(actions.length, 1);
    const action = actions[0];
    assert.equal(action?.kind, 'source.fixAll.pg-migration-guard');
    assert.match(action?.title ?? '', /^Fix all safe rewrites in this file \(\d+ fixes\)$/);
    // Apply the WorkspaceEdit: created files (CreateFile + their content), then the versioned edit of this document.
    const changes = action?.edit?.documentChanges ?? [];
    const created = new Map<string, string>();
    let text = SQL;
    for (const c of changes) {
      if (c.kind === 'create' && c.uri) created.set(c.uri, '');
      else if (c.textDocument?.uri === uri) {
        assert.equal(c.textDocument.version, 1);
        text = applyTextEdits(text, c.edits ?? []);
      } else if (c.textDocument) created.set(c.textDocument.uri, applyTextEdits(created.get(c.textDocument.uri) ?? '', c.edits ?? []));
    }
    assert.ok(created.size >= 2, 'the index and the unique key move to new migrations');
    // The CLI on the same tree (every fix there is safe, so both apply the same ones).
    const cliDir = tempTree({ [PATH]: SQL });
    const r = cli(['fix', cliDir]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(text, readFileSync(join(cliDir, PATH), 'utf8'));
    const migrations = join(cliDir, 'db/migrations');
    const cliCreated = readdirSync(migrations)
      .filter((n) => n !== '20250301120000_add_email.sql')
      .sort();
    assert.deepEqual([...created.keys()].map((u) => fileURLToPath(u).slice(join(dir, 'db/migrations').length + 1)).sort(), cliCreated);
    for (const [u, content] of created)
      assert.equal(content, readFileSync(join(migrations, fileURLToPath(u).slice(join(dir, 'db/migrations').length + 1)), 'utf8'));
  });
});
