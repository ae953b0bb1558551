import { ast, defineRule, describeBlocking, keywordRange, quoteQualified } from '../server/src/engine';
import { tableCreatedEarlier } from './group-a-common';

/** DROP TABLE of a table that existed before this migration: running code that still uses it fails. */
export const banDropTable = defineRule({
  meta: {
    id: 'ban-drop-table',
    kinds: ['DropStmt'],
    severity: 'warning',
    summary: 'Stop using a table in the application before a later migration drops it',
    claims: { lock: 'ACCESS EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'DropStmt' || ast.str(stmt.node, 'removeType') !== 'OBJECT_TABLE') return;
    const existing = stmt.effects.filter((e) => !e.createdInFile && e.relationKind === 'table' && !tableCreatedEarlier(ctx, stmt, e.relation));
    if (existing.length === 0) return;
    const names = existing.map((e) => e.relation);
    const cascade = ast.str(stmt.node, 'behavior') === 'DROP_CASCADE';
    const lock = existing[0]?.lock ?? 'ACCESS EXCLUSIVE';
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /DROP\s+TABLE(?:\s+IF\s+EXISTS)?/i),
      message:
        `Dropping ${names.join(', ')} breaks every running query that still uses ${names.length > 1 ? 'them' : 'it'}, and the rows cannot be brought back once this commits` +
        `${cascade ? `; CASCADE also silently drops the views and foreign keys that depend on ${names.length > 1 ? 'them' : 'it'}` : ''}. ` +
        `It takes ${lock} on ${names.join(', ')} (${describeBlocking(lock)}), and waits for every open transaction that touched ${names.length > 1 ? 'them' : 'it'}.`,
      help:
        `First deploy application code that no longer uses ${names.join(', ')}, then drop ${names.length > 1 ? 'them' : 'it'} in a later migration` +
        ` (DROP TABLE ${names.map(quoteQualified).join(', ')};); renaming a table aside first (…_deprecated) makes a forgotten reader fail loudly while the data can still be restored.`,
    });
  },
});
