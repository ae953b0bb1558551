import { addedForeignKeys, defineRule, foreignKeyColumnsIndexed, lineRangeFrom, quoteIdent, quoteQualified, sizeNote } from '../server/src/engine';

/** FOREIGN KEY … ON DELETE CASCADE / SET NULL / SET DEFAULT: the child side is written at parent-delete time. */
export const reviewCascadingForeignKey = defineRule({
  meta: {
    id: 'review-cascading-foreign-key',
    kinds: ['AlterTableStmt', 'CreateStmt'],
    severity: 'warning',
    summary: 'Index the child column of a cascading foreign key and batch parent deletes',
  },
  check(stmt, ctx) {
    for (const fk of addedForeignKeys(stmt)) {
      const action = fk.facts.onDelete;
      if (action !== 'cascade' && action !== 'set null' && action !== 'set default') continue;
      const parent = fk.facts.referencedTable ?? '(parent)';
      const cols = fk.columns.join(', ');
      const indexed = foreignKeyColumnsIndexed(ctx.file, fk.child, fk.columns);
      if (indexed && fk.childIsNew) continue;
      const effect =
        action === 'cascade'
          ? `deleting a row of ${parent} also deletes every ${fk.child} row that references it`
          : `deleting a row of ${parent} also updates every ${fk.child} row that references it (${cols} set to ${action === 'set null' ? 'NULL' : 'its default'})`;
      const index = indexed
        ? `${fk.child}(${cols}) has an index, so each cascade finds its rows by index.`
        : `${fk.child}(${cols}) has no index known in this file${ctx.file.baseline ? ' or earlier migrations' : ''}, so every delete on ${parent} scans all of ${fk.child}${sizeNote(ctx, fk.child)}.`;
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, fk.facts.location)),
        severity: indexed ? 'info' : fk.childIsNew ? 'info' : 'warning',
        message: `ON DELETE ${action.toUpperCase()} from ${parent} to ${fk.child}: ${effect}, inside that same DELETE and holding row locks on all of them. ${index}`,
        help:
          (indexed
            ? ''
            : `Create an index on ${quoteQualified(fk.child)} (${fk.columns.map(quoteIdent).join(', ')}) first (CREATE INDEX CONCURRENTLY, in a non-transactional migration). `) +
          `Delete or detach dependents in batches before deleting a row of ${parent}, or use ON DELETE RESTRICT with an application-side batched cleanup.`,
      });
    }
  },
});
