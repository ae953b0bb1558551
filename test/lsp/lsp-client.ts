/** A minimal LSP driver over the server's stdio, for protocol-level tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, type MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { ROOT } from '../cli-helpers';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Array<{
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    code?: string;
    source?: string;
    message: string;
    severity?: number;
    codeDescription?: { href: string };
    data?: unknown;
  }>;
}

export class LspClient {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  readonly published: PublishedDiagnostics[] = [];
  readonly shownDocuments: string[] = [];
  private waiters: Array<{ uri: string; pred: (p: PublishedDiagnostics) => boolean; resolve: (p: PublishedDiagnostics) => void }> = [];
  settings: Record<string, unknown> = {};
  stderr = '';

  constructor() {
    this.process = spawn(process.execPath, [join(ROOT, 'bin', 'pg-migration-guard.js'), 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr?.on('data', (d: Buffer) => (this.stderr += d.toString()));
    if (!this.process.stdout || !this.process.stdin) throw new Error('no stdio');
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout), new StreamMessageWriter(this.process.stdin));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.push(p);
      this.waiters = this.waiters.filter((w) => {
        if (w.uri === p.uri && w.pred(p)) {
          w.resolve(p);
          return false;
        }
        return true;
      });
    });
    this.connection.onRequest('workspace/configuration', (params: { items: unknown[] }) => params.items.map(() => this.settings));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/showDocument', (p: { uri: string }) => {
      this.shownDocuments.push(p.uri);
      return { success: true };
    });
    this.connection.onNotification('window/logMessage', () => undefined);
    this.connection.listen();
  }

  async initialize(
    capabilities: Record<string, unknown> = { workspace: { configuration: true } },
    initializationOptions?: Record<string, unknown>,
  ): Promise<{ capabilities: Record<string, unknown> }> {
    const r = await this.connection.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities,
      ...(initializationOptions ? { initializationOptions } : {}),
    });
    await this.connection.sendNotification('initialized', {});
    return r;
  }

  /** Resolves with the next publishDiagnostics for `uri` matching `pred`. */
  diagnostics(uri: string, pred: (p: PublishedDiagnostics) => boolean = () => true, timeoutMs = 15_000): Promise<PublishedDiagnostics> {
    const existing = this.published.find((p) => p.uri === uri && pred(p));
    if (existing) return Promise.resolve(existing);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ uri, pred, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  /**
   * The last publishDiagnostics for `uri` at `version` once the server has been quiet for `quietMs`
   * (a held statement is settled by a second publish for the same version when typing pauses).
   */
  async settledDiagnostics(uri: string, version: number, quietMs = 1_000): Promise<PublishedDiagnostics> {
    await this.diagnostics(uri, (p) => p.version === version);
    let count = -1;
    while (count !== this.published.length) {
      count = this.published.length;
      await new Promise((r) => setTimeout(r, quietMs));
    }
    return this.published.filter((p) => p.uri === uri && p.version === version).pop() as PublishedDiagnostics;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
  }

  async shutdown(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.process.once('exit', (code) => resolve(code)));
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
