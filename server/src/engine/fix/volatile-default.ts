/**
 * `ADD COLUMN c … DEFAULT <volatile>` → the column without a default (catalog only), the default set
 * afterwards (it applies to new rows only, so nothing is rewritten), and a batched backfill that
 * evaluates the default for the existing rows.
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
import { docOffset, writtenType } from './sql-source';

const CARRIED = new Set(['default', 'notnull', 'null']);

/** The default expression exactly as written: from after DEFAULT to the next constraint or the end of the statement. */
function writtenDefault(text: string, stmt: Statement, location: number | undefined, ends: ReadonlyArray<number | undefined>): string | undefined {
  if (location === undefined) return undefined;
  const kw = /DEFAULT\s+/iy;
  kw.lastIndex = docOffset(stmt, location);
  if (!kw.exec(text)) return undefined;
  const start = kw.lastIndex;
  const bodyEnd = stmt.start + stmt.text.replace(/\s*;\s*$/, '').length;
  const end = Math.min(bodyEnd, ...ends.filter((e): e is number => e !== undefined && e > start));
  const expr = text.slice(start, end).trim();
  return expr.length > 0 ? expr : undefined;
}

export function volatileDefaultFix(file: FileView, stmt: Statement, table: string, pgVersion: number, env: FixEnvironment | undefined): Fix | undefined {
  const cmd = soleCommand(stmt, 'AT_AddColumn');
  const def = nodeOfKind(cmd?.['def'], 'ColumnDef');
  const col = columnDefFacts(def);
  if (!col || col.defaultExpr === undefined || pgVersion < 11) return undefined;
  if (col.constraints.some((k) => !CARRIED.has(k.kind)) || obj(def, 'collClause')) return undefined;
  const ends = col.constraints.map((k) => (k.location === undefined ? undefined : docOffset(stmt, k.location)));
  const type = writtenType(stmt, file.text, def?.['typeName'], ends, stmt.end);
  const defaultExpr = writtenDefault(file.text, stmt, col.constraints.find((k) => k.kind === 'default')?.location, ends);
  if (!type || !defaultExpr) return undefined;
  const t = quoteQualified(table);
  const c = quoteIdent(col.name);
  const ifNotExists = flag(cmd, 'missing_ok') ? ' IF NOT EXISTS' : '';
  return columnFillFix(
    file,
    stmt,
    {
      table,
      column: col.name,
      // One statement: ADD COLUMN stores no default, so nothing is rewritten; SET DEFAULT then only affects new rows.
      here: [`ALTER TABLE ${t}\n  ADD COLUMN${ifNotExists} ${c} ${type},\n  ALTER COLUMN ${c} SET DEFAULT ${defaultExpr};`],
      backfill: { value: defaultExpr, pending: `${c} IS NULL`, purpose: `evaluates DEFAULT ${defaultExpr} for the rows that existed before the column` },
      notNull: col.notNull,
      title: `Add ${col.name} without a default, then SET DEFAULT ${defaultExpr} for new rows (no table rewrite)`,
    },
    env,
  );
}
