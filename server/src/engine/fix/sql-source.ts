/**
 * Reading expressions back out of the statement's own text (so the user's spelling, casts and
 * comments survive) and rewriting the column references in them, for fixes that move an
 * expression into a trigger or a backfill.
 */
import { isObj, list, names, num } from '../parse/ast';
import type { Statement } from '../model/statement';
import { byteToCharOffset } from '../text/line-index';
import { quoteIdent } from '../text/sql-text';

/** Document offset of an AST byte location inside `stmt`. */
export function docOffset(stmt: Statement, byteLocation: number): number {
  return stmt.parsedOffset + byteToCharOffset(stmt.parsedText, byteLocation);
}

/** Index just past a quoted run starting at `i` (`'…'`, `"…"`, with doubled quotes), or `limit`. */
function skipQuoted(text: string, i: number, limit: number): number {
  const q = text[i];
  let j = i + 1;
  while (j < limit) {
    if (text[j] === q) {
      if (text[j + 1] === q) j += 2;
      else return j + 1;
    } else j++;
  }
  return limit;
}

/** The range inside the parentheses that open at `open` (exclusive of both parentheses). */
export function parenthesized(text: string, open: number, limit: number): { start: number; end: number } | undefined {
  if (text[open] !== '(') return undefined;
  let depth = 0;
  for (let i = open; i < limit;) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = skipQuoted(text, i, limit);
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return { start: open + 1, end: i };
    i++;
  }
  return undefined;
}

/** The first match of a keyword (`/\bUSING\b/`) at parenthesis depth 0, outside quotes, from `from`. */
export function keywordAtDepthZero(text: string, keyword: RegExp, from: number, limit: number): number | undefined {
  const re = new RegExp(keyword.source, 'iy');
  let depth = 0;
  for (let i = from; i < limit;) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      i = skipQuoted(text, i, limit);
      continue;
    }
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (depth === 0) {
      re.lastIndex = i;
      if (re.test(text) && !/[\w$]/.test(text[i - 1] ?? '')) return i;
    }
    i++;
  }
  return undefined;
}

export interface ColumnRefSpan {
  start: number;
  end: number;
  column: string;
}

const IDENT = String.raw`(?:"(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)`;
const REF_CHAIN = new RegExp(`${IDENT}(?:\\s*\\.\\s*${IDENT})*`, 'y');

/** Where each column reference of an expression is written, as document ranges. */
export function columnRefSpans(stmt: Statement, text: string, expr: unknown, out: ColumnRefSpan[] = []): ColumnRefSpan[] {
  if (Array.isArray(expr)) {
    for (const e of expr) columnRefSpans(stmt, text, e, out);
    return out;
  }
  if (!isObj(expr)) return out;
  const ref = expr['ColumnRef'];
  if (isObj(ref)) {
    const parts = names(list(ref, 'fields'));
    const column = parts[parts.length - 1];
    const loc = num(ref, 'location');
    if (column !== undefined && loc !== undefined) {
      const start = docOffset(stmt, loc);
      REF_CHAIN.lastIndex = start;
      const m = REF_CHAIN.exec(text);
      if (m) out.push({ start, end: start + m[0].length, column });
    }
    return out;
  }
  for (const v of Object.values(expr)) columnRefSpans(stmt, text, v, out);
  return out;
}

/** `text[start, end)` with every column reference inside it written as `prefix.column`. */
export function qualifyColumnRefs(text: string, start: number, end: number, spans: readonly ColumnRefSpan[], prefix: string): string {
  let out = '';
  let at = start;
  for (const s of [...spans].filter((x) => x.start >= start && x.end <= end).sort((a, b) => a.start - b.start)) {
    out += text.slice(at, s.start) + `${prefix}.${quoteIdent(s.column)}`;
    at = s.end;
  }
  return out + text.slice(at, end);
}

/** A dollar-quote tag (`$fn$`) that does not occur in `body`. */
export function dollarTag(base: string, body: string): string {
  let tag = `$${base}$`;
  for (let n = 1; body.includes(tag); n++) tag = `$${base}${n}$`;
  return tag;
}

/** `'text'` with quotes doubled. */
export function quoteLiteral(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/**
 * A column's type as written: from the type name to the first thing after it (a constraint, a
 * COLLATE or USING clause, the end of the statement), so `timestamptz`, `numeric(12, 2)` and
 * `double precision[]` come back whole and unchanged.
 */
export function writtenType(stmt: Statement, text: string, typeName: unknown, ends: ReadonlyArray<number | undefined>, limit: number): string | undefined {
  const loc = isObj(typeName) ? num(typeName, 'location') : undefined;
  if (loc === undefined) return undefined;
  const start = docOffset(stmt, loc);
  const end = Math.min(limit, ...ends.filter((e): e is number => e !== undefined && e > start));
  const type = text.slice(start, end).trim();
  return type.length > 0 ? type : undefined;
}
