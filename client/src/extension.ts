/**
 * The VS Code extension: a table of contents. It starts the language server for SQL files in
 * migration folders and adds the editor features around it (migration checklist, recovery
 * snippet, status bar). It does no analysis itself; everything it shows comes from the server.
 */
import * as path from 'node:path';
import { commands, type ExtensionContext, Uri, window, workspace } from 'vscode';
import { LanguageClient, type LanguageClientOptions, RevealOutputChannelOn, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { ClientCommands, type InitializationOptions, SERVER_NAME } from '../../protocol/protocol';
import { CHECKLIST_VIEW_TYPE, ChecklistPanels } from './checklist/checklist-panel';
import { ChecklistStateStore } from './checklist/checklist-state';
import { insertRecoverySnippet } from './commands/insert-recovery-snippet';
import { isMigration, migrationSelector, trackActiveMigration } from './migration-files';
import { serverRequests } from './server-requests';
import { createStatusBar } from './status-bar';

let client: LanguageClient | undefined;

/** What other extensions (and this extension's own features) may call. */
export interface ExtensionApi {
  checklists: ChecklistPanels;
}

export async function activate(context: ExtensionContext): Promise<ExtensionApi> {
  const log = window.createOutputChannel('Postgres Migration Guard', { log: true });
  context.subscriptions.push(log);
  // Restricted mode: the analysis only reads files, so it runs; features that connect to a database stay off.
  if (!workspace.isTrusted) log.info('Restricted mode: linting and the checklist work; database features are off until the workspace is trusted.');

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const initializationOptions: InitializationOptions = { clientCommands: Object.values(ClientCommands) };
  const clientOptions: LanguageClientOptions = {
    documentSelector: migrationSelector(),
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    outputChannel: log,
    initializationOptions,
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/{pg-migration-guard.json,*.sql.conf,metadata.toml}') },
  };
  client = new LanguageClient(SERVER_NAME, 'Postgres Migration Guard', serverOptions, clientOptions);
  context.subscriptions.push(client);
  const server = serverRequests(client);

  const checklists = new ChecklistPanels({ extensionUri: context.extensionUri, server, state: new ChecklistStateStore(context.workspaceState), log });
  context.subscriptions.push(
    checklists,
    window.registerWebviewPanelSerializer(CHECKLIST_VIEW_TYPE, checklists.serializer()),
    commands.registerCommand(ClientCommands.showChecklist, (arg?: unknown) => {
      const uri = targetUri(arg);
      if (uri) checklists.show(uri);
      else void window.showInformationMessage('Show migration checklist: open a migration file first (a SQL file matching pgMigrationGuard.migrationGlobs).');
    }),
    commands.registerCommand(ClientCommands.insertRecoverySnippet, (arg?: unknown) => insertRecoverySnippet(server, log, arg)),
    trackActiveMigration(),
    createStatusBar(),
  );

  await client.start();
  return { checklists };
}

/** The migration a command acts on: its argument (editor title and code lens pass the Uri), else the active editor's. */
function targetUri(arg: unknown): Uri | undefined {
  if (arg instanceof Uri) return arg;
  if (typeof arg === 'string') return Uri.parse(arg);
  const doc = window.activeTextEditor?.document;
  return isMigration(doc) ? doc.uri : undefined;
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
