import {
  ast,
  defineRule,
  derivedName,
  describeBlocking,
  lineRangeFrom,
  quoteIdent,
  quoteQualified,
  severityForSize,
  sizeNote,
  fixesOf,
  notValidThenValidateFix,
  addedConstraints,
  existingTableEffect,
} from '../server/src/engine';

/** ADD CONSTRAINT … CHECK (validated) on an existing table: every row is checked under the ALTER's lock. */
export const requireNotValidCheck = defineRule({
  meta: {
    id: 'require-not-valid-check',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Add CHECK constraints to existing tables NOT VALID and validate them in a later migration',
    claims: { lock: 'ACCESS EXCLUSIVE', scan: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    for (const { table, tableName, facts: f, column } of addedConstraints(stmt)) {
      if (f.kind !== 'check' || f.notValid || column !== undefined) continue;
      const effect = existingTableEffect(stmt, table);
      if (!effect) continue;
      const action = stmt.actions.find((a) => a.subtype === 'AT_AddConstraint' && a.relation === table && a.scan);
      if (!action) continue;
      // Postgres names an unnamed check <table>_<column>_check when it reads one column, else <table>_check.
      const columns = [...ast.columnRefs(f.expr)];
      const name = f.name ?? derivedName(tableName, ...(columns.length === 1 ? columns : []), 'check');
      const expr = checkText(stmt.parsedText, f.location);
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, f.location)),
        severity: severityForSize(ctx, table, 'warning'),
        message:
          `Adding CHECK constraint ${name} reads every row of ${table} to test it while holding ${effect.lock} on ${table}: ` +
          `it ${describeBlocking(effect.lock)} for the whole scan${sizeNote(ctx, table)}.`,
        help:
          `Add it with \`ALTER TABLE ${quoteQualified(table)} ADD CONSTRAINT ${quoteIdent(name)} ${expr ?? 'CHECK (…)'} NOT VALID\` (no scan: only new and updated rows are checked), ` +
          `then in a later migration \`ALTER TABLE ${quoteQualified(table)} VALIDATE CONSTRAINT ${quoteIdent(name)}\`, which scans under SHARE UPDATE EXCLUSIVE while reads and writes continue.`,
        fixes: () => fixesOf(notValidThenValidateFix(ctx.file, stmt, table, name, ctx.fixEnv)),
      });
    }
  },
});

/** `CHECK (…)` as written, from the constraint's location (balanced parentheses). */
function checkText(text: string, byteLocation: number | undefined): string | undefined {
  if (byteLocation === undefined) return undefined;
  const bytes = new TextEncoder().encode(text);
  const from = new TextDecoder().decode(bytes.slice(byteLocation));
  const m = /CHECK\s*\(/i.exec(from);
  if (!m) return undefined;
  let depth = 0;
  for (let i = m.index + m[0].length - 1; i < from.length; i++) {
    const ch = from[i];
    if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return from.slice(m.index, i + 1).replace(/\s+/g, ' ');
    else if (ch === "'") {
      const end = from.indexOf("'", i + 1);
      if (end === -1) return undefined;
      i = end;
    }
  }
  return undefined;
}
