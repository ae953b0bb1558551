import {
  ast,
  ddl,
  defineRule,
  derivedName,
  describeBlocking,
  keywordRange,
  lineOf,
  quoteIdent,
  quoteQualified,
  transactionKind,
  transactionReason,
  type Statement,
} from '../server/src/engine';

/** VALIDATE CONSTRAINT in the same transaction as the ADD … NOT VALID that created the constraint. */
export const banValidateInSameTransaction = defineRule({
  meta: {
    id: 'ban-validate-in-same-transaction',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Validate a NOT VALID constraint in a later transaction than the one that added it',
    claims: { lock: 'SHARE UPDATE EXCLUSIVE', scan: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt' || stmt.transaction === 'none') return;
    const rel = ast.relationOf(stmt.node?.['relation']);
    if (!rel) return;
    const table = ast.qualified(rel);
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      if (ast.str(cmd, 'subtype') !== 'AT_ValidateConstraint') continue;
      const name = ast.str(cmd, 'name') ?? '';
      const add = findAdd(ctx.file.statements, stmt, table, rel.name, name);
      if (!add) continue;
      const addAction = add.stmt.actions.find((a) => a.subtype === 'AT_AddConstraint' && a.relation === table);
      const addEffect = add.stmt.effects.find((e) => e.relation === table);
      if (!addAction || !addEffect || addEffect.createdInFile) continue;
      const line = lineOf(ctx.file, add.stmt.start);
      const section = ctx.file.sections[stmt.sectionIndex];
      const unitSize = section?.oneString ? ctx.file.statements.filter((s) => s.sectionIndex === stmt.sectionIndex).length : 2;
      const parent = add.facts.kind === 'foreign' ? add.facts.referencedTable : undefined;
      const parentEffect = parent ? add.stmt.effects.find((e) => e.relation === parent && e.relation !== table) : undefined;
      const held =
        `${addAction.lock} on ${table}` +
        (parentEffect ? ` and ${parentEffect.lock} on ${parentEffect.relation}` : '') +
        ` (${describeBlocking(addAction.lock)})`;
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, /VALIDATE\s+CONSTRAINT/i),
        message:
          `VALIDATE CONSTRAINT ${name} runs in the same transaction as the ADD CONSTRAINT ${name} … NOT VALID on line ${line} ` +
          `(${transactionReason(ctx.file.runner.id, stmt.transaction as 'runner' | 'explicit' | 'implicit', unitSize)}). ` +
          `The ADD's ${held} is held until that transaction commits, so the validation scan of ${table} runs under it: NOT VALID saves nothing.`,
        help: `Commit the ADD first: move \`ALTER TABLE ${quoteQualified(table)} VALIDATE CONSTRAINT ${quoteIdent(name)}\` to a later migration, where it only takes SHARE UPDATE EXCLUSIVE and reads and writes continue during the scan.`,
      });
    }
  },
});

/** The earlier ADD CONSTRAINT … NOT VALID of `name` on `table` within the same transaction as `stmt`. */
function findAdd(
  statements: readonly Statement[],
  stmt: Statement,
  table: string,
  relName: string,
  name: string,
): { stmt: Statement; facts: ddl.ConstraintFacts } | undefined {
  for (let i = stmt.index - 1; i >= 0; i--) {
    const p = statements[i];
    if (!p || p.sectionIndex !== stmt.sectionIndex) return undefined;
    const t = transactionKind(p);
    if (t === 'close' || p.transaction !== stmt.transaction) return undefined;
    if (t === 'open') return undefined;
    if (p.kind !== 'AlterTableStmt') continue;
    const r = ast.relationOf(p.node?.['relation']);
    if (!r || ast.qualified(r) !== table) continue;
    for (const c of ast.list(p.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      if (ast.str(cmd, 'subtype') !== 'AT_AddConstraint') continue;
      const f = ddl.constraintFacts(cmd?.['def']);
      if (!f || !f.notValid) continue;
      const columns = f.kind === 'check' ? [...ast.columnRefs(f.expr)] : f.columns;
      const implicit =
        f.kind === 'foreign' ? derivedName(relName, ...columns, 'fkey') : derivedName(relName, ...(columns.length === 1 ? columns : []), 'check');
      if ((f.name ?? implicit) === name) return { stmt: p, facts: f };
    }
  }
  return undefined;
}
