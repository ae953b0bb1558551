/**
 * The VS Code extension: a table of contents. It starts the language server for SQL files in
 * migration folders and adds the editor features around it (migration checklist, recovery
 * snippet, status bar, "Trace migration", the database URL in SecretStorage). It does no analysis
 * itself; everything it shows comes from the server.
 */
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { commands, type ExtensionContext, Uri, window, workspace } from 'vscode';
import { LanguageClient, type LanguageClientOptions, RevealOutputChannelOn, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { ClientCommands, type InitializationOptions, type TraceReport } from '../../protocol/protocol';
import { CHECKLIST_VIEW_TYPE, ChecklistPanels } from './checklist/checklist-panel';
import { ChecklistStateStore } from './checklist/checklist-state';
import { clearDatabaseUrl, refreshStoredDatabaseFacts, setDatabaseUrl } from './commands/database-url-commands';
import { insertRecoverySnippet } from './commands/insert-recovery-snippet';
import { traceMigration } from './commands/trace-migration';
import { refreshDatabaseFacts } from './database/database-facts';
import { DatabaseCommands, DatabaseUrlStore } from './database/database-url';
import { RedactingLog } from './logging/redacting-log';
import { isMigration, migrationSelector, trackActiveMigration } from './migration-files';
import { serverRequests } from './server-requests';
import { createStatusBar } from './status-bar';

const SETTINGS_SECTION = 'pgMigrationGuard';
let client: LanguageClient | undefined;

/** What other extensions (and this extension's own features) may call. */
export interface ExtensionApi {
  checklists: ChecklistPanels;
  /** The last lines written to the output channel, as written (secrets already removed). */
  logLines(): string[];
}

export async function activate(context: ExtensionContext): Promise<ExtensionApi> {
  const databaseUrl = new DatabaseUrlStore(context.secrets);
  // Everything written to the channel (by the extension and the language client) loses the database URL's secrets first.
  const log = new RedactingLog(window.createOutputChannel('Postgres Migration Guard', { log: true }), () => databaseUrl.knownSecrets());
  context.subscriptions.push(log, databaseUrl);
  // Loads the stored URL's secrets for the redaction before anything can log them.
  await databaseUrl.get();
  // Restricted mode: the analysis only reads files, so it runs; features that connect to a database stay off.
  if (!workspace.isTrusted) log.info('Restricted mode: linting and the checklist work; database features are off until the workspace is trusted.');
  // The embedded PostgreSQL of the trace keeps its data directory in the extension's global storage.
  const globalStoragePath = context.globalStorageUri.fsPath;
  mkdirSync(globalStoragePath, { recursive: true });

  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  // Read at every (re)start: the trace's code lens is offered only once the workspace is trusted.
  const initializationOptions = (): InitializationOptions => ({
    clientCommands: Object.values(ClientCommands).filter((c) => workspace.isTrusted || c !== ClientCommands.traceMigration),
    globalStoragePath,
  });
  const clientOptions: LanguageClientOptions = {
    documentSelector: migrationSelector(),
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    outputChannel: log,
    initializationOptions,
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/{pg-migration-guard.json,*.sql.conf,metadata.toml}') },
  };
  // The client's id is the settings section it reads `trace.server` from: the contributed `pgMigrationGuard.trace.server`.
  client = new LanguageClient(SETTINGS_SECTION, 'Postgres Migration Guard', serverOptions, clientOptions);
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
    commands.registerCommand(ClientCommands.traceMigration, (arg?: unknown): Promise<TraceReport | undefined> =>
      traceMigration({ server, store: databaseUrl, checklists, log }, targetUri(arg)),
    ),
    commands.registerCommand(DatabaseCommands.setDatabaseUrl, (arg?: unknown) => setDatabaseUrl(server, databaseUrl, log, arg)),
    commands.registerCommand(DatabaseCommands.clearDatabaseUrl, () => clearDatabaseUrl(databaseUrl, log)),
    commands.registerCommand(DatabaseCommands.refreshDatabaseFacts, () => refreshStoredDatabaseFacts(server, databaseUrl, log)),
    workspace.onDidGrantWorkspaceTrust(() => {
      log.info('Workspace trusted: database features are on; restarting the language server to offer "Trace migration".');
      void client
        ?.restart()
        .then(() => refreshDatabaseFacts(server, databaseUrl, log, false))
        .catch((err: unknown) => log.error(`language server restart failed: ${err instanceof Error ? err.message : String(err)}`));
    }),
    trackActiveMigration(),
    createStatusBar(),
  );

  await client.start();
  // A stored URL is the user's opt-in to reading table sizes from their database; not in Restricted Mode.
  if (workspace.isTrusted) void refreshDatabaseFacts(server, databaseUrl, log, false);
  return { checklists, logLines: () => log.lines() };
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
