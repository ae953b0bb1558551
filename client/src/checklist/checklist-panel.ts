/**
 * "Show migration checklist": one webview panel per migration file, beside its editor. The page
 * (media/checklist) gets the server's checklist data and the file's saved state, and is refreshed
 * when the file or its diagnostics change. Every message from the page is validated before use.
 */
import { basename } from 'node:path';
import {
  commands,
  type Disposable,
  env,
  languages,
  type LogOutputChannel,
  Range,
  Uri,
  ViewColumn,
  type WebviewPanel,
  type WebviewPanelSerializer,
  window,
  workspace,
  WorkspaceEdit,
} from 'vscode';
import { type ChecklistData, type ChecklistTrace, ClientCommands } from '../../../protocol/protocol';
import type { ServerRequests } from '../server-requests';
import { checklistHtml, newNonce } from './checklist-html';
import type { ChecklistStateStore } from './checklist-state';
import { type HostMessage, isPageMessage, type PageMessage } from './page-messages';

export const CHECKLIST_VIEW_TYPE = 'pgMigrationGuard.checklist';
const REFRESH_DELAY_MS = 300;

export interface ChecklistDeps {
  extensionUri: Uri;
  server: ServerRequests;
  state: ChecklistStateStore;
  log: LogOutputChannel;
}

export function checklistTitle(uri: Uri): string {
  return `Migration checklist: ${basename(uri.path)}`;
}

export class ChecklistPanels implements Disposable {
  private readonly panels = new Map<string, ChecklistPanel>();
  /** Trace results per file (set by the trace feature), shown in item 1. */
  private readonly traces = new Map<string, ChecklistTrace>();

  constructor(private readonly deps: ChecklistDeps) {}

  /** Opens (or reveals) the checklist of `uri`, beside the editor. */
  show(uri: Uri): void {
    const key = uri.toString();
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal(ViewColumn.Beside, true);
      void existing.refresh();
      return;
    }
    const panel = window.createWebviewPanel(
      CHECKLIST_VIEW_TYPE,
      checklistTitle(uri),
      { viewColumn: ViewColumn.Beside, preserveFocus: true },
      this.webviewOptions(),
    );
    this.adopt(panel, uri);
  }

  /** Restores panels after a window reload (the page saved its file's URI with setState). */
  serializer(): WebviewPanelSerializer {
    return {
      deserializeWebviewPanel: async (panel: WebviewPanel, state: unknown) => {
        const uri = typeof state === 'object' && state !== null ? (state as { uri?: unknown }).uri : undefined;
        if (typeof uri !== 'string' || !uri.startsWith('file:') || this.panels.has(uri)) {
          panel.dispose();
          return;
        }
        panel.webview.options = this.webviewOptions();
        this.adopt(panel, Uri.parse(uri));
      },
    };
  }

  setTrace(uri: string, trace: ChecklistTrace | undefined): void {
    if (trace) this.traces.set(uri, trace);
    else this.traces.delete(uri);
    void this.panels.get(uri)?.refresh();
  }

  traceOf(uri: string): ChecklistTrace | undefined {
    return this.traces.get(uri);
  }

  private webviewOptions(): { enableScripts: true; localResourceRoots: Uri[] } {
    // The page may load files from dist/media only (its script, style and the codicon font).
    return { enableScripts: true, localResourceRoots: [Uri.joinPath(this.deps.extensionUri, 'dist', 'media')] };
  }

  private adopt(panel: WebviewPanel, uri: Uri): void {
    const key = uri.toString();
    const p = new ChecklistPanel(panel, uri, this.deps, this, () => this.panels.delete(key));
    this.panels.set(key, p);
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
    this.panels.clear();
  }
}

class ChecklistPanel {
  private readonly subscriptions: Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private data: ChecklistData | undefined;
  private readonly key: string;

  constructor(
    readonly panel: WebviewPanel,
    private readonly uri: Uri,
    private readonly deps: ChecklistDeps,
    private readonly owner: ChecklistPanels,
    onDispose: () => void,
  ) {
    this.key = uri.toString();
    const webview = panel.webview;
    const media = Uri.joinPath(deps.extensionUri, 'dist', 'media');
    panel.title = checklistTitle(uri);
    webview.html = checklistHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview.asWebviewUri(Uri.joinPath(media, 'checklist.js')).toString(),
      styleUri: webview.asWebviewUri(Uri.joinPath(media, 'checklist.css')).toString(),
      codiconUri: webview.asWebviewUri(Uri.joinPath(media, 'codicon.css')).toString(),
      title: checklistTitle(uri),
    });
    this.subscriptions.push(
      webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.key) this.scheduleRefresh();
      }),
      languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === this.key)) this.scheduleRefresh();
      }),
      workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('pgMigrationGuard')) this.scheduleRefresh();
      }),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.visible) this.scheduleRefresh();
      }),
    );
    panel.onDidDispose(() => {
      if (this.timer) clearTimeout(this.timer);
      this.subscriptions.forEach((s) => s.dispose());
      onDispose();
    });
  }

  private scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), REFRESH_DELAY_MS);
  }

  async refresh(): Promise<void> {
    try {
      // The server knows the file only while it is open (it may have been closed since).
      await workspace.openTextDocument(this.uri);
      const data = await this.deps.server.checklist(this.key);
      if (!data) {
        this.post({
          type: 'notice',
          level: 'error',
          text: 'This file is not analysed: it is not a migration (see pgMigrationGuard.migrationGlobs) or it is too large.',
        });
        return;
      }
      const trace = this.owner.traceOf(this.key);
      if (trace) data.trace = trace;
      this.data = data;
      this.post({ type: 'render', data, state: this.deps.state.get(this.key) });
    } catch (err) {
      this.deps.log.error(`checklist refresh failed for ${this.key}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
  }

  private post(message: HostMessage): void {
    void this.panel.webview.postMessage(message);
  }

  private onMessage(m: unknown): void {
    if (!isPageMessage(m)) {
      this.deps.log.warn(`checklist page sent an invalid message: ${JSON.stringify(m)?.slice(0, 200)}`);
      return;
    }
    this.handle(m).catch((err: unknown) => {
      this.deps.log.error(`checklist action ${m.type} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      this.post({ type: 'notice', level: 'error', text: `That did not work: ${err instanceof Error ? err.message : String(err)}` });
    });
  }

  private async handle(m: PageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.refresh();
      case 'setChecked':
        return this.deps.state.setChecked(this.key, m.item, m.checked);
      case 'setMeasured':
        return this.deps.state.setMeasured(this.key, m.seconds, m.rows);
      case 'writeCostComment':
        return this.writeCostComment(m.seconds, m.rows);
      case 'copyRecoverySnippet': {
        const text = this.data?.recovery.text ?? (await this.deps.server.recoverySnippet(this.key))?.text;
        if (!text) return;
        await env.clipboard.writeText(text);
        this.post({ type: 'notice', level: 'info', text: 'Recovery snippet copied to the clipboard.' });
        return;
      }
      case 'insertRecoverySnippet':
        await commands.executeCommand(ClientCommands.insertRecoverySnippet, this.uri);
        return;
      case 'revealLine': {
        const doc = await workspace.openTextDocument(this.uri);
        const line = Math.min(m.line - 1, Math.max(doc.lineCount - 1, 0));
        const visible = window.visibleTextEditors.find((e) => e.document.uri.toString() === this.key);
        await window.showTextDocument(doc, { viewColumn: visible?.viewColumn ?? ViewColumn.One, selection: new Range(line, 0, line, 0) });
        return;
      }
    }
  }

  private async writeCostComment(seconds: number, rows: number): Promise<void> {
    const d = new Date();
    const date = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await this.deps.state.setMeasured(this.key, seconds, rows);
    const edit = await this.deps.server.costComment({ uri: this.key, seconds, rows, date });
    if (!edit) {
      this.post({ type: 'notice', level: 'error', text: 'The cost comment could not be written (the file is not analysed).' });
      return;
    }
    const we = new WorkspaceEdit();
    const r = edit.range;
    we.replace(this.uri, new Range(r.start.line, r.start.character, r.end.line, r.end.character), edit.newText);
    const applied = await workspace.applyEdit(we);
    this.post({
      type: 'notice',
      level: applied ? 'info' : 'error',
      text: applied ? `Wrote the cost comment on line ${r.start.line + 1}.` : 'The editor refused the edit.',
    });
  }
}
