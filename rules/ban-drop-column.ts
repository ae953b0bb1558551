import { defineRule, describeBlocking, IDENT_TOKEN, namedMatchRange, quoteIdent, quoteQualified } from '../server/src/engine';
import { columnAddedEarlier, tableCreatedEarlier } from './group-a-common';

const DROP_COLUMN = new RegExp(String.raw`DROP\s+(?:COLUMN\s+)?(?:IF\s+EXISTS\s+)?${IDENT_TOKEN}`, 'gi');

/** ALTER TABLE … DROP COLUMN on an existing table: running code that still uses the column fails. */
export const banDropColumn = defineRule({
  meta: {
    id: 'ban-drop-column',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Stop using a column in the application before a later migration drops it',
    claims: { lock: 'ACCESS EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    for (const a of stmt.actions) {
      if (a.subtype !== 'AT_DropColumn' || a.column === undefined) continue;
      const effect = stmt.effects.find((e) => e.relation === a.relation);
      if (!effect || effect.createdInFile || tableCreatedEarlier(ctx, stmt, a.relation) || columnAddedEarlier(ctx, stmt, a.relation, a.column)) continue;
      const seen = stmt.actions.filter((x) => x.subtype === 'AT_DropColumn' && x.column === a.column).indexOf(a);
      const range = namedMatchRange(stmt, DROP_COLUMN, a.column, seen);
      ctx.report({
        statement: stmt,
        ...(range ?? { start: stmt.start, end: stmt.end }),
        message:
          `Dropping ${a.relation}.${a.column} breaks every running query that still names it (SELECTs, INSERTs listing it, ORMs that cached the column list), ` +
          `and the data cannot be brought back once this commits. It also takes ${a.lock} on ${a.relation} for a moment (${describeBlocking(a.lock)}).`,
        help:
          `First deploy application code that no longer reads or writes ${quoteIdent(a.column)} (tell the ORM to ignore it), ` +
          `then drop it in a later migration: ALTER TABLE ${quoteQualified(a.relation)} DROP COLUMN ${quoteIdent(a.column)};`,
      });
    }
  },
});
