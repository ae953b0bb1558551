import { ast, defineRule, keywordRange, quoteQualified, type RuleContext, type Statement } from '../server/src/engine';
import { laterInSameTransaction } from './group-a-common';
import { RENAMED_RELATION } from './group-d-common';

/** A view with the old name created later in the same transaction bridges the rename. */
function bridgedByView(ctx: RuleContext, stmt: Statement, oldName: string, schema: string | undefined): Statement | undefined {
  return laterInSameTransaction(ctx, stmt).find((s) => {
    if (s.kind !== 'ViewStmt') return false;
    const v = ast.relationOf(s.node?.['view']);
    return v !== undefined && v.name === oldName && (v.schema ?? schema) === schema;
  });
}

/** ALTER TABLE / VIEW / MATERIALIZED VIEW … RENAME TO on a relation that already exists. */
export const banRenameTable = defineRule({
  meta: {
    id: 'ban-rename-table',
    kinds: ['RenameStmt'],
    severity: 'error',
    summary: 'Do not rename tables that running code uses, or leave a view with the old name behind',
    claims: { lock: 'ACCESS EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'RenameStmt') return;
    const kind = RENAMED_RELATION[ast.str(stmt.node, 'renameType') ?? ''];
    const rel = ast.relationOf(stmt.node?.['relation']);
    const newName = ast.str(stmt.node, 'newname');
    if (!kind || !rel || newName === undefined) return;
    const name = ast.qualified(rel);
    const effect = stmt.effects.find((e) => e.relation === name);
    if (!effect || effect.createdInFile) return;
    if (bridgedByView(ctx, stmt, rel.name, rel.schema)) return;
    const target = rel.schema ? `${rel.schema}.${newName}` : newName;
    const bridge = kind === 'table' || kind === 'foreign table' ? ' (a simple view is updatable, so INSERT, UPDATE and DELETE keep working through it)' : '';
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /RENAME\s+TO/i),
      message:
        `Renaming ${kind} ${name} to ${newName} breaks running code the moment it commits: every query still naming ${name} fails with ` +
        `'relation "${rel.name}" does not exist' until the new application version is everywhere. ` +
        `The rename holds ${effect.lock} on ${name}, so it also waits behind long queries while reads and writes queue behind it.`,
      help:
        `In the same transaction, right after the rename, create a view with the old name: CREATE VIEW ${quoteQualified(name)} AS SELECT * FROM ${quoteQualified(target)}${bridge}; ` +
        `switch the application to ${newName}, then drop the view in a later migration.`,
    });
  },
});
