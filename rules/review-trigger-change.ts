import { ast, defineRule, describeBlocking, keywordRange, type Statement } from '../server/src/engine';

const TRIGGER_TOGGLES = new Set([
  'AT_EnableTrig',
  'AT_EnableAlwaysTrig',
  'AT_EnableReplicaTrig',
  'AT_EnableTrigAll',
  'AT_EnableTrigUser',
  'AT_DisableTrig',
  'AT_DisableTrigAll',
  'AT_DisableTrigUser',
]);

/** CREATE / DROP TRIGGER and ENABLE / DISABLE TRIGGER on an existing table without a lock_timeout. */
export const reviewTriggerChange = defineRule({
  meta: {
    id: 'review-trigger-change',
    kinds: ['CreateTrigStmt', 'DropStmt', 'AlterTableStmt'],
    severity: 'info',
    summary: 'Set lock_timeout before creating, dropping, enabling or disabling triggers on existing tables',
    claims: { lock: 'SHARE ROW EXCLUSIVE' },
  },
  check(stmt, ctx) {
    const what = describe(stmt);
    if (!what) return;
    const effect = stmt.effects.find((e) => e.relation === what.table);
    if (!effect || effect.createdInFile) return;
    if (lockTimeoutSetBefore(ctx.file.statements, stmt)) return;
    const readsBlocked = describeBlocking(effect.lock).startsWith('blocks reads');
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, what.keyword),
      // ACCESS EXCLUSIVE (DROP TRIGGER) queues plain SELECTs too: one stuck DROP TRIGGER stops the whole table.
      ...(readsBlocked ? { severity: 'warning' as const } : {}),
      message:
        `${what.op} takes ${effect.lock} on ${what.table} (${describeBlocking(effect.lock)}). The change itself is quick, but the lock waits for every open transaction on ${what.table}, ` +
        `and while it waits all ${readsBlocked ? 'queries' : 'writes'} on ${what.table} queue behind it.` +
        (what.disables ? ` Until it is enabled again, every write skips the trigger's logic.` : ''),
      help: `Put \`SET lock_timeout = '3s';\` before it (SET LOCAL inside a transaction) and retry the migration if it times out, rather than letting traffic pile up behind the lock.`,
    });
  },
});

function describe(stmt: Statement): { op: string; table: string; keyword: RegExp; disables?: boolean } | undefined {
  if (stmt.kind === 'CreateTrigStmt') {
    const rel = ast.relationOf(stmt.node?.['relation']);
    const name = ast.str(stmt.node, 'trigname') ?? '';
    return rel ? { op: `CREATE TRIGGER ${name}`, table: ast.qualified(rel), keyword: /^CREATE\s+(?:OR\s+REPLACE\s+)?(?:CONSTRAINT\s+)?TRIGGER/i } : undefined;
  }
  if (stmt.kind === 'DropStmt' && ast.str(stmt.node, 'removeType') === 'OBJECT_TRIGGER') {
    const parts = ast.names(ast.list(ast.nodeOfKind(ast.list(stmt.node, 'objects')[0], 'List'), 'items'));
    const table = ast.relationFromNames(parts.slice(0, -1));
    return table ? { op: `DROP TRIGGER ${parts[parts.length - 1] ?? ''}`, table: ast.qualified(table), keyword: /^DROP\s+TRIGGER/i } : undefined;
  }
  if (stmt.kind === 'AlterTableStmt') {
    const rel = ast.relationOf(stmt.node?.['relation']);
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      const subtype = ast.str(cmd, 'subtype') ?? '';
      if (!rel || !TRIGGER_TOGGLES.has(subtype)) continue;
      const disables = subtype.startsWith('AT_Disable');
      const name = ast.str(cmd, 'name');
      const target = subtype.endsWith('All') ? 'ALL' : subtype.endsWith('User') ? 'USER' : (name ?? '');
      return {
        op: `${disables ? 'DISABLE' : 'ENABLE'} TRIGGER ${target}`,
        table: ast.qualified(rel),
        keyword: /(?:ENABLE|DISABLE)\s+(?:ALWAYS\s+|REPLICA\s+)?TRIGGER/i,
        disables,
      };
    }
  }
  return undefined;
}

/** A non-zero `SET [LOCAL] lock_timeout` in effect from earlier in the same section (a later RESET or 0 cancels it). */
function lockTimeoutSetBefore(statements: readonly Statement[], stmt: Statement): boolean {
  let set = false;
  for (const s of statements) {
    if (s.index >= stmt.index) break;
    if (s.sectionIndex !== stmt.sectionIndex || s.kind !== 'VariableSetStmt' || ast.str(s.node, 'name') !== 'lock_timeout') continue;
    if (ast.str(s.node, 'kind') !== 'VAR_SET_VALUE') {
      set = false;
      continue;
    }
    const arg = ast.nodeOfKind(ast.list(s.node, 'args')[0], 'A_Const');
    const value = ast.str(ast.obj(arg, 'sval'), 'sval') ?? String(ast.num(ast.obj(arg, 'ival'), 'ival') ?? 0);
    set = !/^0+\s*[a-z]*$/i.test(value.trim());
  }
  return set;
}
