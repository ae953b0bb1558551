import { ast, defineRule, keywordRange, quoteIdent, quoteQualified } from '../server/src/engine';
import { columnAddedEarlier } from './group-a-common';
import { RENAMED_RELATION } from './group-d-common';

/** ALTER TABLE … RENAME COLUMN on a table that already exists. */
export const banRenameColumn = defineRule({
  meta: {
    id: 'ban-rename-column',
    kinds: ['RenameStmt'],
    severity: 'error',
    summary: 'Do not rename columns that running code uses; add the new column and retire the old one',
    claims: { lock: 'ACCESS EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'RenameStmt' || ast.str(stmt.node, 'renameType') !== 'OBJECT_COLUMN') return;
    const kind = RENAMED_RELATION[ast.str(stmt.node, 'relationType') ?? ''] ?? 'table';
    const rel = ast.relationOf(stmt.node?.['relation']);
    const oldName = ast.str(stmt.node, 'subname');
    const newName = ast.str(stmt.node, 'newname');
    if (!rel || oldName === undefined || newName === undefined) return;
    const table = ast.qualified(rel);
    const effect = stmt.effects.find((e) => e.relation === table);
    // New tables and columns added earlier in this migration are not used by running code yet.
    if (!effect || effect.createdInFile || columnAddedEarlier(ctx, stmt, table, oldName)) return;
    const t = quoteQualified(table);
    const oldCol = quoteIdent(oldName);
    const newCol = quoteIdent(newName);
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /RENAME(?:\s+COLUMN)?/i),
      message:
        `Renaming column ${oldName} of ${kind} ${table} to ${newName} breaks running code the moment it commits: every query, ORM mapping and ` +
        `INSERT still naming ${oldName} fails with 'column "${oldName}" does not exist' until the new application version is everywhere. ` +
        `The rename itself holds ${effect.lock} on ${table}, so it also waits behind long queries while reads and writes queue behind it.`,
      help:
        `Expand and contract instead: ALTER TABLE ${t} ADD COLUMN ${newCol} <type>; keep both in sync with a trigger, backfill ${newCol} in batches, ` +
        `switch reads and writes to ${newCol} in a release, and drop ${oldCol} in a later migration.`,
    });
  },
});
