import { ast, defineRule, describeBlocking, expandContractFix, fixesOf, quoteIdent, quoteQualified, severityForSize, sizeNote } from '../server/src/engine';
import { typeText } from './group-a-common';

/** ALTER COLUMN … TYPE that the engine decides rewrites the table (not binary-coercible). */
export const banColumnTypeRewrite = defineRule({
  meta: {
    id: 'ban-column-type-rewrite',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Change a column type that needs a rewrite by expand/contract, not ALTER COLUMN TYPE',
    claims: { lock: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    const cmds = ast
      .list(stmt.node, 'cmds')
      .map((c) => ast.nodeOfKind(c, 'AlterTableCmd'))
      .filter((c) => ast.str(c, 'subtype') === 'AT_AlterColumnType');
    const actions = stmt.actions.filter((a) => a.subtype === 'AT_AlterColumnType');
    actions.forEach((a, i) => {
      const effect = stmt.effects.find((e) => e.relation === a.relation);
      if (!a.rewrite || !effect || effect.createdInFile) return;
      const def = ast.nodeOfKind(cmds[i]?.['def'], 'ColumnDef');
      const col = a.column ?? '?';
      const table = a.relation;
      const to = a.toType ?? 'the new type';
      const from = a.fromType && a.fromType !== 'unknown' ? a.fromType : undefined;
      const start = ctx.locate(stmt, ast.num(def, 'location'));
      const typeRange = typeText(stmt, ctx, ast.obj(def, 'typeName'));
      const typeStart = ctx.locate(stmt, ast.num(ast.obj(def, 'typeName'), 'location'));
      const t = quoteQualified(table);
      const c = quoteIdent(col);
      const tmp = quoteIdent(`${col}_new`.slice(0, 63));
      ctx.report({
        statement: stmt,
        start,
        end: Math.max(start + 1, typeStart + typeRange.length),
        severity: severityForSize(ctx, table, 'warning'),
        message:
          `Changing ${table}.${col} ${from ? `from ${from} ` : ''}to ${to} ${from ? 'rewrites' : 'is assumed to rewrite'} ${table} under ${a.lock}: ${a.reason ?? 'the conversion is not binary-coercible'}. ` +
          `Every row is converted and every index on ${table} rebuilt while the lock ${describeBlocking(a.lock)}${sizeNote(ctx, table)}.` +
          (from
            ? ''
            : ` If the change only widens a varchar or numeric limit it is catalog-only; lint this file together with the migrations that created ${table} so the old type is known.`),
        help:
          `Expand and contract instead: ALTER TABLE ${t} ADD COLUMN ${tmp} ${typeRange}; keep it in sync with a BEFORE INSERT OR UPDATE trigger; ` +
          `backfill it in batches outside the deploy; then, in a later migration once the application reads ${tmp}, swap the names and drop ${c}.`,
        fixes: () => fixesOf(expandContractFix(ctx.file, stmt, table, ctx.pgVersion, ctx.fixEnv)),
      });
    });
  },
});
