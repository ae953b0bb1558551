import {
  addedForeignKeys,
  defineRule,
  foreignKeyColumnsIndexed,
  derivedName,
  fixesOf,
  indexBeforeForeignKeyFix,
  indexNewChildFix,
  lineRangeFrom,
  outsideTransactionAdvice,
  quoteIdent,
  quoteQualified,
  sizeNote,
} from '../server/src/engine';

/** A foreign key whose referencing columns have no index known in this file (non-cascading keys; cascades are review-cascading-foreign-key's). */
export const requireIndexOnForeignKey = defineRule({
  meta: {
    id: 'require-index-on-foreign-key',
    kinds: ['AlterTableStmt', 'CreateStmt'],
    severity: 'warning',
    summary: 'Index the referencing columns of every foreign key',
  },
  check(stmt, ctx) {
    for (const fk of addedForeignKeys(stmt)) {
      const action = fk.facts.onDelete;
      // review-cascading-foreign-key reports the missing index for these, with the cascade's cost.
      if (action === 'cascade' || action === 'set null' || action === 'set default') continue;
      if (fk.columns.length === 0 || foreignKeyColumnsIndexed(ctx.file, fk.child, fk.columns)) continue;
      const parent = fk.facts.referencedTable ?? '(referenced table)';
      const cols = fk.columns.join(', ');
      const index = quoteIdent(derivedName(fk.childName, ...fk.columns, 'idx'));
      const create = `CREATE INDEX${fk.childIsNew ? '' : ' CONCURRENTLY'} ${index} ON ${quoteQualified(fk.child)} (${fk.columns.map(quoteIdent).join(', ')})`;
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, fk.facts.location)),
        severity: fk.childIsNew ? 'info' : 'warning',
        message:
          `Foreign key from ${fk.child}(${cols}) to ${parent}: ${fk.child}(${cols}) has no index known in this file, so every DELETE on ${parent}, ` +
          `and every change of a key of ${parent}, scans all of ${fk.child} to look for referencing rows${sizeNote(ctx, fk.child)}.`,
        help: fk.childIsNew
          ? `Add \`${create}\` in this migration (the table is new, so a plain build is instant).`
          : `Add \`${create}\` before the foreign key (${outsideTransactionAdvice(ctx.file.runner.id)}). If the index already exists from an earlier migration, ignore this finding with that reason.`,
        fixes: () =>
          fixesOf(
            fk.childIsNew
              ? indexNewChildFix(ctx.file, stmt, fk)
              : indexBeforeForeignKeyFix(
                  ctx.file,
                  stmt,
                  { ...fk, constraint: fk.facts.name ?? derivedName(fk.childName, ...fk.columns, 'fkey'), notValid: fk.facts.notValid },
                  ctx.fixEnv,
                ),
          ),
      });
    }
  },
});
