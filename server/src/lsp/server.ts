/**
 * The language server: a table of contents. Wires the connection, capabilities and handlers; the
 * analysis itself is the engine the CLI uses.
 */
import {
  CodeActionKind,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  type Position,
  type Range,
  type Connection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  ClientCommands,
  type ClientSettings,
  Commands,
  DEFAULT_MAX_FILE_SIZE,
  DEFAULT_MAX_NUMBER_OF_PROBLEMS,
  type InitializationOptions,
} from '../../../protocol/protocol';
import { ruleIds } from '../../../rules';
import { type GuardConfig, isRunnerId, loadParser, type RuleSetting } from '../engine';
import { CONFIG_FILE, ConfigResolver } from '../node/config-loader';
import { ruleDocUrl } from '../node/package-root';
import { Analyses, type DocumentAnalysis, type DocumentEdit } from './analyses';
import { diagnosticsFor, fileNotice } from './diagnostics';
import { guard, guardAsync } from './guard';
import { codeActionsFor, FIX_ALL_KIND } from './handlers/code-actions';
import { checklistCodeLenses, recoveryCodeActions, registerChecklistRequests } from './handlers/checklist';
import { hoverFor } from './handlers/hover';
import { codeLensesFor, inlayHintsFor } from './handlers/lenses';
import { registerTraceRequest, traceLens } from './handlers/trace';
import { registerDatabaseFactsRequest } from './handlers/database-facts';
import { TraceResults } from '../trace/session/results';
import { checklistTrace } from '../trace/session/present';

/** How long typing must pause before a held statement is settled by a whole-file analysis (reanalyze). */
const SETTLE_DELAY_MS = 400;

export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): Connection {
  // The last edit of each document as offsets, so an analysis need not compare whole texts to find it.
  const lastChange = new Map<string, DocumentEdit>();
  const documents = new TextDocuments<TextDocument>({
    create: (uri, languageId, version, content) => TextDocument.create(uri, languageId, version, content),
    update: (doc, changes, version) => {
      const only = changes.length === 1 ? changes[0] : undefined;
      if (only && 'range' in only && isRange(only.range)) {
        const from = doc.offsetAt(only.range.start);
        lastChange.set(doc.uri, { from, oldTo: doc.offsetAt(only.range.end), newTo: from + only.text.length, fromVersion: doc.version });
      } else lastChange.delete(doc.uri);
      return TextDocument.update(doc, changes, version);
    },
  });
  const resolver = new ConfigResolver(ruleIds);
  const analyses = new Analyses(resolver);
  const settingsCache = new Map<string, Promise<ClientSettings>>();
  const pending = new Map<string, NodeJS.Immediate>();
  const settling = new Map<string, NodeJS.Timeout>();
  let canPullConfiguration = false;
  let canRegisterConfigurationChange = false;
  let canWatchFiles = false;
  const editCaps = { documentChanges: false, createFiles: false, showDocument: false };
  const parserReady = loadParser();
  /** Client-side commands the client implements (initializationOptions.clientCommands): code actions may name them. */
  const clientCommands = new Set<string>();
  /** The latest trace per document (hovers, checklist), and where the embedded server keeps its data. */
  const traceResults = new TraceResults();
  let globalStoragePath: string | undefined;

  process.on('uncaughtException', (err) => connection.console.error(`uncaught: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => connection.console.error(`unhandled rejection: ${String(err)}`));

  connection.onInitialize((params) => {
    canPullConfiguration = params.capabilities.workspace?.configuration === true;
    // eglot 1.9 pulls configuration but cannot take a dynamic registration for its change event.
    canRegisterConfigurationChange = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
    canWatchFiles = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    const we = params.capabilities.workspace?.workspaceEdit;
    editCaps.documentChanges = we?.documentChanges === true;
    editCaps.createFiles = we?.resourceOperations?.includes('create') === true;
    editCaps.showDocument = params.capabilities.window?.showDocument?.support === true;
    const init = params.initializationOptions as InitializationOptions | undefined;
    if (Array.isArray(init?.clientCommands)) for (const c of init.clientCommands) if (typeof c === 'string') clientCommands.add(c);
    if (typeof init?.globalStoragePath === 'string' && init.globalStoragePath) globalStoragePath = init.globalStoragePath;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        inlayHintProvider: true,
        codeActionProvider: {
          codeActionKinds: clientCommands.size > 0 ? [CodeActionKind.QuickFix, CodeActionKind.Refactor, FIX_ALL_KIND] : [CodeActionKind.QuickFix, FIX_ALL_KIND],
        },
        executeCommandProvider: { commands: [Commands.showRuleDocumentation, Commands.showStatementDetails, Commands.selectRange] },
      },
      serverInfo: { name: 'pg-migration-guard' },
    };
  });

  connection.onInitialized(() => {
    if (canPullConfiguration && canRegisterConfigurationChange)
      void connection.client.register(DidChangeConfigurationNotification.type, undefined).catch(logError);
    if (canWatchFiles) {
      void connection.client
        .register(DidChangeWatchedFilesNotification.type, {
          watchers: [{ globPattern: `**/${CONFIG_FILE}` }, { globPattern: '**/*.sql.conf' }, { globPattern: '**/metadata.toml' }],
        })
        .catch(logError);
    }
  });

  function logError(err: unknown): void {
    connection.console.error(String(err instanceof Error ? (err.stack ?? err.message) : err));
  }

  function settingsFor(uri: string): Promise<ClientSettings> {
    if (!canPullConfiguration) return Promise.resolve({});
    let p = settingsCache.get(uri);
    if (!p) {
      p = connection.workspace.getConfiguration({ scopeUri: uri, section: 'pgMigrationGuard' }).then(
        (s: unknown) => (typeof s === 'object' && s !== null ? (s as ClientSettings) : {}),
        () => ({}),
      );
      settingsCache.set(uri, p);
    }
    return p;
  }

  function overridesFrom(s: ClientSettings): Partial<GuardConfig> {
    const o: Partial<GuardConfig> = {};
    if (typeof s.pgVersion === 'number' && s.pgVersion > 0) o.pgVersion = s.pgVersion;
    if (isRunnerId(s.runner)) o.runner = s.runner;
    if (s.rules && typeof s.rules === 'object') {
      const rules: Record<string, RuleSetting> = {};
      for (const [k, v] of Object.entries(s.rules)) if (v === 'off' || v === 'error' || v === 'warning' || v === 'info') rules[k] = v;
      o.rules = rules;
    }
    return o;
  }

  async function validate(doc: TextDocument): Promise<void> {
    await parserReady;
    const settings = await settingsFor(doc.uri);
    const current = documents.get(doc.uri);
    if (!current || current.version !== doc.version) return; // a newer edit will be validated instead
    const result = analysisNow(current, settings);
    if (!result) {
      const maxSize = maxFileSizeOf(settings);
      const mb = (current.getText().length / 1024 / 1024).toFixed(1);
      const diagnostic = fileNotice(
        'file-too-large',
        DiagnosticSeverity.Information,
        `Not analysed: this file is ${mb} MB, above pgMigrationGuard.maxFileSize (${(maxSize / 1024 / 1024).toFixed(1)} MB). Raise the setting or run pg-migration-guard lint on it.`,
      );
      await connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: [diagnostic] });
      return;
    }
    await publish(current, result, settings);
    if (result.analysis.held) settleLater(current, settings);
  }

  function publish(doc: TextDocument, result: DocumentAnalysis, settings: ClientSettings): Promise<void> {
    return connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: diagnosticsFor(result, maxProblemsOf(settings)) });
  }

  /**
   * A statement broken by typing is held (reanalyze): the rest of the file keeps the findings it had
   * when the statement last parsed. When typing pauses, the whole file is analysed with the
   * statement as it is, and published again for the same version.
   */
  function settleLater(doc: TextDocument, settings: ClientSettings): void {
    clearTimeout(settling.get(doc.uri));
    settling.set(
      doc.uri,
      setTimeout(() => {
        settling.delete(doc.uri);
        const current = documents.get(doc.uri);
        if (!current || current.version !== doc.version || !analyses.get(doc.uri)?.analysis.held) return;
        publish(current, analyses.run(current, overridesFrom(settings), undefined, true), settings).catch(logError);
      }, SETTLE_DELAY_MS),
    );
  }

  /** Coalesces bursts of edits into one analysis per turn of the event loop. */
  function schedule(doc: TextDocument): void {
    clearTimeout(settling.get(doc.uri));
    settling.delete(doc.uri);
    const prev = pending.get(doc.uri);
    if (prev) clearImmediate(prev);
    pending.set(
      doc.uri,
      setImmediate(() => {
        pending.delete(doc.uri);
        validate(doc).catch(logError);
      }),
    );
  }

  documents.onDidChangeContent(guard(connection, 'didChange', undefined, (e) => schedule(e.document)));
  documents.onDidClose(
    guard(connection, 'didClose', undefined, (e) => {
      const p = pending.get(e.document.uri);
      if (p) clearImmediate(p);
      pending.delete(e.document.uri);
      clearTimeout(settling.get(e.document.uri));
      settling.delete(e.document.uri);
      analyses.forget(e.document.uri);
      lastChange.delete(e.document.uri);
      settingsCache.delete(e.document.uri);
      void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] }).catch(logError);
    }),
  );

  const revalidateAll = (): void => {
    resolver.clear();
    analyses.clear();
    settingsCache.clear();
    for (const doc of documents.all()) schedule(doc);
  };
  connection.onDidChangeConfiguration(guard(connection, 'didChangeConfiguration', undefined, revalidateAll));
  connection.onDidChangeWatchedFiles(guard(connection, 'didChangeWatchedFiles', undefined, revalidateAll));

  connection.onHover(
    // A hover right after typing waits for (or runs) the analysis of the current version; a
    // cancelled request (the pointer moved on) is answered with nothing.
    guardAsync(connection, 'hover', null, async (params, token) => {
      const uri = params.textDocument.uri;
      await nextTurn(); // lets a $/cancelRequest already on its way arrive before the work starts
      if (token.isCancellationRequested) return null;
      const result = await currentAnalysis(uri);
      if (!result || token.isCancellationRequested) return null;
      return hoverFor(result.analysis, result.analysis.lines.offsetAt(params.position), (s) => traceResults.annotation(uri, s.text));
    }),
  );

  connection.onCodeLens(
    guard(connection, 'codeLens', [], (params) => {
      const result = analyses.get(params.textDocument.uri);
      if (!result) return [];
      const trace = clientCommands.has(ClientCommands.traceMigration) ? [traceLens(params.textDocument.uri)] : [];
      return [...checklistCodeLenses(result.analysis, params.textDocument.uri, clientCommands), ...trace, ...codeLensesFor(result.analysis)];
    }),
  );

  connection.languages.inlayHint.on(async (params) => {
    try {
      const settings = await settingsFor(params.textDocument.uri);
      if (settings.inlayHints?.lockMode !== true) return [];
      const result = analyses.get(params.textDocument.uri);
      if (!result) return [];
      const lines = result.analysis.lines;
      return inlayHintsFor(result.analysis, lines.offsetAt(params.range.start), lines.offsetAt(params.range.end));
    } catch (err) {
      logError(err);
      return [];
    }
  });

  connection.onCodeAction(
    guardAsync(connection, 'codeAction', [], async (params, token) => {
      await nextTurn();
      if (token.isCancellationRequested) return [];
      const result = await currentAnalysis(params.textDocument.uri);
      const doc = documents.get(params.textDocument.uri);
      // The edits carry the version they were computed for: only the current one.
      if (!result || !doc || result.version !== doc.version || token.isCancellationRequested) return [];
      return [...codeActionsFor(result.analysis, params, doc.version, editCaps), ...recoveryCodeActions(result.analysis, params, clientCommands)];
    }),
  );

  connection.onExecuteCommand(
    guard(connection, 'executeCommand', undefined, (params) => {
      if (params.command === Commands.selectRange) {
        const [uri, selection] = params.arguments ?? [];
        if (editCaps.showDocument && typeof uri === 'string' && isRange(selection))
          void connection.window.showDocument({ uri, selection, takeFocus: true }).catch(logError);
        return;
      }
      if (params.command !== Commands.showRuleDocumentation) return; // showStatementDetails: nothing to do server-side
      const rule = params.arguments?.[0];
      if (typeof rule !== 'string' || !ruleIds.has(rule)) return;
      void connection.window.showDocument({ uri: ruleDocUrl(rule), takeFocus: true }).catch(logError);
    }),
  );

  /** The analysis of the document's current version; analysed now when the scheduled run has not happened yet. */
  async function currentAnalysis(uri: string): Promise<DocumentAnalysis | undefined> {
    await parserReady;
    const settings = await settingsFor(uri);
    const doc = documents.get(uri);
    return doc ? analysisNow(doc, settings) : undefined;
  }

  function maxProblemsOf(settings: ClientSettings): number {
    const n = settings.maxNumberOfProblems;
    return typeof n === 'number' && n >= 1 ? Math.floor(n) : DEFAULT_MAX_NUMBER_OF_PROBLEMS;
  }

  function maxFileSizeOf(settings: ClientSettings): number {
    return typeof settings.maxFileSize === 'number' ? settings.maxFileSize : DEFAULT_MAX_FILE_SIZE;
  }

  /**
   * The analysis of `doc` as it is now: the one already made for this version (by a request or
   * the scheduled run), else a new one. Undefined above pgMigrationGuard.maxFileSize.
   */
  function analysisNow(doc: TextDocument, settings: ClientSettings): DocumentAnalysis | undefined {
    if (doc.getText().length > maxFileSizeOf(settings)) return undefined;
    const done = analyses.get(doc.uri);
    return done && done.version === doc.version ? done : analyses.run(doc, overridesFrom(settings), lastChange.get(doc.uri));
  }
  registerChecklistRequests(connection, {
    current: currentAnalysis,
    settings: settingsFor,
    logError,
    // Item 1 of the checklist fills itself in with the latest trace of the file.
    traceFor: (uri) => {
      const report = traceResults.get(uri);
      return report ? checklistTrace(report) : undefined;
    },
  });
  registerTraceRequest(connection, { current: currentAnalysis, logError }, traceResults, () => globalStoragePath);
  registerDatabaseFactsRequest(connection, analyses, revalidateAll);

  documents.listen(connection);
  connection.listen();
  return connection;
}

/** A `{ start: { line, character }, end: { line, character } }` from a command's untyped arguments. */
function isRange(x: unknown): x is Range {
  const pos = (p: unknown): boolean =>
    typeof p === 'object' && p !== null && typeof (p as Position).line === 'number' && typeof (p as Position).character === 'number';
  return typeof x === 'object' && x !== null && pos((x as Range).start) && pos((x as Range).end);
}

/** One turn of the event loop: messages already received (a cancellation) are handled first. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
