/**
 * Foreign keys a statement adds, and whether a file indexes their referencing columns: shared by
 * the rules about unindexed and cascading foreign keys.
 */
import { list, nodeOfKind, qualified, relationOf, str } from '../parse/ast';
import { columnDefFacts, constraintFacts, type ConstraintFacts } from '../effects/ddl-facts';
import type { Statement } from '../model/statement';

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
  const out: AddedForeignKey[] = [];
  const rel = relationOf(stmt.node?.['relation']);
  if (!rel) return out;
  const child = qualified(rel);
  if (stmt.kind === 'AlterTableStmt') {
    const childIsNew = stmt.effects.some((e) => e.relation === child && e.createdInFile);
    for (const c of list(stmt.node, 'cmds')) {
      const cmd = nodeOfKind(c, 'AlterTableCmd');
      const subtype = str(cmd, 'subtype');
      if (subtype === 'AT_AddConstraint') {
        const f = constraintFacts(cmd?.['def']);
        if (f?.kind === 'foreign') out.push({ child, childName: rel.name, childIsNew, facts: f, columns: f.columns });
      } else if (subtype === 'AT_AddColumn') {
        const col = columnDefFacts(nodeOfKind(cmd?.['def'], 'ColumnDef'));
        for (const f of col?.constraints ?? [])
          if (f.kind === 'foreign' && col) out.push({ child, childName: rel.name, childIsNew, facts: f, columns: [col.name] });
      }
    }
  } else if (stmt.kind === 'CreateStmt') {
    for (const elt of list(stmt.node, 'tableElts')) {
      const col = columnDefFacts(nodeOfKind(elt, 'ColumnDef'));
      if (col) {
        for (const f of col.constraints) if (f.kind === 'foreign') out.push({ child, childName: rel.name, childIsNew: true, facts: f, columns: [col.name] });
      } else {
        const f = constraintFacts(elt);
        if (f?.kind === 'foreign') out.push({ child, childName: rel.name, childIsNew: true, facts: f, columns: f.columns });
      }
    }
  }
  return out;
}

/** An index, PRIMARY KEY or UNIQUE on `table` whose leading columns are `columns` (any order), anywhere in the file. */
export function fileIndexesColumns(statements: readonly Statement[], table: string, columns: string[]): boolean {
  const leads = (cols: string[]): boolean => cols.length >= columns.length && columns.every((c) => cols.slice(0, columns.length).includes(c));
  const onTable = (s: Statement): boolean => {
    const r = relationOf(s.node?.['relation']);
    return r !== undefined && qualified(r) === table;
  };
  for (const s of statements) {
    if (!onTable(s)) continue;
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
