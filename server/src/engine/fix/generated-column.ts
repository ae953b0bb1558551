/**
 * `ADD COLUMN c … GENERATED ALWAYS AS (expr) STORED` → a plain nullable column kept computed by a
 * BEFORE trigger (same expression, references read from NEW), and a batched backfill for the
 * existing rows. The table is not rewritten; the value is the one the generated column would hold.
 */
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { flag, nodeOfKind, obj } from '../parse/ast';
import { columnDefFacts } from '../effects/ddl-facts';
import { quoteIdent, quoteQualified } from '../text/sql-text';
import { columnFillFix } from './column-fill';
import type { Fix } from './fix';
import type { FixEnvironment } from './placement';
import { soleCommand } from './sole-command';
import { columnRefSpans, docOffset, parenthesized, qualifyColumnRefs, writtenType } from './sql-source';
import { triggerColumnSql, wholeStatement } from './trigger-column';

/** Constraints the recipe can carry over: anything else (UNIQUE, CHECK, REFERENCES) is left to the user. */
const CARRIED = new Set(['generated', 'notnull', 'null']);

export function generatedColumnFix(file: FileView, stmt: Statement, table: string, pgVersion: number, env: FixEnvironment | undefined): Fix | undefined {
  const cmd = soleCommand(stmt, 'AT_AddColumn');
  const def = nodeOfKind(cmd?.['def'], 'ColumnDef');
  const col = columnDefFacts(def);
  const gen = col?.constraints.find((k) => k.kind === 'generated');
  // The backfill commits inside DO: PostgreSQL 11+.
  if (!col || !gen || col.generated !== 'stored' || gen.location === undefined || pgVersion < 11) return undefined;
  if (col.constraints.some((k) => !CARRIED.has(k.kind)) || obj(def, 'collClause')) return undefined;
  const text = file.text;
  const type = writtenType(
    stmt,
    text,
    def?.['typeName'],
    [...col.constraints.map((k) => (k.location === undefined ? undefined : docOffset(stmt, k.location)))],
    stmt.end,
  );
  if (!type) return undefined;
  const head = /GENERATED\s+ALWAYS\s+AS\s*/iy;
  head.lastIndex = docOffset(stmt, gen.location);
  if (!head.exec(text)) return undefined;
  const expr = parenthesized(text, head.lastIndex, stmt.end);
  if (!expr) return undefined;
  const spans = columnRefSpans(stmt, text, col.generatedExpr);
  const reads = [...new Set(spans.map((s) => s.column))];
  const plain = text.slice(expr.start, expr.end).trim();
  const fromRow = qualifyColumnRefs(text, expr.start, expr.end, spans, 'NEW').trim();
  const trigger = triggerColumnSql({ table, column: col.name, value: fromRow, reads, suffix: 'compute', pgVersion });
  const c = quoteIdent(col.name);
  const ifNotExists = flag(cmd, 'missing_ok') ? ' IF NOT EXISTS' : '';
  return columnFillFix(
    file,
    stmt,
    {
      table,
      column: col.name,
      here: [
        `ALTER TABLE ${quoteQualified(table)} ADD COLUMN${ifNotExists} ${c} ${type};`,
        wholeStatement(file.runner.id, trigger.createFunction),
        trigger.createTrigger,
      ],
      backfill: {
        value: plain,
        // Rows whose expression is NULL stay NULL and are not rewritten on every run.
        pending: `${c} IS NULL AND (${plain}) IS NOT NULL`,
        purpose: `computes (${plain}) for the rows that existed before the trigger`,
      },
      notNull: col.notNull,
      title: `Add ${col.name} as a plain column computed by trigger ${trigger.triggerName} (no table rewrite)`,
    },
    env,
  );
}
