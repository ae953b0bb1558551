import { ast, defineRule, keywordRange } from '../server/src/engine';

/** ALTER SCHEMA … RENAME TO on a schema that already exists. */
export const banRenameSchema = defineRule({
  meta: {
    id: 'ban-rename-schema',
    kinds: ['RenameStmt'],
    severity: 'error',
    summary: 'Do not rename schemas that running code uses',
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'RenameStmt' || ast.str(stmt.node, 'renameType') !== 'OBJECT_SCHEMA') return;
    const oldName = ast.str(stmt.node, 'subname');
    const newName = ast.str(stmt.node, 'newname');
    if (oldName === undefined || newName === undefined) return;
    // A schema created earlier in this migration is not used by running code yet.
    const createdHere = ctx.file.statements.some((s) => s.index < stmt.index && s.kind === 'CreateSchemaStmt' && ast.str(s.node, 'schemaname') === oldName);
    if (createdHere) return;
    const tables = ctx.file.baseline?.tablesInSchema(oldName) ?? [];
    const known =
      tables.length > 0
        ? ` (${tables.length} known table${tables.length > 1 ? 's' : ''}: ${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''})`
        : '';
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /RENAME\s+TO/i),
      message:
        `Renaming schema ${oldName} to ${newName} moves every object in it${known} at once: queries that qualify names with ${oldName}., ` +
        `search_path settings (per role, per database, in connection strings) and function bodies naming ${oldName} stop finding them the moment it commits.`,
      help:
        `Keep the schema name. If it must change, first deploy code that uses unqualified names with search_path = ${newName}, ${oldName} ` +
        `(Postgres skips a search_path schema that does not exist, so this works before and after), then rename, then drop ${oldName} from search_path.`,
    });
  },
});
