/** Small helpers rules share: where to underline, how big a table is, what severity that implies. */
import type { Severity } from '../config';
import type { Effect } from '../effects/effect';
import type { Statement } from '../model/statement';
import type { FileView, RuleContext } from './rule';

/** Document range of the first match of `pattern` in the statement text (e.g. the `CREATE INDEX` keywords). */
export function keywordRange(stmt: Statement, pattern: RegExp): { start: number; end: number } {
  const m = pattern.exec(stmt.text);
  if (!m) return { start: stmt.start, end: stmt.end };
  return { start: stmt.start + m.index, end: stmt.start + m.index + m[0].length };
}

/**
 * An identifier as written, for patterns passed to `namedMatchRange`: a double-quoted name or a
 * bare word (one capture group).
 */
export const IDENT_TOKEN = String.raw`("(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)`;

/** A token as written names `name`: quoted, exactly; bare, folded to lower case as PostgreSQL folds it. */
export function namesIdentifier(token: string, name: string): boolean {
  return token.startsWith('"') ? token.slice(1, -1).replace(/""/g, '"') === name : token.toLowerCase() === name;
}

/**
 * Document range of the `n`-th match of `pattern` whose identifier (its first capture group, see
 * IDENT_TOKEN) names `name`, e.g. the `DROP COLUMN legacy` of one column among several. `pattern`
 * must have the `g` flag and is built once: a pattern built per name is compiled again for every
 * statement (about 50 µs each, a tenth of the CLI's time on a large file).
 */
export function namedMatchRange(stmt: Statement, pattern: RegExp, name: string, n = 0): { start: number; end: number } | undefined {
  pattern.lastIndex = 0;
  let seen = 0;
  for (let m = pattern.exec(stmt.text); m; m = pattern.exec(stmt.text)) {
    if (!namesIdentifier(m[1] ?? '', name) || seen++ !== n) continue;
    pattern.lastIndex = 0;
    return { start: stmt.start + m.index, end: stmt.start + m.index + m[0].length };
  }
  return undefined;
}

/** From `offset` to the end of its line, within the statement. */
export function lineRangeFrom(stmt: Statement, offset: number): { start: number; end: number } {
  const start = Math.max(stmt.start, Math.min(offset, stmt.end));
  const nl = stmt.text.indexOf('\n', start - stmt.start);
  const end = nl === -1 ? stmt.end : stmt.start + nl;
  return { start, end: Math.max(end, start + 1) };
}

export function formatRows(rows: number): string {
  // Trailing zeros go only after a decimal point: 1.50M → 1.5M, but 100k stays 100k.
  const short = (n: number, digits: number): string => {
    const s = n.toFixed(digits);
    return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
  };
  if (rows >= 1e9) return `${short(rows / 1e9, rows >= 1e10 ? 0 : 2)}B`;
  if (rows >= 1e6) return `${short(rows / 1e6, rows >= 1e7 ? 0 : 2)}M`;
  if (rows >= 1e3) return `${short(rows / 1e3, rows >= 1e4 ? 0 : 1)}k`;
  return String(rows);
}

/** 1.2 GB, 45 MB, 512 kB (binary units, as pg_size_pretty counts them). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const n = i === 0 || v >= 10 ? String(Math.round(v)) : v.toFixed(1).replace(/\.0$/, '');
  return `${n} ${units[i]}`;
}

/**
 * " (events: ~1.15M rows per pg-migration-guard.json)", " (events: ~1.15M rows (1.2 GB) per the
 * database)" or "".
 */
export function sizeNote(ctx: RuleContext, table: string): string {
  const size = ctx.sizeOf(table);
  if (size?.source === 'database') {
    const rows = size.rows !== undefined ? `~${formatRows(size.rows)} rows` : undefined;
    const bytes = size.bytes !== undefined ? formatBytes(size.bytes) : undefined;
    if (rows === undefined && bytes === undefined) return '';
    const amount = rows !== undefined && bytes !== undefined ? `${rows} (${bytes})` : (rows ?? bytes);
    return ` (${table}: ${amount} per the database)`;
  }
  if (size?.rows === undefined) return '';
  return ` (${table}: ~${formatRows(size.rows)} rows per pg-migration-guard.json)`;
}

/**
 * O(rows) work under a blocking lock: an error on a table known to be large, info on one known to
 * be small, the rule's default when the size is unknown.
 */
export function severityForSize(ctx: RuleContext, table: string, fallback: Severity): Severity {
  const rows = ctx.sizeOf(table)?.rows;
  if (rows === undefined) return fallback;
  return rows > ctx.file.config.largeTableRows ? 'error' : 'info';
}

/** The effect on a table that existed before this migration, if any. */
export function existingTableEffect(stmt: Statement, relation?: string): Effect | undefined {
  return stmt.effects.find((e) => !e.createdInFile && e.relationKind !== 'index' && (relation === undefined || e.relation === relation));
}

/** 1-based line of a document offset, as editors count lines (messages quote other statements' lines). */
export function lineOf(file: FileView, offset: number): number {
  return file.lines.positionAt(Math.min(offset, file.text.length)).line + 1;
}
