import { ast, defineRule, describeBlocking, keywordRange, quoteQualified, severityForSize, sizeNote } from '../server/src/engine';

/** VACUUM FULL: rewrites the table (and rebuilds its indexes) under ACCESS EXCLUSIVE. */
export const banVacuumFull = defineRule({
  meta: {
    id: 'ban-vacuum-full',
    kinds: ['VacuumStmt'],
    severity: 'warning',
    summary: 'Do not run VACUUM FULL in migrations; use plain VACUUM, or pg_repack outside the deploy',
    claims: { lock: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'VacuumStmt' || !ast.flag(stmt.node, 'is_vacuumcmd')) return;
    const options = ast.list(stmt.node, 'options').map((o) => ast.str(ast.nodeOfKind(o, 'DefElem'), 'defname') ?? '');
    if (!options.includes('full')) return;
    const range = keywordRange(stmt, /\bFULL\b/i);
    if (ast.list(stmt.node, 'rels').length === 0) {
      ctx.report({
        statement: stmt,
        ...range,
        message:
          'VACUUM FULL without a table name rewrites every table of the database one after another, each locked against all reads and writes until its copy is done.',
        help: 'Use plain VACUUM (reads and writes continue); reclaim space of specific bloated tables with pg_repack or pg_squeeze, outside the migration.',
      });
      return;
    }
    for (const e of stmt.effects) {
      if (e.createdInFile || !e.rewrite) continue;
      ctx.report({
        statement: stmt,
        ...range,
        severity: severityForSize(ctx, e.relation, 'warning'),
        message:
          `VACUUM FULL writes a complete new copy of ${e.relation} and rebuilds all its indexes while holding ${e.lock} on it: ` +
          `it ${describeBlocking(e.lock)} until the copy is done${sizeNote(ctx, e.relation)}, and needs free disk space for the whole copy.`,
        help: `Use plain \`VACUUM ${quoteQualified(e.relation)}\` (SHARE UPDATE EXCLUSIVE: reads and writes continue) to make dead space reusable; to give space back to the operating system, run pg_repack or pg_squeeze outside the migration.`,
      });
    }
  },
});
