/**
 * Keeps the latest analysis per open document and a parse cache per document, so an edit
 * re-parses only the statements whose text changed.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { allRules } from '../../../rules';
import {
  analyze,
  type Analysis,
  type ConfigError,
  type DatabaseFacts,
  defaultConfig,
  type GuardConfig,
  mergeConfig,
  ParseCache,
  reanalyze,
  runnerOf,
  type TextChange,
  type RunnerId,
  type SchemaModel,
  type Sidecars,
} from '../engine';
import type { ConfigResolver } from '../node/config-loader';
import { listingOnce } from '../node/fix-environment';
import { HistoryCache } from '../node/history';
import { readSidecars } from '../node/sidecars';

export interface DocumentAnalysis {
  version: number;
  analysis: Analysis;
  configErrors: ConfigError[];
  configPath: string | undefined;
  /** What the analysis was made from besides the text (an incremental update needs the same). */
  inputs: AnalysisInputs;
}

/** The last edit of a document: where it changed the text of version `fromVersion`. */
export type DocumentEdit = TextChange & { fromVersion: number };

interface AnalysisInputs {
  config: GuardConfig | undefined;
  facts: DatabaseFacts | undefined;
  overrides: string;
}

function sameInputs(a: AnalysisInputs, b: AnalysisInputs): boolean {
  return a.config === b.config && a.facts === b.facts && a.overrides === b.overrides;
}

export class Analyses {
  private readonly caches = new Map<string, ParseCache>();
  private readonly latest = new Map<string, DocumentAnalysis>();
  readonly history = new HistoryCache();
  private readonly sidecars = new Map<string, Sidecars>();
  /** Facts from the configured database (pgMigrationGuard/refreshDatabaseFacts); they win over the config's sizes and pgVersion. */
  databaseFacts: DatabaseFacts | undefined;

  constructor(private readonly resolver: ConfigResolver) {}

  /**
   * `change`: the last edit, when known (saves comparing the texts). `whole`: analyse the whole file
   * even when the previous analysis could be updated (to settle a held statement, see reanalyze).
   */
  run(doc: TextDocument, overrides: Partial<GuardConfig>, change?: DocumentEdit, whole = false): DocumentAnalysis {
    const path = filePath(doc.uri);
    const loaded = path ? this.resolver.forDirectory(dirname(path)) : undefined;
    let cache = this.caches.get(doc.uri);
    if (!cache) {
      cache = new ParseCache(20_000);
      this.caches.set(doc.uri, cache);
    }
    const text = doc.getText();
    // The same configuration, facts and settings as the previous analysis: an edit re-checks only
    // the statements it touched when the engine can prove the rest unchanged (reanalyze).
    // (Without a configuration file every lookup returns a fresh copy of the defaults: equal by path.)
    const inputs = { config: loaded?.path ? loaded.config : undefined, facts: this.databaseFacts, overrides: JSON.stringify(overrides) };
    const previous = this.latest.get(doc.uri);
    // Earlier migrations changed on disk (without a watcher event): the baseline is a new object.
    const baselineNow = (runner: RunnerId, config: GuardConfig): SchemaModel | undefined =>
      path ? this.history.baselineFor(path, runner, config.runner, config.appliedThrough) : undefined;
    if (
      !whole &&
      previous &&
      sameInputs(previous.inputs, inputs) &&
      baselineNow(previous.analysis.runner.id, previous.analysis.config) === previous.analysis.baseline
    ) {
      const analysis = reanalyze(
        previous.analysis,
        text,
        {
          ...(previous.analysis.path !== undefined ? { path: previous.analysis.path } : {}),
          ...(previous.analysis.baseline ? { baseline: previous.analysis.baseline } : {}),
          config: previous.analysis.config,
          rules: allRules,
          cache,
          fixEnv: listingOnce(),
        },
        change && change.fromVersion === previous.version ? change : undefined,
      );
      if (analysis) return this.remember(doc, { ...previous, version: doc.version, analysis });
    }
    const config = mergeConfig(loaded?.config ?? defaultConfig(), this.databaseFacts ? { ...overrides, database: this.databaseFacts } : overrides);
    const baseline = baselineNow(runnerOf(text, path, config.runner).id, config);
    const analysis = analyze(text, {
      fixEnv: listingOnce(),
      ...(path ? { path, sidecars: this.sidecarsOf(path) } : { path: uriPath(doc.uri) }),
      ...(baseline ? { baseline } : {}),
      config,
      rules: allRules,
      cache,
    });
    return this.remember(doc, { version: doc.version, analysis, configErrors: loaded?.errors ?? [], configPath: loaded?.path, inputs });
  }

  private remember(doc: TextDocument, result: DocumentAnalysis): DocumentAnalysis {
    this.caches.get(doc.uri)?.fitTo(result.analysis.statements.length);
    this.latest.set(doc.uri, result);
    return result;
  }

  /**
   * Sidecar files change rarely and their changes arrive through the file watcher (which calls
   * `clear`), so they are read once per file, not on every keystroke.
   */
  private sidecarsOf(path: string): Sidecars {
    let s = this.sidecars.get(path);
    if (!s) {
      s = readSidecars(path);
      this.sidecars.set(path, s);
    }
    return s;
  }

  /** Forgets what was read from disk (configuration, sidecars or earlier migrations changed) and the analyses built on it. */
  clear(): void {
    this.sidecars.clear();
    this.history.clear();
    this.latest.clear();
  }

  get(uri: string): DocumentAnalysis | undefined {
    return this.latest.get(uri);
  }

  forget(uri: string): void {
    this.caches.delete(uri);
    this.latest.delete(uri);
  }
}

/** Local path of a `file:` URI, or undefined for untitled and virtual documents. */
export function filePath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** The path part of any URI (runner detection still works on `untitled:` or virtual paths). */
function uriPath(uri: string): string {
  const m = /^[a-z][a-z0-9+.-]*:(?:\/\/[^/]*)?(.*)$/i.exec(uri);
  return decodeURIComponent(m?.[1] ?? uri);
}
