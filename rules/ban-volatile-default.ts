import {
  ast,
  defineRule,
  describeBlocking,
  fixesOf,
  lineRangeFrom,
  quoteIdent,
  quoteQualified,
  severityForSize,
  sizeNote,
  volatileDefaultFix,
} from '../server/src/engine';
import { addedColumns, defaultClause, isNullDefault, typeText } from './group-a-common';

const SERIAL = /^(?:small|big)?serial[248]?$/i;

/** ADD COLUMN … DEFAULT <volatile> (any non-NULL default before PG 11) on an existing table: a full rewrite. */
export const banVolatileDefault = defineRule({
  meta: {
    id: 'ban-volatile-default',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Add columns to existing tables without a default that forces a table rewrite',
    claims: { lock: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  check(stmt, ctx) {
    for (const a of addedColumns(stmt)) {
      const { col, action } = a;
      // The engine decides whether the addition rewrites (volatile default, or any default before PG 11).
      if (a.isNewTable || !action?.rewrite || isNullDefault(col.defaultExpr)) continue;
      // Serial, identity and generated columns rewrite for their own reasons (other rules).
      if (col.identity || col.generated || SERIAL.test(col.type?.name ?? '')) continue;
      const clause = defaultClause(stmt, ctx, col.constraints.find((k) => k.kind === 'default')?.location);
      const expr = clause?.expr ?? 'the default';
      const fns = [...new Set(ast.functionCalls(col.defaultExpr))].map((f) => `${f}()`);
      const calls =
        fns.length > 0 &&
        !(
          fns.length === 1 &&
          expr
            .replace(/\s+/g, '')
            .toLowerCase()
            .endsWith(fns[0] ?? '')
        )
          ? ` (it calls ${fns.join(', ')})`
          : '';
      const why =
        ctx.pgVersion < 11
          ? `before PostgreSQL 11 a non-NULL default (here ${expr}) is written into every existing row`
          : `DEFAULT ${expr}${calls} is volatile, so PostgreSQL evaluates it once per existing row instead of storing a single value in the catalog`;
      const table = a.table;
      const type = typeText(stmt, ctx, ast.obj(a.def, 'typeName'));
      ctx.report({
        statement: stmt,
        ...(clause ? { start: clause.start, end: clause.end } : lineRangeFrom(stmt, ctx.locate(stmt, col.location))),
        severity: severityForSize(ctx, table, 'warning'),
        message:
          `Adding ${col.name} rewrites ${table} under ${action.lock}: ${why}. ` +
          `The table and all its indexes are copied while the lock ${describeBlocking(action.lock)} on ${table}${sizeNote(ctx, table)}.`,
        help:
          `Add the column without a default (ALTER TABLE ${quoteQualified(table)} ADD COLUMN ${quoteIdent(col.name)} ${type};), ` +
          `then set it in a separate statement (ALTER TABLE ${quoteQualified(table)} ALTER COLUMN ${quoteIdent(col.name)} SET DEFAULT ${expr};), which applies to new rows only and rewrites nothing, ` +
          `and fill the existing rows in small batches outside the deploy.` +
          (ctx.pgVersion < 11 ? ' On PostgreSQL 11 and later a constant default no longer rewrites.' : ''),
        fixes: () => fixesOf(volatileDefaultFix(ctx.file, stmt, table, ctx.pgVersion, ctx.fixEnv)),
      });
    }
  },
});
