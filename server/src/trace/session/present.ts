/**
 * How a trace is shown: the CLI's text tables, the one-line hover annotation, and the rows of the
 * checklist's "time it against prod-sized data" table. Pure functions of the report.
 */
import type { ChecklistTrace, TracedRelation, TracedStatement, TraceReport } from '../../../../protocol/protocol';

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms - m * 60_000) / 1000)} s`;
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US');

function work(r: TracedRelation): string {
  const parts = [r.rewrite ? 'rewrite' : '', r.indexBuild ? 'index build' : '', r.scan && !r.rewrite ? 'full scan' : '', r.created ? 'created' : ''].filter(
    Boolean,
  );
  return parts.join(', ') || '-';
}

const isTable = (r: TracedRelation): boolean => r.kind === 'table' || r.kind === 'matview';

/**
 * Relations worth a row: tables and matviews locked or worked on; other relations (indexes,
 * sequences) only when they were built or when no table was touched. An index locked along with
 * its table's rewrite adds nothing.
 */
function shown(s: TracedStatement): TracedRelation[] {
  const active = s.relations.filter((r) => r.lock || r.rewrite || r.scan || r.indexBuild);
  const tables = active.filter(isTable);
  return [...tables, ...active.filter((r) => !isTable(r) && (r.indexBuild || r.created || tables.length === 0))];
}

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `    ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`.trimEnd());
}

function verdict(s: TracedStatement): string {
  if (!s.ok) return `FAILED: ${s.error ?? 'error'}`;
  if (!s.compared) return 'not compared';
  return s.mismatches.length === 0 ? 'agrees with the prediction' : `DISAGREES with the prediction (${s.mismatches.length})`;
}

const TX: Record<TracedStatement['transaction'], string> = {
  runner: "runner's transaction",
  explicit: 'BEGIN … COMMIT in the file',
  implicit: 'implicit transaction',
  none: 'no transaction block',
};

export function formatTraceText(report: TraceReport, displayPath: string): string {
  const out: string[] = [];
  const t = report.target;
  out.push(`${displayPath} (${report.runner}) traced on ${t.description}; prediction for PostgreSQL ${t.predictedFor}`);
  const setup: string[] = [];
  if (t.mode === 'embedded')
    setup.push(t.startMs > 0 ? `server started in ${formatMs(t.startMs)}${t.initdb ? ' (first start, initdb included)' : ''}` : 'server already running');
  if (report.history.files > 0)
    setup.push(`${report.history.files} earlier migrations (${report.history.statements} statements) in ${formatMs(report.history.ms)}`);
  if (report.filled.length > 0)
    setup.push(`generated ${report.filled.map((f) => `${f.table} ${count(f.rows)} rows`).join(', ')} in ${formatMs(report.fillMs)}`);
  if (setup.length) out.push(`  ${setup.join(' · ')}`);
  out.push('');
  for (const s of report.statements) {
    out.push(`line ${s.line}  ${s.excerpt}`);
    out.push(`  ${TX[s.transaction]} · ${formatMs(s.elapsedMs)} · ${verdict(s)}`);
    const rels = shown(s);
    if (rels.length > 0) {
      const rows = [['relation', 'lock', 'held', 'work', 'rows before']];
      for (const r of rels)
        rows.push([
          r.relation + (r.kind !== 'table' ? ` (${r.kind})` : ''),
          (r.lock ?? '-') + (r.alreadyHeld ? ' (already held)' : ''),
          r.heldMs !== null ? formatMs(r.heldMs) : '-',
          work(r),
          r.rowsBefore !== null && r.rowsBefore >= 0 ? count(r.rowsBefore) : '-',
        ]);
      out.push(...table(rows));
    }
    for (const m of s.mismatches) out.push(`    ✗ ${m.relation} ${m.field}: predicted ${m.claimed}, observed ${m.observed}`);
    out.push('');
  }
  for (const n of report.notes) out.push(`note: ${n}`);
  const cleanup = report.cleanup === 'scratch-database-dropped' ? 'scratch database dropped' : 'transaction rolled back';
  out.push(
    `${report.statements.length} statements traced in ${formatMs(report.totalMs)}; ${report.disagreements === 0 ? 'no disagreement with the prediction' : `${report.disagreements} disagreement(s) with the prediction`}; ${cleanup}.`,
  );
  return `${out.join('\n')}\n`;
}

/** "Traced: ACCESS EXCLUSIVE on events for 2.3 s, rewrote events (1,150,000 rows)". */
export function hoverAnnotation(s: TracedStatement): string {
  if (!s.ok) return `Traced: failed after ${formatMs(s.elapsedMs)}: ${s.error ?? 'error'}`;
  const tables = s.relations.filter((r) => (r.kind === 'table' || r.kind === 'matview') && !r.created);
  const locks = tables
    .filter((r) => r.lock && r.lock !== 'ACCESS SHARE')
    .map((r) => `${r.lock} on ${r.relation}${r.heldMs !== null ? ` for ${formatMs(r.heldMs)}` : ''}`);
  const rows = (r: TracedRelation): string => (r.rowsBefore !== null && r.rowsBefore >= 0 ? ` (${count(r.rowsBefore)} rows)` : '');
  const workDone = tables.flatMap((r) => [
    ...(r.rewrite ? [`rewrote ${r.relation}${rows(r)}`] : []),
    ...(r.indexBuild ? [`built an index on ${r.relation}${rows(r)}`] : []),
    ...(r.scan && !r.rewrite ? [`scanned ${r.relation}${rows(r)}`] : []),
  ]);
  const parts = [...locks, ...workDone];
  const body = parts.length ? parts.join(', ') : `no table lock beyond ACCESS SHARE, ${formatMs(s.elapsedMs)}`;
  const agreement = !s.compared
    ? ''
    : s.mismatches.length === 0
      ? ' · matches the prediction'
      : ` · differs from the prediction: ${s.mismatches.map((m) => `${m.relation} ${m.field} ${m.claimed} → ${m.observed}`).join('; ')}`;
  return `Traced: ${body}${agreement}`;
}

/** The checklist's timing table: one row per statement that locked or worked on a table. */
export function checklistTrace(report: TraceReport, when: Date = new Date()): ChecklistTrace {
  const rows: string[][] = [];
  for (const s of report.statements) {
    for (const r of shown(s).filter((x) => x.kind === 'table' || x.kind === 'matview')) {
      rows.push([
        String(s.line),
        s.excerpt.slice(0, 60),
        r.relation,
        r.lock ?? '-',
        r.heldMs !== null ? formatMs(r.heldMs) : '-',
        work(r),
        r.rowsBefore !== null && r.rowsBefore >= 0 ? count(r.rowsBefore) : '-',
        formatMs(s.elapsedMs),
        !s.ok ? 'failed' : !s.compared ? '-' : s.mismatches.length === 0 ? 'yes' : 'no',
      ]);
    }
    if (!s.ok && shown(s).length === 0) rows.push([String(s.line), s.excerpt.slice(0, 60), '-', '-', '-', '-', '-', formatMs(s.elapsedMs), 'failed']);
  }
  const stamp = when.toISOString().slice(0, 16).replace('T', ' ');
  const where = report.target.mode === 'embedded' ? 'embedded' : 'configured database, rolled back';
  return {
    source: `PostgreSQL ${report.target.serverVersion} (${where}), ${stamp}`,
    columns: ['line', 'statement', 'table', 'lock', 'held', 'work', 'rows', 'elapsed', 'as predicted'],
    rows,
  };
}
