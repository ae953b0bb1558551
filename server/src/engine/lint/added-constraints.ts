/**
 * Constraints a statement adds (by ADD CONSTRAINT, on an added column, or in CREATE TABLE), and
 * whether a file indexes a set of columns: shared by the constraint and foreign-key rules.
 */
import { list, nodeOfKind, qualified, relationOf, str } from '../parse/ast';
import { columnDefFacts, constraintFacts, type ConstraintFacts } from '../effects/ddl-facts';
import type { Statement } from '../model/statement';
import type { FileView } from './rule';

export interface AddedConstraint {
  /** The table the constraint is on, as written (`schema.table` or `table`). */
  table: string;
  tableName: string;
  /** The table is created in this migration (or its deploy). */
  tableIsNew: boolean;
  facts: ConstraintFacts;
  /** Key columns: the column it is declared on, or the table constraint's columns (FK: referencing columns). */
  columns: string[];
  /** Set when declared on a column (`ADD COLUMN c … UNIQUE`, a CREATE TABLE column), not as a table constraint. */
  column?: string;
}

/** Constraints added by ALTER TABLE (ADD CONSTRAINT, ADD COLUMN … constraint) or CREATE TABLE, in statement order. */
export function addedConstraints(stmt: Statement): AddedConstraint[] {
  const out: AddedConstraint[] = [];
  const rel = relationOf(stmt.node?.['relation']);
  if (!rel) return out;
  const table = qualified(rel);
  const add = (tableIsNew: boolean, facts: ConstraintFacts, column?: string): void => {
    out.push({
      table,
      tableName: rel.name,
      tableIsNew,
      facts,
      columns: column !== undefined ? [column] : facts.columns,
      ...(column !== undefined ? { column } : {}),
    });
  };
  if (stmt.kind === 'AlterTableStmt') {
    const isNew = stmt.effects.some((e) => e.relation === table && e.createdInFile);
    for (const c of list(stmt.node, 'cmds')) {
      const cmd = nodeOfKind(c, 'AlterTableCmd');
      const subtype = str(cmd, 'subtype');
      if (subtype === 'AT_AddConstraint') {
        const f = constraintFacts(cmd?.['def']);
        if (f) add(isNew, f);
      } else if (subtype === 'AT_AddColumn') {
        const col = columnDefFacts(nodeOfKind(cmd?.['def'], 'ColumnDef'));
        for (const f of col?.constraints ?? []) if (col) add(isNew, f, col.name);
      }
    }
  } else if (stmt.kind === 'CreateStmt') {
    for (const elt of list(stmt.node, 'tableElts')) {
      const col = columnDefFacts(nodeOfKind(elt, 'ColumnDef'));
      if (col) {
        for (const f of col.constraints) add(true, f, col.name);
      } else {
        const f = constraintFacts(elt);
        if (f) add(true, f);
      }
    }
  }
  return out;
}

export interface AddedForeignKey {
  /** The referencing (child) table, as written (`schema.table` or `table`). */
  child: string;
  childName: string;
  /** The child table is created in this migration (or its deploy). */
  childIsNew: boolean;
  facts: ConstraintFacts;
  columns: string[];
}

/** Foreign keys added by ALTER TABLE (ADD CONSTRAINT, ADD COLUMN … REFERENCES) or CREATE TABLE. */
export function addedForeignKeys(stmt: Statement): AddedForeignKey[] {
  return addedConstraints(stmt)
    .filter((c) => c.facts.kind === 'foreign')
    .map((c) => ({ child: c.table, childName: c.tableName, childIsNew: c.tableIsNew, facts: c.facts, columns: c.columns }));
}

const KEY_KINDS = new Set(['IndexStmt', 'CreateStmt', 'AlterTableStmt']);
const keyStatementsCache = new WeakMap<readonly Statement[], Map<string, Statement[]>>();

/** The file's statements that can define an index or key, by table: built once per file (a FK rule asks per statement). */
function keyStatementsByTable(statements: readonly Statement[]): Map<string, Statement[]> {
  let byTable = keyStatementsCache.get(statements);
  if (byTable) return byTable;
  byTable = new Map();
  for (const s of statements) {
    if (!KEY_KINDS.has(s.kind)) continue;
    const r = relationOf(s.node?.['relation']);
    if (!r) continue;
    const t = qualified(r);
    const list = byTable.get(t);
    if (list) list.push(s);
    else byTable.set(t, [s]);
  }
  keyStatementsCache.set(statements, byTable);
  return byTable;
}

/** An index, PRIMARY KEY or UNIQUE on `table` whose leading columns are `columns` (any order), anywhere in the file. */
export function fileIndexesColumns(statements: readonly Statement[], table: string, columns: string[]): boolean {
  const leads = (cols: string[]): boolean => cols.length >= columns.length && columns.every((c) => cols.slice(0, columns.length).includes(c));
  for (const s of keyStatementsByTable(statements).get(table) ?? []) {
    if (s.kind === 'IndexStmt') {
      if (s.node?.['whereClause'] !== undefined) continue;
      const cols = list(s.node, 'indexParams').map((p) => str(nodeOfKind(p, 'IndexElem'), 'name') ?? '');
      if (leads(cols)) return true;
    } else if (s.kind === 'CreateStmt') {
      for (const elt of list(s.node, 'tableElts')) {
        const col = columnDefFacts(nodeOfKind(elt, 'ColumnDef'));
        if (col?.constraints.some((k) => k.kind === 'primary' || k.kind === 'unique') && leads([col.name])) return true;
        const f = constraintFacts(elt);
        if ((f?.kind === 'primary' || f?.kind === 'unique') && leads(f.columns)) return true;
      }
    } else if (s.kind === 'AlterTableStmt') {
      for (const c of list(s.node, 'cmds')) {
        const cmd = nodeOfKind(c, 'AlterTableCmd');
        const f = constraintFacts(cmd?.['def']);
        if ((f?.kind === 'primary' || f?.kind === 'unique') && f.usingIndex === undefined && leads(f.columns)) return true;
        const col = columnDefFacts(nodeOfKind(cmd?.['def'], 'ColumnDef'));
        if (col?.constraints.some((k) => k.kind === 'primary' || k.kind === 'unique') && leads([col.name])) return true;
      }
    }
  }
  return false;
}

/**
 * Whether some index already covers `columns` of `table` as its leading columns: created in this
 * file, by an earlier migration (the baseline), or present in the configured database.
 */
export function foreignKeyColumnsIndexed(file: FileView, table: string, columns: string[]): boolean {
  if (fileIndexesColumns(file.statements, table, columns)) return true;
  if (file.baseline?.hasIndexLeadingWith(table, columns)) return true;
  const leads = (cols: string[]): boolean => cols.length >= columns.length && columns.every((c) => cols.slice(0, columns.length).includes(c));
  return (file.config.database?.indexes ?? []).some((i) => i.table === table && leads(i.columns));
}
