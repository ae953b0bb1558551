import { ast, ddl, defineRule, fixesOf, generatedColumnFix, lineRangeFrom, severityForSize, sizeNote } from '../server/src/engine';

/** ADD COLUMN … GENERATED ALWAYS AS (…) STORED on an existing table: the founding outage. */
export const banAddStoredGeneratedColumn = defineRule({
  meta: {
    id: 'ban-add-stored-generated-column',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Add generated columns to existing tables without a stored-column rewrite',
    claims: { lock: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    const table = stmt.effects.find((e) => e.relationKind === 'table');
    if (!table || table.createdInFile) return;
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      if (ast.str(cmd, 'subtype') !== 'AT_AddColumn') continue;
      const col = ddl.columnDefFacts(ast.nodeOfKind(cmd?.['def'], 'ColumnDef'));
      if (!col?.generated) continue;
      // PostgreSQL 18 computes VIRTUAL columns on read: no rewrite.
      if (col.generated === 'virtual' && ctx.pgVersion >= 18) continue;
      const reads = [...ast.columnRefs(col.generatedExpr)];
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, col.location)),
        severity: severityForSize(ctx, table.relation, 'warning'),
        message:
          `Adding the stored generated column ${col.name} rewrites ${table.relation} under ACCESS EXCLUSIVE: ` +
          `every row is recomputed while all reads and writes on ${table.relation} wait${sizeNote(ctx, table.relation)}. ` +
          `On a large table this outlasts statement_timeout and the migration fails.`,
        help:
          `Add ${col.name} as a nullable plain column, keep it filled with a BEFORE INSERT OR UPDATE${reads.length ? ` OF ${reads.join(', ')}` : ''} trigger, ` +
          `and backfill existing rows in batches outside the deploy` +
          (ctx.pgVersion >= 18 ? '; or declare it VIRTUAL, which PostgreSQL 18 computes on read without a rewrite.' : '.'),
        fixes: () => fixesOf(generatedColumnFix(ctx.file, stmt, table.relation, ctx.pgVersion, ctx.fixEnv)),
      });
    }
  },
});
