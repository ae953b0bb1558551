/**
 * The effects model: for one parsed statement, which relations it locks in which mode, and
 * whether it rewrites, scans or builds an index. ALTER TABLE follows PostgreSQL's
 * AlterTableGetLockLevel (tablecmds.c): the statement takes the strongest lock of its subcommands.
 * Every claim here is meant to be checked against a real server by the tracer tests.
 */
import { type AstObject, flag, list, names, nodeOfKind, obj, qualified, relationFromNames, relationOf, str, typeOf } from '../parse/ast';
import { EffectSet, type StatementEffects } from './effect';
import type { FileState } from './file-state';
import type { LockMode } from './locks';
import { isVolatileExpression } from './volatility';
import { columnDefFacts, constraintFacts } from './ddl-facts';
import { describeType, typeChangeVerdict } from './type-change';

export interface EffectsContext {
  pgVersion: number;
  state: FileState;
}

/** Reloptions whose change needs ACCESS EXCLUSIVE (reloptions.c); all others take SHARE UPDATE EXCLUSIVE. */
const ACCESS_EXCLUSIVE_RELOPTIONS = new Set([
  'user_catalog_table',
  'security_barrier',
  'security_invoker',
  'check_option',
  'fastupdate',
  'gin_pending_list_limit',
  'buffering',
  'pages_per_range',
  'autosummarize',
]);

const SERIAL_TYPES = new Set(['serial', 'bigserial', 'smallserial', 'serial2', 'serial4', 'serial8']);

export function statementEffects(kind: string, node: AstObject, ctx: EffectsContext): StatementEffects {
  const set = new EffectSet((r) => ctx.state.isNewTable(r));
  switch (kind) {
    case 'AlterTableStmt':
      alterTable(node, ctx, set);
      break;
    case 'IndexStmt': {
      const rel = relationOf(node['relation']);
      if (!rel) break;
      const concurrent = flag(node, 'concurrent');
      set.add(qualified(rel), concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', { indexBuild: true, scan: true });
      set.concurrently = concurrent;
      set.noTransactionBlock = concurrent;
      break;
    }
    case 'DropStmt':
      dropStatement(node, ctx, set);
      break;
    case 'CreateStmt': {
      const rel = relationOf(node['relation']);
      if (rel) {
        set.add(qualified(rel), 'ACCESS EXCLUSIVE');
        set.markNew(qualified(rel));
      }
      for (const elt of list(node, 'tableElts')) {
        const col = nodeOfKind(elt, 'ColumnDef');
        const cons = col ? list(col, 'constraints') : [elt];
        for (const c of cons) {
          const f = constraintFacts(c);
          if (f?.kind === 'foreign' && f.referencedTable) set.add(f.referencedTable, 'SHARE ROW EXCLUSIVE');
        }
      }
      break;
    }
    case 'CreateTableAsStmt': {
      const into = obj(node, 'into');
      const rel = relationOf(into?.['rel']);
      if (rel) {
        set.add(qualified(rel), 'ACCESS EXCLUSIVE', {}, str(node, 'objtype') === 'OBJECT_MATVIEW' ? 'matview' : 'table');
        set.markNew(qualified(rel));
      }
      break;
    }
    case 'RenameStmt': {
      const rel = relationOf(node['relation']);
      const objType = str(node, 'renameType') ?? '';
      // ALTER INDEX … RENAME takes SHARE UPDATE EXCLUSIVE since PG 12.
      const isIndex = objType === 'OBJECT_INDEX';
      if (rel) set.add(qualified(rel), isIndex && ctx.pgVersion >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', {}, isIndex ? 'index' : 'table');
      break;
    }
    case 'TruncateStmt': {
      // TRUNCATE swaps in new, empty files (a new relfilenode); CASCADE also empties every table
      // with a foreign key to these, as far as the schema model knows them.
      const cascade = str(node, 'behavior') === 'DROP_CASCADE';
      for (const r of list(node, 'relations')) {
        const rel = relationOf(r);
        if (!rel) continue;
        set.add(qualified(rel), 'ACCESS EXCLUSIVE', { rewrite: true });
        if (cascade) for (const child of ctx.state.schema.referencingTables(qualified(rel))) set.add(child, 'ACCESS EXCLUSIVE', { rewrite: true });
      }
      break;
    }
    case 'VacuumStmt':
      vacuum(node, set);
      break;
    case 'ClusterStmt': {
      const rel = relationOf(node['relation']);
      if (rel) set.add(qualified(rel), 'ACCESS EXCLUSIVE', { rewrite: true });
      break;
    }
    case 'ReindexStmt':
      reindex(node, ctx, set);
      break;
    case 'RefreshMatViewStmt': {
      const rel = relationOf(node['relation']);
      const concurrent = flag(node, 'concurrent');
      if (rel) set.add(qualified(rel), concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE', { rewrite: !concurrent, scan: concurrent }, 'matview');
      break;
    }
    case 'CreateTrigStmt': {
      const rel = relationOf(node['relation']);
      if (rel) set.add(qualified(rel), 'SHARE ROW EXCLUSIVE');
      break;
    }
    case 'LockStmt': {
      const mode = lockModeFromNumber(node['mode']);
      for (const r of list(node, 'relations')) {
        const rel = relationOf(r);
        if (rel) set.add(qualified(rel), mode);
      }
      break;
    }
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'InsertStmt': {
      const rel = relationOf(node['relation']);
      set.dml = true;
      if (!rel) break;
      const table = qualified(rel);
      set.add(table, 'ROW EXCLUSIVE', { scan: kind !== 'InsertStmt' && node['whereClause'] === undefined });
      foreignKeyLocks(kind, node, table, ctx, set);
      break;
    }
    case 'CommentStmt': {
      const objType = str(node, 'objtype');
      if (objType === 'OBJECT_TABLE' || objType === 'OBJECT_COLUMN') {
        const parts = names(list(nodeOfKind(node['object'], 'List'), 'items'));
        const rel = relationFromNames(objType === 'OBJECT_COLUMN' ? parts.slice(0, -1) : parts);
        if (rel) set.add(qualified(rel), 'SHARE UPDATE EXCLUSIVE');
      }
      break;
    }
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt': {
      const rel = relationOf(node['table']);
      if (rel) set.add(qualified(rel), 'ACCESS EXCLUSIVE');
      break;
    }
    case 'RuleStmt': {
      const rel = relationOf(node['relation']);
      if (rel) set.add(qualified(rel), 'ACCESS EXCLUSIVE');
      break;
    }
    case 'CreateStatsStmt':
      for (const r of list(node, 'relations')) {
        const rel = relationOf(r);
        if (rel) set.add(qualified(rel), 'SHARE UPDATE EXCLUSIVE');
      }
      break;
    case 'AlterDomainStmt': {
      // ADD CONSTRAINT (validated) and VALIDATE CONSTRAINT check every column of the domain's type,
      // holding SHARE on each table that has one; NOT VALID changes only the catalog.
      const subtype = str(node, 'subtype');
      // C: ADD CONSTRAINT, V: VALIDATE CONSTRAINT, O: SET NOT NULL.
      const validates = (subtype === 'C' && !constraintFacts(node['def'])?.notValid) || subtype === 'V' || subtype === 'O';
      if (validates) {
        const domain = names(list(node, 'typeName')).pop() ?? '';
        for (const t of ctx.state.schema.tablesWithColumnType(domain)) set.add(t, 'SHARE', { scan: true });
      }
      break;
    }
    case 'AlterEnumStmt':
      // ALTER TYPE … ADD VALUE: before PG 12 it cannot run inside a transaction block.
      if (ctx.pgVersion < 12 && str(node, 'oldVal') === undefined) set.noTransactionBlock = true;
      break;
    case 'CreatedbStmt':
    case 'DropdbStmt':
    case 'CreateTableSpaceStmt':
    case 'DropTableSpaceStmt':
    case 'AlterSystemStmt':
      set.noTransactionBlock = true;
      break;
    default:
      break;
  }
  return set.build();
}

function alterTable(node: AstObject, ctx: EffectsContext, set: EffectSet): void {
  const rel = relationOf(node['relation']);
  if (!rel) return;
  const table = qualified(rel);
  const objType = str(node, 'objtype');
  const relKind = objType === 'OBJECT_INDEX' ? 'index' : objType === 'OBJECT_MATVIEW' ? 'matview' : objType === 'OBJECT_VIEW' ? 'view' : 'table';
  for (const c of list(node, 'cmds')) {
    const cmd = nodeOfKind(c, 'AlterTableCmd');
    if (!cmd) continue;
    alterTableCommand(table, relKind, cmd, ctx, set);
  }
}

function alterTableCommand(table: string, relKind: 'table' | 'index' | 'matview' | 'view', cmd: AstObject, ctx: EffectsContext, set: EffectSet): void {
  const subtype = str(cmd, 'subtype') ?? '';
  const column = str(cmd, 'name') ?? str(nodeOfKind(cmd['def'], 'ColumnDef'), 'colname');
  const add = (lock: LockMode, flags: { rewrite?: boolean; scan?: boolean; indexBuild?: boolean } = {}): void =>
    set.action(subtype, table, lock, flags, column, relKind);
  switch (subtype) {
    case 'AT_AddColumn':
    case 'AT_AddColumnToView': {
      const col = columnDefFacts(nodeOfKind(cmd['def'], 'ColumnDef'));
      let rewrite = false;
      let scan = false;
      let indexBuild = false;
      if (col) {
        const volatileDefault = col.defaultExpr !== undefined && isVolatileExpression(col.defaultExpr);
        const anyDefaultBefore11 = col.defaultExpr !== undefined && ctx.pgVersion < 11;
        const serial = SERIAL_TYPES.has(col.type?.name.toLowerCase() ?? '');
        const storedGenerated = col.generated === 'stored' || (col.generated === 'virtual' && ctx.pgVersion < 18);
        rewrite = volatileDefault || anyDefaultBefore11 || serial || col.identity || storedGenerated;
        scan = (col.notNull && col.defaultExpr === undefined && !rewrite) || col.constraints.some((k) => k.kind === 'check');
        for (const k of col.constraints) {
          if (k.kind === 'unique' || k.kind === 'primary') indexBuild = true;
          if (k.kind === 'foreign' && k.referencedTable) {
            set.add(k.referencedTable, 'SHARE ROW EXCLUSIVE');
            scan ||= !k.notValid;
          }
        }
      }
      add('ACCESS EXCLUSIVE', { rewrite, scan, indexBuild });
      return;
    }
    case 'AT_SetNotNull': {
      const column = str(cmd, 'name') ?? '';
      const implied = ctx.pgVersion >= 12 && ctx.state.hasValidNotNullCheck(table, column);
      add('ACCESS EXCLUSIVE', { scan: !implied });
      return;
    }
    case 'AT_AddConstraint': {
      const f = constraintFacts(cmd['def']);
      if (!f) {
        add('ACCESS EXCLUSIVE');
        return;
      }
      switch (f.kind) {
        case 'foreign':
          add('SHARE ROW EXCLUSIVE', { scan: !f.notValid });
          if (f.referencedTable) set.add(f.referencedTable, 'SHARE ROW EXCLUSIVE');
          return;
        case 'unique':
        case 'primary':
        case 'exclusion': {
          // USING INDEX attaches an existing index: no build; PRIMARY KEY still scans to prove NOT NULL
          // unless every key column is already known NOT NULL.
          const keys = f.usingIndex ? (ctx.state.schema.indexes.get(f.usingIndex)?.columns ?? []) : f.columns;
          const allNotNull = keys.length > 0 && keys.every((k) => ctx.state.schema.column(table, k)?.notNull === true);
          add('ACCESS EXCLUSIVE', {
            indexBuild: f.usingIndex === undefined,
            scan: f.usingIndex === undefined || (f.kind === 'primary' && !allNotNull),
          });
          return;
        }
        case 'check':
          add('ACCESS EXCLUSIVE', { scan: !f.notValid });
          return;
        case 'notnull':
          // PG 18: ADD CONSTRAINT … NOT NULL col [NOT VALID]
          add('ACCESS EXCLUSIVE', { scan: !f.notValid });
          return;
        default:
          add('ACCESS EXCLUSIVE');
          return;
      }
    }
    case 'AT_ValidateConstraint': {
      add('SHARE UPDATE EXCLUSIVE', { scan: true });
      const referenced = foreignKeyTarget(ctx, str(cmd, 'name') ?? '');
      if (referenced) set.add(referenced, 'ROW SHARE');
      return;
    }
    case 'AT_AlterColumnType': {
      const def = nodeOfKind(cmd['def'], 'ColumnDef');
      const to = typeOf(obj(def, 'typeName'));
      const from = ctx.state.schema.column(table, column ?? '')?.type;
      const verdict = to ? typeChangeVerdict(from, to, def?.['raw_default'], column ?? '') : { rewrite: true, reason: 'unknown target type' };
      // A rewriting type change drops and re-creates the indexes that use the column.
      const rebuildsIndex = verdict.rewrite && ctx.state.schema.indexesOn(table).some((i) => i.columns.includes(column ?? ''));
      set.action(subtype, table, 'ACCESS EXCLUSIVE', { rewrite: verdict.rewrite, indexBuild: rebuildsIndex }, column, relKind, {
        fromType: describeType(from),
        ...(to ? { toType: describeType(to) } : {}),
        reason: verdict.reason,
      });
      return;
    }
    case 'AT_SetLogged':
    case 'AT_SetUnLogged':
    case 'AT_SetAccessMethod':
    case 'AT_SetTableSpace':
    case 'AT_SetExpression':
      add('ACCESS EXCLUSIVE', { rewrite: true });
      return;
    case 'AT_DropExpression':
      add('ACCESS EXCLUSIVE');
      return;
    case 'AT_SetStatistics':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_DetachPartitionFinalize':
      add('SHARE UPDATE EXCLUSIVE');
      return;
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions': {
      // AlterTableGetRelOptionsLockLevel: the strongest lock any named option needs.
      const options = list(nodeOfKind(cmd['def'], 'List'), 'items').map((d) => str(nodeOfKind(d, 'DefElem'), 'defname') ?? '');
      add(options.some((o) => ACCESS_EXCLUSIVE_RELOPTIONS.has(o)) ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE');
      return;
    }
    case 'AT_DropConstraint': {
      add('ACCESS EXCLUSIVE');
      // Dropping a FK removes its triggers on the referenced table too (RemoveTriggerById).
      const referenced = foreignKeyTarget(ctx, str(cmd, 'name') ?? '');
      if (referenced && referenced !== table) set.add(referenced, 'ACCESS EXCLUSIVE');
      return;
    }
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_EnableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrig':
    case 'AT_DisableTrigAll':
    case 'AT_DisableTrigUser':
      add('SHARE ROW EXCLUSIVE');
      return;
    case 'AT_AttachPartition': {
      const partCmd = nodeOfKind(cmd['def'], 'PartitionCmd');
      const part = relationOf(partCmd?.['name']);
      add(ctx.pgVersion >= 12 ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE');
      if (part) set.add(qualified(part), 'ACCESS EXCLUSIVE', { scan: true });
      return;
    }
    case 'AT_DetachPartition': {
      const partCmd = nodeOfKind(cmd['def'], 'PartitionCmd');
      const part = relationOf(partCmd?.['name']);
      const concurrent = flag(partCmd, 'concurrent');
      // The parent gets SHARE UPDATE EXCLUSIVE with CONCURRENTLY; the partition is still taken
      // ACCESS EXCLUSIVE (observed on PostgreSQL 18 by the tracer).
      add(concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE');
      if (part) set.add(qualified(part), 'ACCESS EXCLUSIVE');
      if (concurrent) {
        set.concurrently = true;
        set.noTransactionBlock = true;
      }
      return;
    }
    default:
      // AlterTableGetLockLevel's default branch: ACCESS EXCLUSIVE (DROP COLUMN, SET/DROP DEFAULT,
      // DROP NOT NULL, DROP CONSTRAINT, OWNER, INHERIT, REPLICA IDENTITY, ROW LEVEL SECURITY, …).
      add('ACCESS EXCLUSIVE');
      return;
  }
}

function dropStatement(node: AstObject, ctx: EffectsContext, set: EffectSet): void {
  const removeType = str(node, 'removeType') ?? '';
  const concurrent = flag(node, 'concurrent');
  for (const o of list(node, 'objects')) {
    const parts = objectNameParts(o);
    const rel = relationFromNames(parts);
    if (!rel) continue;
    const name = qualified(rel);
    switch (removeType) {
      case 'OBJECT_INDEX': {
        // Both forms end with ACCESS EXCLUSIVE on the index itself (index_drop); CONCURRENTLY only
        // takes SHARE UPDATE EXCLUSIVE on the table, after the index was made invalid and unused.
        const table = indexTable(ctx, name);
        set.add(name, 'ACCESS EXCLUSIVE', {}, 'index');
        if (table) set.add(table, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE');
        break;
      }
      case 'OBJECT_TABLE':
      case 'OBJECT_FOREIGN_TABLE':
        set.add(name, 'ACCESS EXCLUSIVE');
        // Its foreign keys' triggers live on the parent tables too, and are dropped with it.
        for (const fk of ctx.state.schema.foreignKeysOf(name)) if (fk.referencedTable !== name) set.add(fk.referencedTable, 'ACCESS EXCLUSIVE');
        break;
      case 'OBJECT_MATVIEW':
        set.add(name, 'ACCESS EXCLUSIVE', {}, 'matview');
        break;
      case 'OBJECT_VIEW':
        set.add(name, 'ACCESS EXCLUSIVE', {}, 'view');
        break;
      case 'OBJECT_SEQUENCE':
        set.add(name, 'ACCESS EXCLUSIVE', {}, 'sequence');
        break;
      case 'OBJECT_SCHEMA':
        // CASCADE drops every object in it; without CASCADE a non-empty schema cannot be dropped.
        if (str(node, 'behavior') === 'DROP_CASCADE') for (const t of ctx.state.schema.tablesInSchema(rel.name)) set.add(t, 'ACCESS EXCLUSIVE');
        break;
      case 'OBJECT_TRIGGER':
      case 'OBJECT_RULE':
      case 'OBJECT_POLICY': {
        // `DROP TRIGGER trg ON tbl`: the list is [schema.]table + object name
        const table = relationFromNames(parts.slice(0, -1));
        if (table) set.add(qualified(table), 'ACCESS EXCLUSIVE');
        break;
      }
      default:
        break;
    }
  }
  if (concurrent) {
    set.concurrently = true;
    set.noTransactionBlock = true;
  }
}

function vacuum(node: AstObject, set: EffectSet): void {
  const options = list(node, 'options').map((o) => str(nodeOfKind(o, 'DefElem'), 'defname') ?? '');
  const isVacuum = flag(node, 'is_vacuumcmd');
  const full = options.includes('full');
  if (isVacuum) set.noTransactionBlock = true;
  for (const r of list(node, 'rels')) {
    const vr = nodeOfKind(r, 'VacuumRelation');
    const rel = relationOf(vr?.['relation']);
    if (!rel) continue;
    if (isVacuum && full) set.add(qualified(rel), 'ACCESS EXCLUSIVE', { rewrite: true });
    // Plain VACUUM/ANALYZE visit pages (ANALYZE samples) without blocking reads or writes: no full-read claim.
    else set.add(qualified(rel), 'SHARE UPDATE EXCLUSIVE');
  }
}

function reindex(node: AstObject, ctx: EffectsContext, set: EffectSet): void {
  const kind = str(node, 'kind') ?? '';
  const concurrent = list(node, 'params').some((p) => str(nodeOfKind(p, 'DefElem'), 'defname') === 'concurrently');
  const rel = relationOf(node['relation']);
  if (concurrent) {
    set.concurrently = true;
    set.noTransactionBlock = true;
  }
  if (kind === 'REINDEX_OBJECT_SCHEMA' || kind === 'REINDEX_OBJECT_DATABASE' || kind === 'REINDEX_OBJECT_SYSTEM') {
    set.noTransactionBlock = true;
    return;
  }
  if (!rel) return;
  const name = qualified(rel);
  if (kind === 'REINDEX_OBJECT_INDEX') {
    // The table first (SHARE, or SHARE UPDATE EXCLUSIVE concurrently), then the index is rebuilt.
    const table = indexTable(ctx, name);
    if (table) set.add(table, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', { scan: true, indexBuild: true });
    // CONCURRENTLY builds a new index, swaps it in and drops the old one under a brief ACCESS EXCLUSIVE.
    set.add(name, 'ACCESS EXCLUSIVE', { indexBuild: true }, 'index');
  } else {
    set.add(name, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE', { indexBuild: true, scan: true });
  }
}

/**
 * Row-level foreign-key checks and actions lock the other side, when rows are affected:
 * inserting or re-pointing a child row locks the parent (SELECT … FOR KEY SHARE: ROW SHARE);
 * deleting a parent row runs the child's ON DELETE action (CASCADE / SET NULL / SET DEFAULT:
 * ROW EXCLUSIVE) or checks it (NO ACTION / RESTRICT: ROW SHARE).
 */
function foreignKeyLocks(kind: string, node: AstObject, table: string, ctx: EffectsContext, set: EffectSet): void {
  const schema = ctx.state.schema;
  if (kind === 'InsertStmt' || kind === 'UpdateStmt') {
    const targets = kind === 'UpdateStmt' ? new Set(list(node, 'targetList').map((t) => str(nodeOfKind(t, 'ResTarget'), 'name') ?? '')) : undefined;
    for (const fk of schema.foreignKeysOf(table)) {
      if (targets && !fk.columns.some((c) => targets.has(c))) continue;
      if (fk.referencedTable !== table) set.add(fk.referencedTable, 'ROW SHARE');
    }
  }
  if (kind === 'DeleteStmt') {
    for (const fk of schema.foreignKeysTo(table)) {
      if (fk.table === table) continue;
      const acts = fk.onDelete === 'cascade' || fk.onDelete === 'set null' || fk.onDelete === 'set default';
      set.add(fk.table, acts ? 'ROW EXCLUSIVE' : 'ROW SHARE');
    }
  }
}

/** The referenced table of a foreign key constraint known from this section or earlier migrations. */
function foreignKeyTarget(ctx: EffectsContext, constraint: string): string | undefined {
  return ctx.state.schema.foreignKeys.get(constraint)?.referencedTable;
}

/** The table an index belongs to, from this section's statements or earlier migrations. */
function indexTable(ctx: EffectsContext, index: string): string | undefined {
  const bareName = index.slice(index.lastIndexOf('.') + 1);
  return ctx.state.schema.indexes.get(bareName)?.table;
}

/** LockStmt.mode is the numeric LOCKMODE (1 = AccessShareLock … 8 = AccessExclusiveLock). */
function lockModeFromNumber(mode: unknown): LockMode {
  const byNumber: Record<number, LockMode> = {
    1: 'ACCESS SHARE',
    2: 'ROW SHARE',
    3: 'ROW EXCLUSIVE',
    4: 'SHARE UPDATE EXCLUSIVE',
    5: 'SHARE',
    6: 'SHARE ROW EXCLUSIVE',
    7: 'EXCLUSIVE',
    8: 'ACCESS EXCLUSIVE',
  };
  return typeof mode === 'number' ? (byNumber[mode] ?? 'ACCESS EXCLUSIVE') : 'ACCESS EXCLUSIVE';
}

/** A DropStmt object: a dotted name list (`List` of `String`), or a bare `String` (schemas, databases). */
function objectNameParts(o: unknown): string[] {
  const l = nodeOfKind(o, 'List');
  return l ? names(list(l, 'items')) : names([o]);
}
