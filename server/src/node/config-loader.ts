/**
 * Finds and reads `pg-migration-guard.json` by walking up from a migration file. The CLI and the
 * language server both use this, so the editor and CI always agree on the configuration.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type ConfigError, defaultConfig, type GuardConfig, validateConfig } from '../engine';

export const CONFIG_FILE = 'pg-migration-guard.json';

export interface LoadedConfig {
  config: GuardConfig;
  /** Absolute path of the file read, if one was found. */
  path: string | undefined;
  /** Directory the migration globs are relative to. */
  root: string;
  errors: ConfigError[];
}

export function findConfigFile(startDir: string): string | undefined {
  let dir = resolve(startDir);
  for (;;) {
    const candidate = join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

export function readConfigFile(path: string, knownRules: ReadonlySet<string>): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { config: defaultConfig(), path, root: dirname(path), errors: [{ key: '(file)', message: `cannot read ${path}: ${(err as Error).message}` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { config: defaultConfig(), path, root: dirname(path), errors: [{ key: '(file)', message: `${path} is not valid JSON: ${(err as Error).message}` }] };
  }
  const { config, errors } = validateConfig(json, knownRules);
  return { config, path, root: dirname(path), errors };
}

/** Config for a file or directory, cached per config file path. */
export class ConfigResolver {
  private readonly cache = new Map<string, LoadedConfig>();

  constructor(
    private readonly knownRules: ReadonlySet<string>,
    private readonly explicitPath?: string,
  ) {}

  forDirectory(dir: string): LoadedConfig {
    const path = this.explicitPath ? resolve(this.explicitPath) : findConfigFile(dir);
    if (!path) return { config: defaultConfig(), path: undefined, root: resolve(dir), errors: [] };
    let hit = this.cache.get(path);
    if (!hit) {
      hit = readConfigFile(path, this.knownRules);
      this.cache.set(path, hit);
    }
    return hit;
  }

  clear(): void {
    this.cache.clear();
  }
}
