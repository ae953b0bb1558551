import {
  ast,
  ddl,
  defineRule,
  derivedName,
  describeBlocking,
  lineRangeFrom,
  outsideTransactionAdvice,
  quoteIdent,
  quoteQualified,
  severityForSize,
  sizeNote,
} from '../server/src/engine';

/** ADD CONSTRAINT … UNIQUE (or an inline UNIQUE on ADD COLUMN) that builds its index under the ALTER's lock. */
export const preferUniqueConstraintUsingIndex = defineRule({
  meta: {
    id: 'prefer-unique-constraint-using-index',
    severity: 'warning',
    summary: 'Build the unique index concurrently, then add the constraint with UNIQUE USING INDEX',
    claims: { lock: 'ACCESS EXCLUSIVE', indexBuild: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = ast.relationOf(stmt.node?.['relation']);
    if (!rel) return;
    const table = ast.qualified(rel);
    const effect = stmt.effects.find((e) => e.relation === table);
    if (!effect || effect.createdInFile) return;
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      const subtype = ast.str(cmd, 'subtype');
      const found: { facts: ddl.ConstraintFacts; columns: string[]; addColumn?: string }[] = [];
      if (subtype === 'AT_AddConstraint') {
        const f = ddl.constraintFacts(cmd?.['def']);
        if (f?.kind === 'unique' && f.usingIndex === undefined) found.push({ facts: f, columns: f.columns });
      } else if (subtype === 'AT_AddColumn') {
        const col = ddl.columnDefFacts(ast.nodeOfKind(cmd?.['def'], 'ColumnDef'));
        for (const f of col?.constraints ?? []) if (f.kind === 'unique' && col) found.push({ facts: f, columns: [col.name], addColumn: col.name });
      }
      for (const { facts, columns, addColumn } of found) {
        const name = facts.name ?? derivedName(rel.name, ...columns, 'key');
        const idx = quoteIdent(name);
        const cols = columns.map(quoteIdent).join(', ');
        ctx.report({
          statement: stmt,
          ...lineRangeFrom(stmt, ctx.locate(stmt, facts.location)),
          severity: severityForSize(ctx, table, 'warning'),
          message:
            `${addColumn !== undefined ? `The inline UNIQUE on new column ${addColumn}` : `ADD CONSTRAINT ${name} UNIQUE`} builds a unique index on ${table} ` +
            `while holding ${effect.lock} on it: it ${describeBlocking(effect.lock)} for the whole build${sizeNote(ctx, table)}.`,
          help:
            (addColumn !== undefined ? `Add ${quoteIdent(addColumn)} without UNIQUE. ` : '') +
            `Build the index first with \`CREATE UNIQUE INDEX CONCURRENTLY ${idx} ON ${quoteQualified(table)} (${cols})\` ` +
            `(${outsideTransactionAdvice(ctx.file.runner.id)}), then attach it with ` +
            `\`ALTER TABLE ${quoteQualified(table)} ADD CONSTRAINT ${idx} UNIQUE USING INDEX ${idx}\`, which only holds its lock briefly.`,
        });
      }
    }
  },
});
