/**
 * The CONCURRENTLY forms of REINDEX (PG 12+), REFRESH MATERIALIZED VIEW and DETACH PARTITION
 * (PG 14+): the same statement with the keyword added, placed where the runner can run it.
 */
import { flag, list, nodeOfKind, obj, qualified, relationOf, str } from '../parse/ast';
import type { FileView } from '../lint/rule';
import type { Statement } from '../model/statement';
import { quoteQualified } from '../text/sql-text';
import type { Fix } from './fix';
import type { FixEnvironment } from './placement';
import { runAloneFix } from './recipes';

const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'pg_toast', 'information_schema']);

/** `REINDEX [(…)] INDEX|TABLE name` → `… INDEX|TABLE CONCURRENTLY name`, run alone outside a transaction. */
export function concurrentReindexFix(file: FileView, stmt: Statement, env: FixEnvironment | undefined, pgVersion: number): Fix | undefined {
  if (pgVersion < 12 || stmt.kind !== 'ReindexStmt' || stmt.concurrently) return undefined;
  const kind = str(stmt.node, 'kind');
  if (kind !== 'REINDEX_OBJECT_INDEX' && kind !== 'REINDEX_OBJECT_TABLE') return undefined;
  const rel = relationOf(stmt.node?.['relation']);
  // System catalogs cannot be reindexed concurrently.
  if (!rel || SYSTEM_SCHEMAS.has(rel.schema ?? '') || (rel.schema === undefined && rel.name.startsWith('pg_'))) return undefined;
  const m = /^(REINDEX(?:\s*\([^)]*\))?\s+(?:INDEX|TABLE))(\s+)/i.exec(stmt.text);
  if (!m) return undefined;
  const rewritten = `${m[1]} CONCURRENTLY${m[2]}${stmt.text.slice(m[0].length)}`;
  const target = qualified(rel);
  const isTable = kind === 'REINDEX_OBJECT_TABLE';
  const fix = runAloneFix(
    file,
    stmt,
    rewritten,
    ['-- nothing to undo: REINDEX only rebuilt indexes'],
    `reindex_${rel.name}`,
    (where) => `Rebuild ${isTable ? `the indexes of ${target}` : target} concurrently ${where}`,
    env,
  );
  // REINDEX TABLE CONCURRENTLY skips the table's invalid indexes, which a plain REINDEX TABLE rebuilds.
  return fix && isTable ? { ...fix, safety: 'review' } : fix;
}

/** A unique index on `view` over plain columns with no WHERE: what REFRESH … CONCURRENTLY needs. */
function plainUniqueIndexKnown(file: FileView, stmt: Statement, view: string): boolean {
  const bare = (n: string): string => n.slice(n.lastIndexOf('.') + 1);
  const inFile = file.statements.some((s) => {
    if (s.index >= stmt.index || s.kind !== 'IndexStmt' || !flag(s.node, 'unique') || s.node?.['whereClause'] !== undefined) return false;
    const on = relationOf(s.node?.['relation']);
    const params = list(s.node, 'indexParams');
    return on !== undefined && bare(qualified(on)) === bare(view) && params.every((p) => str(nodeOfKind(p, 'IndexElem'), 'name') !== undefined);
  });
  return inFile || (file.baseline?.indexesOn(view).some((i) => i.unique && !i.columns.includes('(expression)')) ?? false);
}

/** `REFRESH MATERIALIZED VIEW m` → `… CONCURRENTLY m`, in place (it may run in a transaction block). */
export function concurrentRefreshFix(file: FileView, stmt: Statement): Fix | undefined {
  if (stmt.kind !== 'RefreshMatViewStmt' || flag(stmt.node, 'concurrent') || flag(stmt.node, 'skipData')) return undefined;
  const rel = relationOf(stmt.node?.['relation']);
  if (!rel || !plainUniqueIndexKnown(file, stmt, qualified(rel))) return undefined;
  const m = /^REFRESH\s+MATERIALIZED\s+VIEW/i.exec(stmt.text);
  if (!m) return undefined;
  return {
    title: `Refresh ${qualified(rel)} concurrently (reads continue during the refresh)`,
    safety: 'safe',
    preferred: true,
    steps: [{ kind: 'edit', start: stmt.start + m[0].length, end: stmt.start + m[0].length, newText: ' CONCURRENTLY' }],
  };
}

/** A DEFAULT partition of `parent` created or attached earlier in this file (the schema model does not track partitions). */
function defaultPartitionInFile(file: FileView, stmt: Statement, parent: string): boolean {
  const bare = (n: string): string => n.slice(n.lastIndexOf('.') + 1);
  return file.statements.some((s) => {
    if (s.index >= stmt.index) return false;
    if (s.kind === 'CreateStmt') {
      const of = relationOf(list(s.node, 'inhRelations')[0]);
      return flag(obj(s.node, 'partbound'), 'is_default') && of !== undefined && bare(qualified(of)) === bare(parent);
    }
    if (s.kind !== 'AlterTableStmt') return false;
    const on = relationOf(s.node?.['relation']);
    if (!on || bare(qualified(on)) !== bare(parent)) return false;
    return list(s.node, 'cmds').some((c) => {
      const cmd = nodeOfKind(c, 'AlterTableCmd');
      return str(cmd, 'subtype') === 'AT_AttachPartition' && flag(obj(nodeOfKind(cmd?.['def'], 'PartitionCmd'), 'bound'), 'is_default');
    });
  });
}

/** `ALTER TABLE parent DETACH PARTITION p` → `… DETACH PARTITION p CONCURRENTLY`, run alone outside a transaction. */
export function concurrentDetachFix(file: FileView, stmt: Statement, env: FixEnvironment | undefined, pgVersion: number): Fix | undefined {
  if (pgVersion < 14 || stmt.kind !== 'AlterTableStmt') return undefined;
  const cmds = list(stmt.node, 'cmds');
  const cmd = nodeOfKind(cmds[0], 'AlterTableCmd');
  const part = nodeOfKind(cmd?.['def'], 'PartitionCmd');
  if (cmds.length !== 1 || str(cmd, 'subtype') !== 'AT_DetachPartition' || flag(part, 'concurrent')) return undefined;
  const parentRef = relationOf(stmt.node?.['relation']);
  const partRef = relationOf(part?.['name']);
  if (!parentRef || !partRef) return undefined;
  const parent = qualified(parentRef);
  const partition = qualified(partRef);
  if (defaultPartitionInFile(file, stmt, parent)) return undefined;
  const m = /^([\s\S]*\bDETACH\s+PARTITION\s+\S+?)\s*;?\s*$/i.exec(stmt.text);
  if (!m) return undefined;
  const fix = runAloneFix(
    file,
    stmt,
    `${m[1]} CONCURRENTLY${stmt.text.trimEnd().endsWith(';') ? ';' : ''}`,
    [`-- to undo, attach it again: ALTER TABLE ${quoteQualified(parent)} ATTACH PARTITION ${quoteQualified(partition)} FOR VALUES …;`],
    `detach_${partRef.name}`,
    (where) => `Detach ${partition} concurrently ${where}`,
    env,
  );
  // A concurrent detach leaves the partition bounds on the detached table as a CHECK constraint (seen on PG 15).
  return fix ? { ...fix, title: `${fix.title}; it keeps its bounds as a CHECK constraint`, safety: 'review' } : undefined;
}
