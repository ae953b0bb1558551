/**
 * Which migration runner will execute a file, from its path, its directive comments and its
 * sidecar files (Flyway `.sql.conf`, diesel `metadata.toml`). The runner decides the transaction
 * each statement runs in, which is what makes CONCURRENTLY succeed or fail.
 */
import type { SqlComment } from '../parse/split';
import { baseName } from '../text/file-path';

export const RUNNER_IDS = ['dbmate', 'goose', 'golang-migrate', 'flyway', 'prisma', 'diesel', 'atlas', 'sqitch', 'plain'] as const;
export type RunnerId = (typeof RUNNER_IDS)[number];

export function isRunnerId(x: unknown): x is RunnerId {
  return typeof x === 'string' && (RUNNER_IDS as readonly string[]).includes(x);
}

/** Files next to the migration that change how the runner executes it (read by the IO layer). */
export interface Sidecars {
  /** Contents of Flyway's `<script>.sql.conf`. */
  flywayConf?: string;
  /** Contents of diesel's `metadata.toml` in the migration directory. */
  dieselMetadata?: string;
}

export interface RunnerInfo {
  id: RunnerId;
  /** Why we think so, for hovers and `--format json` consumers. */
  reason: string;
  /** The version the runner records in its ledger, when the file name carries one. */
  version?: string;
}

const DBMATE = /^--\s*migrate:(?:up|down)\b/i;
const GOOSE = /^--\s*\+goose\s+(?:up|down|no\s+transaction|statementbegin|statementend|envsub)\b/i;
const ATLAS = /^--\s*atlas:txmode\b/i;

function parentName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 2] ?? '';
}

export function detectRunner(path: string | undefined, comments: readonly SqlComment[], override?: RunnerId): RunnerInfo {
  const p = path ?? '';
  const file = baseName(p);
  const version = versionFromName(file, p);
  const withVersion = (info: Omit<RunnerInfo, 'version'>, v: string | undefined = version): RunnerInfo => (v !== undefined ? { ...info, version: v } : info);

  if (override) return withVersion({ id: override, reason: 'runner set in configuration' }, versionFor(override, file, p));

  for (const c of comments) {
    if (c.kind !== 'line') continue;
    if (DBMATE.test(c.text)) return withVersion({ id: 'dbmate', reason: '`-- migrate:up` directive' }, versionFor('dbmate', file, p));
    if (GOOSE.test(c.text)) return withVersion({ id: 'goose', reason: '`-- +goose` annotation' }, versionFor('goose', file, p));
    if (ATLAS.test(c.text)) return withVersion({ id: 'atlas', reason: '`-- atlas:txmode` directive' }, versionFor('atlas', file, p));
  }
  if (/^[VUR]\d*(?:[._]\d+)*__.+\.sql$/.test(file) || /^R__.+\.sql$/.test(file)) {
    return withVersion({ id: 'flyway', reason: 'Flyway file name (V<version>__<description>.sql)' }, versionFor('flyway', file, p));
  }
  if (/^\d+_.+\.(?:up|down)\.sql$/i.test(file)) {
    return withVersion({ id: 'golang-migrate', reason: 'golang-migrate file name (<version>_<name>.up.sql)' }, versionFor('golang-migrate', file, p));
  }
  if (file === 'migration.sql' && /^\d{14}_/.test(parentName(p))) {
    return withVersion({ id: 'prisma', reason: 'Prisma layout (migrations/<timestamp>_<name>/migration.sql)' }, versionFor('prisma', file, p));
  }
  if ((file === 'up.sql' || file === 'down.sql') && /^\d/.test(parentName(p))) {
    return withVersion({ id: 'diesel', reason: 'diesel layout (migrations/<version>_<name>/up.sql)' }, versionFor('diesel', file, p));
  }
  if (/[\\/](?:deploy|revert|verify)[\\/][^\\/]+\.sql$/.test(p)) {
    return withVersion({ id: 'sqitch', reason: 'sqitch layout (deploy/, revert/, verify/)' }, undefined);
  }
  return withVersion({ id: 'plain', reason: 'no runner markers: statements run one by one, as psql -f does' }, undefined);
}

function versionFromName(file: string, _path: string): string | undefined {
  const m = /^(\d+)/.exec(file);
  return m ? m[1] : undefined;
}

/** The ledger version each runner derives from the file name. */
export function versionFor(id: RunnerId, file: string, path: string): string | undefined {
  switch (id) {
    case 'dbmate':
    case 'goose':
    case 'golang-migrate':
    case 'atlas':
      return /^(\d+)/.exec(file)?.[1];
    case 'flyway':
      return /^[VU]([\d._]+)__/.exec(file)?.[1]?.replace(/_/g, '.');
    case 'prisma':
      return parentName(path) || undefined;
    case 'diesel':
      return /^([\d-]+)_/.exec(parentName(path))?.[1]?.replace(/-/g, '');
    default:
      return undefined;
  }
}
