import { defineRule, describeBlocking, IDENT_TOKEN, namedMatchRange } from '../server/src/engine';
import { columnAddedEarlier, tableCreatedEarlier } from './group-a-common';

const DROP_NOT_NULL = new RegExp(String.raw`${IDENT_TOKEN}\s+DROP\s+NOT\s+NULL`, 'gi');

/**
 * ALTER COLUMN … DROP NOT NULL: catalog-only, but readers that assume the column is never NULL
 * start seeing NULLs. Info, not warning: it is also the normal first step of removing a column
 * (old code keeps inserting without it), so it is worth a look, not a block.
 */
export const banDropNotNull = defineRule({
  meta: {
    id: 'ban-drop-not-null',
    kinds: ['AlterTableStmt'],
    severity: 'info',
    summary: 'Check that readers of a column handle NULL before dropping its NOT NULL',
    claims: { lock: 'ACCESS EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    for (const a of stmt.actions) {
      if (a.subtype !== 'AT_DropNotNull' || a.column === undefined) continue;
      const effect = stmt.effects.find((e) => e.relation === a.relation);
      if (!effect || effect.createdInFile || tableCreatedEarlier(ctx, stmt, a.relation) || columnAddedEarlier(ctx, stmt, a.relation, a.column)) continue;
      const n = stmt.actions.filter((x) => x.subtype === 'AT_DropNotNull' && x.column === a.column).indexOf(a);
      const range = namedMatchRange(stmt, DROP_NOT_NULL, a.column, n);
      ctx.report({
        statement: stmt,
        ...(range ?? { start: stmt.start, end: stmt.end }),
        message:
          `After this, ${a.relation}.${a.column} can hold NULL: application code, reports and constraints that assume it never does ` +
          `(non-optional fields in an ORM, = comparisons, NOT IN subqueries) start to misbehave. It takes ${a.lock} on ${a.relation} only for a moment (${describeBlocking(a.lock)}).`,
        help: `Make sure every reader handles NULL in ${a.column} first; if this is the first step of removing the column, drop the column itself in a later release.`,
      });
    }
  },
});
