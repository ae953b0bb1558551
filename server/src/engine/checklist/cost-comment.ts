/**
 * The header comment that records how long a migration took on production-sized data:
 * `-- cost: 38 s measured on 1.15M rows, 2026-11-21`. Parsed from the file's leading comments and
 * written (inserted or updated) from the checklist's measured fields.
 */
import type { SqlComment } from '../parse/split';
import { formatRows } from '../lint/helpers';

export interface CostMeasurement {
  seconds: number;
  rows: number;
  /** `YYYY-MM-DD`. */
  date: string;
}

export interface ParsedCostComment {
  /** UTF-16 offsets of the comment (without its line break). */
  start: number;
  end: number;
  text: string;
  seconds?: number;
  rows?: number;
  date?: string;
}

const COST = /^--\s*cost:\s*(.*)$/i;
const MEASURED = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|seconds?|min|minutes?|h)?\s+measured\s+on\s+(\d+(?:\.\d+)?)\s*([kmb])?\s+rows\b(?:\s*,\s*(\d{4}-\d{2}-\d{2}))?/i;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, sec: 1, second: 1, seconds: 1, min: 60, minute: 60, minutes: 60, h: 3600 };
const ROW_FACTOR: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };

/** The first `-- cost:` line comment before the first statement (the header), if any. */
export function findCostComment(comments: readonly SqlComment[], firstStatementStart: number): ParsedCostComment | undefined {
  for (const c of comments) {
    if (c.start >= firstStatementStart) break;
    if (c.kind !== 'line' || !c.ownLine) continue;
    const m = COST.exec(c.text);
    if (!m) continue;
    const found: ParsedCostComment = { start: c.start, end: c.end, text: c.text };
    const v = MEASURED.exec((m[1] ?? '').trim());
    if (v) {
      found.seconds = Number(v[1]) * (UNIT_SECONDS[(v[2] ?? 's').toLowerCase()] ?? 1);
      found.rows = Math.round(Number(v[3]) * (ROW_FACTOR[(v[4] ?? '').toLowerCase()] ?? 1));
      if (v[5]) found.date = v[5];
    }
    return found;
  }
  return undefined;
}

/** `-- cost: 38 s measured on 1.15M rows, 2026-11-21`. */
export function costCommentText(m: CostMeasurement): string {
  const s = m.seconds >= 10 ? String(Math.round(m.seconds)) : String(Math.round(m.seconds * 100) / 100);
  return `-- cost: ${s} s measured on ${formatRows(Math.round(m.rows))} rows, ${m.date}`;
}

/** Valid measurement: finite, non-negative numbers and a real calendar date. */
export function isCostMeasurement(m: CostMeasurement): boolean {
  if (!Number.isFinite(m.seconds) || m.seconds < 0 || !Number.isFinite(m.rows) || m.rows < 0) return false;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(m.date)) return false;
  const d = new Date(`${m.date}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === m.date;
}

/** The edit that writes the comment: replaces the existing header line, or inserts it as the file's first line. */
export function costCommentEdit(text: string, existing: ParsedCostComment | undefined, m: CostMeasurement): { start: number; end: number; newText: string } {
  const line = costCommentText(m);
  if (existing) return { start: existing.start, end: existing.end, newText: line };
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  // Keep a byte-order mark first.
  const at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { start: at, end: at, newText: `${line}${eol}` };
}
