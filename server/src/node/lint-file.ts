/** Reads one migration from disk and analyses it with its folder's configuration and sidecars. */
import { dirname } from 'node:path';
import { allRules } from '../../../rules';
import { analyze, type Analysis, type ConfigError, type GuardConfig, mergeConfig, type ParseCache, runnerOf } from '../engine';
import type { ConfigResolver } from './config-loader';
import type { HistoryCache } from './history';
import { readSidecars } from './sidecars';

export interface FileResult {
  path: string;
  analysis: Analysis;
  configPath: string | undefined;
  configErrors: ConfigError[];
}

export function lintFile(path: string, resolver: ConfigResolver, history: HistoryCache, overrides: Partial<GuardConfig> = {}, cache?: ParseCache): FileResult {
  const loaded = resolver.forDirectory(dirname(path));
  const text = history.textOf(path);
  const config = mergeConfig(loaded.config, overrides);
  const baseline = history.baselineFor(path, runnerOf(text, path, config.runner).id, config.runner, config.appliedThrough);
  const analysis = analyze(text, {
    path,
    config,
    rules: allRules,
    sidecars: readSidecars(path),
    cache: cache ?? history.parseCache,
    ...(baseline ? { baseline } : {}),
  });
  return { path, analysis, configPath: loaded.path, configErrors: loaded.errors };
}
