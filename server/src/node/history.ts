/**
 * The migrations that run before a file, in its runner's order, read from disk and replayed into a
 * baseline schema. Cached per file on the list of earlier files and their modification times.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildBaseline, compareVersions, type MigrationText, ParseCache, type RunnerId, SchemaModel } from '../engine';

export { compareVersions };

function sqlFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.toLowerCase().endsWith('.sql'));
  } catch {
    return [];
  }
}

function subdirFiles(parent: string, file: string): string[] {
  try {
    return readdirSync(parent, { withFileTypes: true })
      .filter((e) => e.isDirectory() && existsSync(join(parent, e.name, file)))
      .map((e) => e.name)
      .sort(compareVersions)
      .map((d) => join(parent, d, file));
  } catch {
    return [];
  }
}

function sqitchOrder(deployDir: string): string[] {
  const plan = join(dirname(deployDir), 'sqitch.plan');
  const files = sqlFiles(deployDir);
  if (!existsSync(plan)) return files.sort().map((f) => join(deployDir, f));
  const order = readFileSync(plan, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('%') && !l.startsWith('#') && !l.startsWith('@'))
    .map((l) => l.split(/\s+/)[0] ?? '');
  return order.filter((name) => files.includes(`${name}.sql`)).map((name) => join(deployDir, `${name}.sql`));
}

/** Every migration of the folder in the order the runner applies them (the file itself included). */
export function migrationOrder(path: string, runner: RunnerId): string[] {
  const dir = dirname(path);
  switch (runner) {
    case 'prisma':
      return subdirFiles(dirname(dir), 'migration.sql');
    case 'diesel':
      return subdirFiles(dirname(dir), 'up.sql');
    case 'golang-migrate':
      return sqlFiles(dir)
        .filter((f) => /\.up\.sql$/i.test(f))
        .sort(compareVersions)
        .map((f) => join(dir, f));
    case 'flyway':
      return sqlFiles(dir)
        .filter((f) => /^V/.test(f))
        .sort((a, b) => compareVersions(a.replace(/__.*/, '').replace(/_/g, '.'), b.replace(/__.*/, '').replace(/_/g, '.')))
        .map((f) => join(dir, f));
    case 'sqitch':
      return sqitchOrder(basename(dir) === 'deploy' ? dir : join(dirname(dir), 'deploy'));
    default:
      return sqlFiles(dir)
        .sort(compareVersions)
        .map((f) => join(dir, f));
  }
}

/** For a down/revert file, its up counterpart is part of the history too. */
function historyFor(path: string, runner: RunnerId, orderOf: (anchor: string, runner: RunnerId) => string[] = migrationOrder): string[] {
  let anchor = path;
  if (runner === 'golang-migrate') anchor = path.replace(/\.down\.sql$/i, '.up.sql');
  if (runner === 'diesel') anchor = join(dirname(path), 'up.sql');
  if (runner === 'sqitch') anchor = join(dirname(dirname(path)), 'deploy', basename(path));
  const order = orderOf(anchor, runner);
  const i = order.indexOf(anchor);
  if (i === -1) return [];
  // A down file runs after its own up: include the up file itself.
  return order.slice(0, anchor === path ? i : i + 1);
}

export class HistoryCache {
  /** Baseline before each file, with the signature (paths + mtimes) of the files it replayed. */
  private readonly before = new Map<string, { signature: string; baseline: SchemaModel }>();
  private readonly texts = new Map<string, { mtimeMs: number; text: string }>();
  /** Shared with the lint of the folder's files (`lintFile`): each statement is parsed once per run. */
  readonly parseCache = new ParseCache(100_000);

  /** stat() results and folder orders are trusted this long: one stat per file per lint run, not per pair. */
  private static readonly FRESH_MS = 2_000;
  private readonly stats = new Map<string, { at: number; mtimeMs: number }>();
  private readonly orders = new Map<string, { at: number; order: string[] }>();

  private mtime(path: string): number {
    const now = Date.now();
    const hit = this.stats.get(path);
    if (hit && now - hit.at < HistoryCache.FRESH_MS) return hit.mtimeMs;
    const mtimeMs = statSync(path).mtimeMs;
    this.stats.set(path, { at: now, mtimeMs });
    return mtimeMs;
  }

  private order(anchor: string, runner: RunnerId): string[] {
    const k = `${runner}\u0000${dirname(anchor)}`;
    const now = Date.now();
    const hit = this.orders.get(k);
    if (hit && now - hit.at < HistoryCache.FRESH_MS && hit.order.includes(anchor)) return hit.order;
    const order = migrationOrder(anchor, runner);
    this.orders.set(k, { at: now, order });
    return order;
  }

  private read(path: string): (MigrationText & { mtimeMs: number }) | undefined {
    try {
      const mtimeMs = this.mtime(path);
      const hit = this.texts.get(path);
      if (hit && hit.mtimeMs === mtimeMs) return { path, text: hit.text, mtimeMs };
      const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
      this.texts.set(path, { mtimeMs, text });
      return { path, text, mtimeMs };
    } catch {
      return undefined;
    }
  }

  /** The text of a migration, read once per lint run (the history replay and the lint share it). */
  textOf(path: string): string {
    const f = this.read(path);
    if (!f) return readFileSync(path, 'utf8').replace(/^\uFEFF/, ''); // throws the read error for the caller
    return f.text;
  }

  /**
   * The schema before `path`. Built incrementally: the baseline of the k-th migration is the
   * (cached) baseline of the (k-1)-th plus that file, so linting a folder replays each file once.
   */
  baselineFor(path: string, runner: RunnerId, override?: RunnerId, appliedThrough?: string): SchemaModel | undefined {
    const earlier = historyFor(path, runner, (anchor, r) => this.order(anchor, r));
    if (earlier.length === 0) return undefined;
    const files = earlier.map((p) => this.read(p)).filter((f): f is MigrationText & { mtimeMs: number } => f !== undefined);
    const signatures: string[] = [];
    let sig = `applied:${appliedThrough ?? ''}|`;
    for (const f of files) {
      sig += `${f.path}:${f.mtimeMs}|`;
      signatures.push(sig);
    }
    const own = this.before.get(path);
    if (own && own.signature === signatures[signatures.length - 1]) {
      this.remember(path, own);
      return own.baseline;
    }
    // Longest prefix whose baseline is cached: the entry "before files[k]" has signature of files[0..k-1].
    let model: SchemaModel | undefined;
    let from = 0;
    for (let k = files.length - 1; k >= 1; k--) {
      const hit = this.before.get((files[k] as MigrationText).path);
      if (hit && hit.signature === signatures[k - 1]) {
        model = hit.baseline;
        from = k;
        break;
      }
    }
    let current = model ?? new SchemaModel();
    for (let k = from; k < files.length; k++) {
      current = buildBaseline([files[k] as MigrationText], this.parseCache, override, current.clone(), appliedThrough);
      const next = k + 1 < files.length ? (files[k + 1] as MigrationText).path : path;
      this.remember(next, { signature: signatures[k] ?? '', baseline: current });
    }
    return current;
  }

  /** Keeps the most recent snapshots only: linting in order needs the previous one, an editor its open files'. */
  private remember(path: string, entry: { signature: string; baseline: SchemaModel }): void {
    this.before.delete(path);
    this.before.set(path, entry);
    while (this.before.size > HistoryCache.MAX_SNAPSHOTS) {
      const oldest = this.before.keys().next().value;
      if (oldest === undefined) break;
      this.before.delete(oldest);
    }
  }

  private static readonly MAX_SNAPSHOTS = 32;

  clear(): void {
    this.before.clear();
    this.texts.clear();
    this.stats.clear();
    this.orders.clear();
  }
}
