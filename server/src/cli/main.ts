/**
 * `pg-migration-guard`: the CLI entry. Only this folder knows exit codes and output formats; the
 * analysis is the same engine the language server runs.
 */
import { existsSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { type DatabaseFacts, type GuardConfig, loadParser, recoverySnippet } from '../engine';
import { ConfigResolver } from '../node/config-loader';
import { discoverFiles } from '../node/discover';
import { HistoryCache } from '../node/history';
import { type FileResult, lintFile } from '../node/lint-file';
import { packageVersion, ruleDocUrl } from '../node/package-root';
import { redact } from '../trace/session/redact';
import { ruleIds } from '../../../rules';
import { configOverrides, type FixArgs, type LintArgs, parseArgs, type RecoveryArgs, USAGE } from './args';
import { fixFiles } from './fix';
import { traceCommand } from './trace';
import { githubReporter } from './formats/github';
import { type JsonDatabase, jsonReporter } from './formats/json';
import type { Reporter } from './formats/reporter';
import { sarifReporter } from './formats/sarif';
import { textReporter } from './formats/text';

const RANK = { info: 0, warning: 1, error: 2 } as const;

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      process.stdout.write(`${USAGE}\n`);
      return 0;
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    case 'usage-error':
      process.stderr.write(`pg-migration-guard: ${args.message}\n\n${USAGE}\n`);
      return 2;
    case 'lsp': {
      // Loaded on demand: `lint` never pays for the LSP libraries.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lsp = require('../lsp/server') as typeof import('../lsp/server');
      lsp.startServer();
      return -1; // keep running
    }
    case 'lint':
      return lint(args);
    case 'fix':
      return fix(args);
    case 'recovery':
      return recovery(args);
    case 'trace':
      return traceCommand(args);
  }
}

/**
 * The migration files `paths` name (directories by the configured migration globs); undefined,
 * after saying which, when a path does not exist.
 */
function migrationFiles(paths: readonly string[], resolver: ConfigResolver): string[] | undefined {
  const { files, missing } = discoverFiles(paths, (dir) => {
    const loaded = resolver.forDirectory(dir);
    return { globs: loaded.config.migrations, root: loaded.root };
  });
  if (missing.length === 0) return files;
  process.stderr.write(`pg-migration-guard: no such file or directory: ${missing.join(', ')}\n`);
  return undefined;
}

async function lint(args: LintArgs): Promise<number> {
  const resolver = new ConfigResolver(ruleIds, args.config);
  const files = migrationFiles(args.paths, resolver);
  if (!files) return 2;
  // Configuration errors are fatal before any output (which key, what was expected).
  const configProblems = new Map<string, string[]>();
  for (const file of files) {
    const loaded = resolver.forDirectory(dirname(file));
    if (loaded.errors.length > 0 && loaded.path)
      configProblems.set(
        loaded.path,
        loaded.errors.map((e) => `${e.key}: ${e.message}`),
      );
  }
  if (configProblems.size > 0) {
    for (const [path, problems] of configProblems)
      process.stderr.write(`pg-migration-guard: invalid ${path}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  await loadParser();
  const database = args.databaseUrl ? await databaseFacts(args.databaseUrl) : undefined;
  const overrides: Partial<GuardConfig> = {
    ...configOverrides(args),
    ...(database && 'facts' in database ? { database: database.facts } : {}),
  };
  const history = new HistoryCache();
  const display = (p: string): string => relative(process.cwd(), p) || p;
  const reporter = reporterFor(args, display, database && ('facts' in database ? database.summary : { error: database.error }));
  const out = new OutputBuffer();
  let failing = false;
  for (const file of files) {
    let r: FileResult;
    try {
      r = lintFile(file, resolver, history, overrides);
    } catch (err) {
      out.flush();
      process.stderr.write(`pg-migration-guard: cannot read ${file}: ${(err as Error).message}\n`);
      return 2;
    }
    failing ||= r.analysis.findings.some((f) => RANK[f.severity] >= RANK[args.failOn]);
    const text = reporter.file(r);
    for (const piece of typeof text === 'string' ? [text] : text) {
      out.write(piece);
      await out.drained();
    }
  }
  out.write(reporter.end());
  out.flush();
  return failing ? 1 : 0;
}

async function recovery(args: RecoveryArgs): Promise<number> {
  if (!existsSync(args.path)) {
    process.stderr.write(`pg-migration-guard: no such file: ${args.path}\n`);
    return 2;
  }
  await loadParser();
  const resolver = new ConfigResolver(ruleIds);
  const r = lintFile(resolve(args.path), resolver, new HistoryCache());
  const snippet = recoverySnippet(r.analysis, args.ledgerTable ? { ledgerTable: args.ledgerTable } : {});
  process.stdout.write(snippet.text.endsWith('\n') ? snippet.text : `${snippet.text}\n`);
  for (const w of snippet.warnings) process.stderr.write(`pg-migration-guard: note: ${w}\n`);
  return 0;
}

async function fix(args: FixArgs): Promise<number> {
  const resolver = new ConfigResolver(ruleIds, args.config);
  const unknown = args.rules.filter((r) => !ruleIds.has(r));
  if (unknown.length > 0) {
    process.stderr.write(`pg-migration-guard: unknown rule id ${unknown.join(', ')}\n`);
    return 2;
  }
  const files = migrationFiles(args.paths, resolver);
  if (!files) return 2;
  const overrides = configOverrides(args);
  try {
    return await fixFiles(files, resolver, { rules: args.rules, dryRun: args.dryRun, includeReview: args.includeReview, overrides }, (s) =>
      process.stdout.write(s),
    );
  } catch (err) {
    process.stderr.write(`pg-migration-guard: ${(err as Error).message}\n`);
    return 2;
  }
}

/**
 * `lint --database-url`: the database's facts, read once. A failure prints one line (redacted) and
 * the lint goes on with static analysis only; it does not change the exit code, so a CI job whose
 * database is unreachable still reports on its migrations (the JSON output carries the error).
 */
async function databaseFacts(option: string): Promise<{ facts: DatabaseFacts; summary: JsonDatabase } | { error: string }> {
  const url = option === 'env' ? process.env['DATABASE_URL'] : option;
  let error: string;
  if (!url) error = '--database-url env: DATABASE_URL is not set';
  else {
    // Loaded on demand: a lint without a database never loads the pg client.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { DatabaseFactsCache, summarizeFacts } = require('../node/database-facts') as typeof import('../node/database-facts');
    try {
      const facts = await new DatabaseFactsCache().get(url);
      return { facts, summary: summarizeFacts(facts) };
    } catch (err) {
      // DatabaseFactsError messages are already redacted; anything else is redacted here.
      error = redact(err instanceof Error ? err.message : String(err), url);
    }
  }
  process.stderr.write(`pg-migration-guard: database: ${error}; linting without it\n`);
  return { error };
}

function reporterFor(args: LintArgs, display: (p: string) => string, database: JsonDatabase | undefined): Reporter {
  switch (args.format) {
    case 'json':
      return jsonReporter(display, database);
    case 'sarif':
      return sarifReporter(display, packageVersion(), ruleDocUrl);
    case 'github':
      return githubReporter(display);
    default:
      return textReporter(display, args.color);
  }
}

/** Batches stdout writes (one write per ~64 KB instead of one per file). */
class OutputBuffer {
  private parts: string[] = [];
  private size = 0;

  write(s: string): void {
    if (!s) return;
    this.parts.push(s);
    this.size += s.length;
    if (this.size > 65_536) this.flush();
  }

  /** Set when stdout (a pipe) buffered what it could not send yet. */
  private full = false;

  flush(): void {
    if (this.parts.length === 0) return;
    this.full = !process.stdout.write(this.parts.join('')) || this.full;
    this.parts = [];
    this.size = 0;
  }

  /**
   * Resolves once stdout has sent what it buffered: a reader slower than the linter would otherwise
   * have the whole output of a large file queued in memory.
   */
  async drained(): Promise<void> {
    if (!this.full) return;
    this.full = false;
    if (process.stdout.writableNeedDrain) await new Promise<void>((resolve) => process.stdout.once('drain', () => resolve()));
  }
}
