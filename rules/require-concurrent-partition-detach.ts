import {
  ast,
  concurrentDetachFix,
  defineRule,
  describeBlocking,
  existingTableEffect,
  fixesOf,
  keywordRange,
  outsideTransactionAdvice,
  quoteQualified,
} from '../server/src/engine';

/** ALTER TABLE … DETACH PARTITION without CONCURRENTLY: ACCESS EXCLUSIVE on the partitioned table. */
export const requireConcurrentPartitionDetach = defineRule({
  meta: {
    id: 'require-concurrent-partition-detach',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Detach partitions with DETACH PARTITION … CONCURRENTLY',
    claims: { lock: 'ACCESS EXCLUSIVE' },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    const rel = ast.relationOf(stmt.node?.['relation']);
    if (!rel) return;
    const parent = ast.qualified(rel);
    const parentEffect = existingTableEffect(stmt, parent);
    if (!parentEffect) return;
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      if (ast.str(cmd, 'subtype') !== 'AT_DetachPartition') continue;
      const partCmd = ast.nodeOfKind(cmd?.['def'], 'PartitionCmd');
      if (ast.flag(partCmd, 'concurrent')) continue;
      const partRef = ast.relationOf(partCmd?.['name']);
      const partition = partRef ? ast.qualified(partRef) : '(partition)';
      const sql = `ALTER TABLE ${quoteQualified(parent)} DETACH PARTITION ${quoteQualified(partition)} CONCURRENTLY`;
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, /DETACH\s+PARTITION/i),
        message:
          `DETACH PARTITION ${partition} takes ${parentEffect.lock} on the partitioned table ${parent}: it ${describeBlocking(parentEffect.lock)} on every partition of ${parent}, ` +
          `and while it waits for running transactions to finish, every new query on ${parent} queues behind it.`,
        help:
          ctx.pgVersion >= 14
            ? `Use \`${sql}\` (SHARE UPDATE EXCLUSIVE: reads and writes continue). It cannot run in a transaction block (${outsideTransactionAdvice(ctx.file.runner.id)}) ` +
              `nor when ${parent} has a DEFAULT partition; if it is interrupted, complete it with \`ALTER TABLE ${quoteQualified(parent)} DETACH PARTITION ${quoteQualified(partition)} FINALIZE\`.`
            : `PostgreSQL ${ctx.pgVersion} has no concurrent detach (it arrived in 14): set a short lock_timeout before the statement and retry, off-peak.`,
        fixes: () => fixesOf(concurrentDetachFix(ctx.file, stmt, ctx.fixEnv, ctx.pgVersion)),
      });
    }
  },
});
