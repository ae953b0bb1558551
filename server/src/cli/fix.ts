/**
 * `pg-migration-guard fix [--rule id] [--dry-run] paths…`: applies the preferred fixes the editor
 * offers, like `eslint --fix`, with the engine's fixAll (one fix at a time, re-analysing in
 * between). Files are written atomically; new files never overwrite existing ones; `--dry-run`
 * prints the diff and writes nothing.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { allRules } from '../../../rules';
import { analyze, type CreateStep, type Fix, fixAll, type GuardConfig, loadParser, mergeConfig, runnerOf } from '../engine';
import type { ConfigResolver } from '../node/config-loader';
import { listingOnce } from '../node/fix-environment';
import { HistoryCache } from '../node/history';
import { readSidecars } from '../node/sidecars';
import { unifiedDiff } from './diff';

export interface FixOptions {
  rules: string[];
  dryRun: boolean;
  /**
   * `review` fixes change behaviour or need data work (backfill scripts, triggers): applied only
   * when asked for, by this flag or by naming their rule with --rule. Otherwise only `safe` ones,
   * like eslint --fix applies fixes but not suggestions.
   */
  includeReview?: boolean;
  overrides: Partial<GuardConfig>;
}

export async function fixFiles(files: readonly string[], resolver: ConfigResolver, options: FixOptions, out: (s: string) => void): Promise<number> {
  await loadParser();
  const history = new HistoryCache();
  const created: CreateStep[] = [];
  let applied = 0;
  let changedFiles = 0;
  for (const file of files) {
    const raw = readFileSync(file, 'utf8');
    const bom = raw.startsWith('\uFEFF') ? '\uFEFF' : '';
    const original = raw.slice(bom.length);
    const config = mergeConfig(resolver.forDirectory(dirname(file)).config, options.overrides);
    const baseline = history.baselineFor(file, runnerOf(original, file, config.runner).id, config.runner, config.appliedThrough);
    const sidecars = readSidecars(file);
    const result = fixAll(
      original,
      (text, fixEnv) => analyze(text, { path: file, config, rules: allRules, sidecars, ...(fixEnv ? { fixEnv } : {}), ...(baseline ? { baseline } : {}) }),
      listingOnce(), // files this run creates are added by fixAll
      { rules: options.rules, safeOnly: options.includeReview !== true && options.rules.length === 0, exists: existsSync, pending: created },
    );
    for (const e of result.events) {
      if (e.kind === 'skipped') out(`${rel(file)}: skipped "${e.fix.title}": ${rel(e.clash)} already exists\n`);
      else {
        applied++;
        out(`${rel(file)}: ${e.fix.title}${describeCreates(e.fix)}\n`);
      }
    }
    created.push(...result.created);
    const text = result.text;
    if (text !== original) {
      changedFiles++;
      if (options.dryRun) out(unifiedDiff(rel(file), original, text));
      else writeAtomically(file, bom + text);
    }
  }
  for (const c of created) {
    if (options.dryRun) out(unifiedDiff(rel(c.path), undefined, c.content));
    else {
      mkdirSync(dirname(c.path), { recursive: true }); // Prisma and diesel migrations are directories
      writeFileSync(c.path, c.content, { flag: 'wx' }); // never overwrite
    }
  }
  out(
    `${applied} fix${applied === 1 ? '' : 'es'} ${options.dryRun ? 'would be applied' : 'applied'} in ${changedFiles} file${changedFiles === 1 ? '' : 's'}; ${created.length} new file${created.length === 1 ? '' : 's'}.\n`,
  );
  return 0;
}

function describeCreates(fix: Fix): string {
  const creates = fix.steps.filter((s): s is CreateStep => s.kind === 'create');
  return creates.length ? ` (creates ${creates.map((c) => rel(c.path)).join(', ')})` : '';
}

function rel(p: string): string {
  return relative(process.cwd(), p) || p;
}

/** Temp file in the same directory, then rename: a crash never leaves a half-written migration. */
function writeAtomically(path: string, content: string): void {
  const tmp = join(dirname(path), `.${basename(path)}.pg-migration-guard-${process.pid}.tmp`);
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}
