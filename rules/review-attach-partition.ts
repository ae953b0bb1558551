import {
  ast,
  ddl,
  defineRule,
  derivedName,
  describeBlocking,
  keywordRange,
  quoteIdent,
  quoteQualified,
  severityForSize,
  sizeNote,
  type Statement,
} from '../server/src/engine';

/** ALTER TABLE … ATTACH PARTITION: a full scan of the partition under ACCESS EXCLUSIVE unless a valid CHECK proves the bound. */
export const reviewAttachPartition = defineRule({
  meta: {
    id: 'review-attach-partition',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Prove the partition bound with a validated CHECK constraint before ATTACH PARTITION',
    claims: { lock: 'SHARE UPDATE EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = ast.relationOf(stmt.node?.['relation']);
    if (!rel) return;
    const parent = ast.qualified(rel);
    const parentEffect = stmt.effects.find((e) => e.relation === parent);
    if (!parentEffect) return;
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      if (ast.str(cmd, 'subtype') !== 'AT_AttachPartition') continue;
      const partRef = ast.relationOf(ast.nodeOfKind(cmd?.['def'], 'PartitionCmd')?.['name']);
      if (!partRef) continue;
      const partition = ast.qualified(partRef);
      const partEffect = stmt.effects.find((e) => e.relation === partition);
      if (!partEffect) continue;
      const parentBlocksTraffic = describeBlocking(parentEffect.lock) !== describeBlocking('SHARE UPDATE EXCLUSIVE');
      const proven = partEffect.createdInFile || hasValidCheck(ctx.file.statements, stmt, partition);
      if (proven && !parentBlocksTraffic) continue;
      if (parentEffect.createdInFile && partEffect.createdInFile) continue;
      const bound = /FOR\s+VALUES\s+([\s\S]*?)\s*;?\s*$/i.exec(stmt.text)?.[1]?.replace(/\s+/g, ' ');
      const check = quoteIdent(derivedName(partRef.name, 'bound'));
      const p = quoteQualified(partition);
      const scan = proven
        ? ''
        : `it reads every row of ${partition} to prove they fit the partition bound while holding ${partEffect.lock} on ${partition} (${describeBlocking(partEffect.lock)})${sizeNote(ctx, partition)}; `;
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, /ATTACH\s+PARTITION/i),
        severity: proven ? 'warning' : severityForSize(ctx, partition, 'warning'),
        message:
          `ATTACH PARTITION ${partition}: ${scan}the parent ${parent} is locked ${parentEffect.lock} meanwhile (${describeBlocking(parentEffect.lock)})` +
          (parentBlocksTraffic && ctx.pgVersion < 12 ? ', since before PostgreSQL 12 attaching locks the parent fully' : '') +
          '.',
        help: proven
          ? `Before PostgreSQL 12 there is no lighter form: set a short lock_timeout, attach off-peak, and keep the partition's rows proven by a validated CHECK so the lock is brief.`
          : `First add a CHECK constraint that matches the bound ${bound ?? ''} exactly (including IS NOT NULL on the key columns if they are nullable) with ` +
            `\`ALTER TABLE ${p} ADD CONSTRAINT ${check} CHECK (…) NOT VALID\`, then \`ALTER TABLE ${p} VALIDATE CONSTRAINT ${check}\` (SHARE UPDATE EXCLUSIVE: traffic continues); ` +
            `the attach then skips the scan. Drop the check after attaching.`,
      });
    }
  },
});

/** A CHECK constraint on `table` that is valid before `stmt`: added without NOT VALID, or validated. */
function hasValidCheck(statements: readonly Statement[], stmt: Statement, table: string): boolean {
  for (const s of statements) {
    if (s.index >= stmt.index) break;
    if (s.kind !== 'AlterTableStmt' || s.sectionIndex !== stmt.sectionIndex) continue;
    const r = ast.relationOf(s.node?.['relation']);
    if (!r || ast.qualified(r) !== table) continue;
    for (const c of ast.list(s.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      const subtype = ast.str(cmd, 'subtype');
      if (subtype === 'AT_ValidateConstraint') return true;
      if (subtype === 'AT_AddConstraint') {
        const f = ddl.constraintFacts(cmd?.['def']);
        if (f?.kind === 'check' && !f.notValid) return true;
      }
    }
  }
  return false;
}
