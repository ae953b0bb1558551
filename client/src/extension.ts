/**
 * The VS Code extension: starts the language server for SQL files in migration folders. It does
 * no analysis itself; everything it shows comes from the server.
 */
import * as path from 'node:path';
import { type ExtensionContext, workspace } from 'vscode';
import { LanguageClient, type LanguageClientOptions, RevealOutputChannelOn, type ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { SERVER_NAME } from '../../protocol/protocol';

let client: LanguageClient | undefined;

export async function activate(context: ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  // The manifest's contributed default applies when the user sets nothing.
  const globs = workspace.getConfiguration('pgMigrationGuard').get<string[]>('migrationGlobs') ?? [];
  const clientOptions: LanguageClientOptions = {
    documentSelector: globs.map((pattern) => ({ scheme: 'file', language: 'sql', pattern })),
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    synchronize: { fileEvents: workspace.createFileSystemWatcher('**/{pg-migration-guard.json,*.sql.conf,metadata.toml}') },
  };
  client = new LanguageClient(SERVER_NAME, 'Postgres Migration Guard', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
