import { ast, defineRule, keywordRange, quoteIdent } from '../server/src/engine';
import { earlierInFile } from './group-a-common';

/** DROP SCHEMA of a schema that existed before this migration. */
export const banDropSchema = defineRule({
  meta: {
    id: 'ban-drop-schema',
    kinds: ['DropStmt'],
    severity: 'warning',
    summary: 'Stop using a schema in the application before a later migration drops it',
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'DropStmt' || ast.str(stmt.node, 'removeType') !== 'OBJECT_SCHEMA') return;
    const created = new Set(
      earlierInFile(ctx, stmt)
        .filter((s) => s.kind === 'CreateSchemaStmt')
        .map((s) => ast.str(s.node, 'schemaname')),
    );
    const schemas = ast
      .list(stmt.node, 'objects')
      .map((o) => ast.str(ast.nodeOfKind(o, 'String'), 'sval'))
      .filter((n): n is string => n !== undefined && !created.has(n));
    if (schemas.length === 0) return;
    const cascade = ast.str(stmt.node, 'behavior') === 'DROP_CASCADE';
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /DROP\s+SCHEMA(?:\s+IF\s+EXISTS)?/i),
      severity: cascade ? 'error' : 'warning',
      message: cascade
        ? `DROP SCHEMA ${schemas.join(', ')} CASCADE drops every table, view, function and type in it, with their data, without naming them: ` +
          `running code that uses any of them fails, and nothing can be brought back once this commits.`
        : `Dropping schema ${schemas.join(', ')} breaks running code that refers to it (search_path entries, qualified names); ` +
          `without CASCADE it only succeeds once the schema is empty, so the objects in it were dropped elsewhere.`,
      help:
        `Drop the schema's objects one by one in earlier migrations, after the application stopped using each of them, ` +
        `and drop the empty schema last without CASCADE (DROP SCHEMA ${schemas.map(quoteIdent).join(', ')};), so a forgotten object makes it fail instead of disappearing.`,
    });
  },
});
