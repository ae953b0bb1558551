/**
 * The language server at the byte level: malformed frames, bodies that are not JSON, requests with
 * wrong parameters or unknown methods. Written straight to the server's stdin (no JSON-RPC library
 * on our side), because a library would refuse to send most of these.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../cli-helpers';

interface Reply {
  id?: number | string | null;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
  params?: unknown;
}

class RawServer {
  readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  readonly messages: Reply[] = [];
  stderr = '';

  constructor() {
    this.proc = spawn(process.execPath, [join(ROOT, 'bin', 'pg-migration-guard.js'), 'lsp', '--stdio']);
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.proc.stdout.on('data', (d: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, d]);
      for (;;) {
        const headerEnd = this.buffer.indexOf('\r\n\r\n');
        if (headerEnd < 0) return;
        const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString())?.[1]);
        if (this.buffer.length < headerEnd + 4 + length) return;
        this.messages.push(JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString()) as Reply);
        this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      }
    });
  }

  raw(bytes: string | Buffer): void {
    this.proc.stdin.write(bytes);
  }

  send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...message }));
    this.raw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  }

  async reply(id: number, timeoutMs = 10_000): Promise<Reply> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const m = this.messages.find((x) => x.id === id && x.method === undefined);
      if (m) return m;
      if (this.proc.exitCode !== null) throw new Error(`server exited (${this.proc.exitCode}); stderr: ${this.stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`no reply to request ${id}; stderr: ${this.stderr}`);
  }

  /** A hover on an unknown document: answered (with null) by a live server. */
  async alive(id: number): Promise<void> {
    this.send({ id, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///nowhere.sql' }, position: { line: 0, character: 0 } } });
    const r = await this.reply(id);
    assert.equal(r.error, undefined, `hover ${id} failed: ${JSON.stringify(r.error)}`);
    assert.equal(r.result, null);
  }
}

describe('language server: malformed protocol input', function () {
  this.timeout(60_000);
  let server: RawServer;

  before(async () => {
    ensureBuilt();
    server = new RawServer();
    server.send({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
    await server.reply(1);
    server.send({ method: 'initialized', params: {} });
  });

  after(async () => {
    server.send({ id: 999, method: 'shutdown' });
    await server.reply(999);
    const exited = new Promise<number | null>((resolve) => server.proc.once('exit', resolve));
    server.send({ method: 'exit' });
    assert.equal(await exited, 0);
  });

  it('a body that is not JSON is dropped and the next request is answered', async () => {
    server.raw('Content-Length: 12\r\n\r\n{not json!!}');
    await server.alive(2);
  });

  it('a frame without Content-Length is skipped', async () => {
    server.raw('X-Garbage: yes\r\n\r\n');
    // vscode-jsonrpc drops the bad frame and resumes at the next chunk of input; a message glued to
    // the garbage in the same chunk would wait for the following one.
    await new Promise((r) => setTimeout(r, 100));
    await server.alive(3);
  });

  it('an unknown request gets MethodNotFound, an unknown notification is ignored', async () => {
    server.send({ method: 'pgMigrationGuard/noSuchNotification', params: { x: 1 } });
    server.send({ id: 4, method: 'pgMigrationGuard/noSuchRequest', params: {} });
    const r = await server.reply(4);
    assert.equal(r.error?.code, -32601);
    await server.alive(5);
  });

  it('requests and notifications with missing or mistyped parameters do not take the server down', async () => {
    server.send({ id: 6, method: 'textDocument/hover', params: null });
    server.send({ id: 7, method: 'textDocument/codeAction', params: { textDocument: 42, range: 'everything', context: null } });
    server.send({ method: 'textDocument/didOpen', params: { textDocument: { uri: 'file:///m/001_x.sql', languageId: 'sql', version: 'one', text: 7 } } });
    server.send({
      method: 'textDocument/didChange',
      params: { textDocument: { uri: 'file:///never-opened.sql', version: 2 }, contentChanges: [{ text: 'DROP TABLE t;' }] },
    });
    for (const id of [6, 7]) {
      const r = await server.reply(id);
      // Either a neutral result or a JSON-RPC error: never silence, never a crash.
      assert.ok(r.error !== undefined || r.result === null || Array.isArray(r.result), `reply ${id}: ${JSON.stringify(r)}`);
    }
    await server.alive(8);
    assert.equal(server.proc.exitCode, null);
  });

  it('honours $/cancelRequest: a hover cancelled in the same burst is answered with nothing, the same hover uncancelled with the locks', async () => {
    const uri = 'file:///w/db/migrations/20250101000000_index.sql';
    const text = '-- migrate:up\nCREATE INDEX events_kind_idx ON events (kind);\n';
    const hover = (id: number): object => ({ id, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 1, character: 3 } } });
    const frame = (m: object): Buffer => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }));
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
    };
    // One write: the server reads open, hover and cancel together, as from a client typing fast.
    server.raw(
      Buffer.concat([
        frame({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'sql', version: 1, text } } }),
        frame(hover(11)),
        frame({ method: '$/cancelRequest', params: { id: 11 } }),
      ]),
    );
    const cancelled = await server.reply(11);
    assert.ok(cancelled.result === null || cancelled.error?.code === -32800, JSON.stringify(cancelled));
    server.send(hover(12));
    const answered = await server.reply(12);
    assert.match(JSON.stringify(answered.result), /SHARE/, 'the uncancelled hover shows the lock');
  });

  it('a Content-Length larger than what arrives only waits; the rest of the stream still parses after it completes', async () => {
    const body = Buffer.from(
      JSON.stringify({
        jsonrpc: '2.0',
        id: 9,
        method: 'textDocument/hover',
        params: { textDocument: { uri: 'file:///a.sql' }, position: { line: 0, character: 0 } },
      }),
    );
    server.raw(`Content-Length: ${body.length}\r\n\r\n`);
    server.raw(body.subarray(0, 10));
    await new Promise((r) => setTimeout(r, 100));
    server.raw(body.subarray(10));
    assert.equal((await server.reply(9)).result, null);
    await server.alive(10);
  });
});
