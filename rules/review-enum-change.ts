import { ast, defineRule, keywordRange, outsideTransactionAdvice, quoteQualified, transactionReason, type Statement } from '../server/src/engine';
import { enumCreatedEarlier, laterInSameTransaction, stringConstants } from './group-a-common';

/** ALTER TYPE … ADD VALUE / RENAME VALUE on an enum. */
export const reviewEnumChange = defineRule({
  meta: {
    id: 'review-enum-change',
    kinds: ['AlterEnumStmt'],
    severity: 'warning',
    summary: 'Add enum values outside the transaction that uses them, and never rename values in use',
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterEnumStmt') return;
    const typeName = ast.names(ast.list(stmt.node, 'typeName')).join('.');
    const newVal = ast.str(stmt.node, 'newVal') ?? '';
    const oldVal = ast.str(stmt.node, 'oldVal');
    // A type created earlier in the same file is not yet used by running code.
    if (enumCreatedEarlier(ctx, stmt, typeName)) return;

    if (oldVal !== undefined) {
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, /RENAME\s+VALUE/i),
        message:
          `Renaming the ${typeName} label '${oldVal}' to '${newVal}' breaks running code at once: every query, INSERT and application constant still using ` +
          `'${oldVal}' fails with "invalid input value for enum ${typeName}".`,
        help:
          `Add '${newVal}' as a new value, deploy code that reads both and writes '${newVal}', update the rows still holding '${oldVal}' in batches, ` +
          `and stop using '${oldVal}' (enum values cannot be dropped; a lookup table or a CHECK on text is easier to change).`,
      });
      return;
    }

    if (stmt.transaction !== 'none' && ctx.pgVersion < 12) {
      const section = ctx.file.sections[stmt.sectionIndex];
      const unitSize = section?.oneString ? ctx.file.statements.filter((s) => s.sectionIndex === stmt.sectionIndex).length : 2;
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, /ADD\s+VALUE/i),
        severity: 'error',
        message:
          `Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block, and this one will: ${transactionReason(ctx.file.runner.id, stmt.transaction, unitSize)}. ` +
          `The migration fails with "ALTER TYPE ... ADD cannot run inside a transaction block".`,
        help: `To add '${newVal}' to ${typeName}, ${outsideTransactionAdvice(ctx.file.runner.id)}.`,
      });
    } else if (stmt.transaction !== 'none') {
      const user = laterInSameTransaction(ctx, stmt).find((s: Statement) => stringConstants(s.node).includes(newVal));
      if (user) {
        ctx.report({
          statement: user,
          ...literalRange(user, newVal),
          message:
            `'${newVal}' is added to ${typeName} earlier in the same transaction and cannot be used before that transaction commits: ` +
            `where this literal is read as ${typeName}, the statement fails with 'unsafe use of new value "${newVal}" of enum type ${typeName}' and the transaction rolls back.`,
          help: `Commit the ALTER TYPE … ADD VALUE first: move the statements that use '${newVal}' to a later migration.`,
        });
      }
    }

    const hasPosition = ast.str(stmt.node, 'newValNeighbor') !== undefined;
    if (!hasPosition) {
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, /ADD\s+VALUE(?:\s+IF\s+NOT\s+EXISTS)?\s+'(?:[^']|'')*'/i),
        severity: 'info',
        message:
          `'${newVal}' is appended after the last label of ${typeName}: enum values sort by declaration order, so ORDER BY, < and > on ${typeName} ` +
          `will place it last.`,
        help: `If it belongs elsewhere in the order, say where: ALTER TYPE ${quoteQualified(typeName)} ADD VALUE '${newVal}' BEFORE '<label>' (or AFTER '<label>').`,
      });
    }
  },
});

function literalRange(stmt: Statement, value: string): { start: number; end: number } {
  const quoted = `'${value.replace(/'/g, "''")}'`;
  const at = stmt.text.indexOf(quoted);
  return at === -1 ? { start: stmt.start, end: stmt.end } : { start: stmt.start + at, end: stmt.start + at + quoted.length };
}
