/**
 * `pg-migration-guard`: the CLI entry. Only this folder knows exit codes and output formats; the
 * analysis is the same engine the language server runs.
 */
import { relative } from 'node:path';
import { loadParser } from '../engine';
import { ConfigResolver } from '../node/config-loader';
import { discoverFiles } from '../node/discover';
import { HistoryCache } from '../node/history';
import { type FileResult, lintFile } from '../node/lint-file';
import { packageVersion, ruleDocUrl } from '../node/package-root';
import { ruleIds } from '../../../rules';
import { type LintArgs, parseArgs, USAGE } from './args';
import { formatGithub } from './formats/github';
import { formatJson } from './formats/json';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';

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
  }
}

async function lint(args: LintArgs): Promise<number> {
  const resolver = new ConfigResolver(ruleIds, args.config);
  const { files, missing } = discoverFiles(args.paths, (dir) => {
    const loaded = resolver.forDirectory(dir);
    return { globs: loaded.config.migrations, root: loaded.root };
  });
  if (missing.length > 0) {
    process.stderr.write(`pg-migration-guard: no such file or directory: ${missing.join(', ')}\n`);
    return 2;
  }
  await loadParser();
  const overrides = { ...(args.pgVersion !== undefined ? { pgVersion: args.pgVersion } : {}), ...(args.runner ? { runner: args.runner } : {}) };
  const history = new HistoryCache();
  const results: FileResult[] = [];
  const configProblems = new Map<string, string[]>();
  for (const file of files) {
    let r: FileResult;
    try {
      r = lintFile(file, resolver, history, overrides);
    } catch (err) {
      process.stderr.write(`pg-migration-guard: cannot read ${file}: ${(err as Error).message}\n`);
      return 2;
    }
    if (r.configErrors.length > 0 && r.configPath)
      configProblems.set(
        r.configPath,
        r.configErrors.map((e) => `${e.key}: ${e.message}`),
      );
    results.push(r);
  }
  if (configProblems.size > 0) {
    for (const [path, problems] of configProblems)
      process.stderr.write(`pg-migration-guard: invalid ${path}:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  const display = (p: string): string => relative(process.cwd(), p) || p;
  let out: string;
  switch (args.format) {
    case 'json':
      out = formatJson(results, display);
      break;
    case 'sarif':
      out = formatSarif(results, display, packageVersion(), ruleDocUrl);
      break;
    case 'github':
      out = formatGithub(results, display);
      break;
    default:
      out = formatText(results, display, args.color);
  }
  if (out.length > 0) process.stdout.write(`${out}\n`);
  const failing = results.some((r) => r.analysis.findings.some((f) => RANK[f.severity] >= RANK[args.failOn]));
  return failing ? 1 : 0;
}
