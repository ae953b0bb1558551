/** Updates the section's FileState (and its schema model) with what a statement creates, so later statements know it. */
import { type AstObject, list, names, nodeOfKind, obj, qualified, relationOf, str } from '../parse/ast';
import { columnDefFacts, constraintFacts, notNullCheckColumn, type ConstraintFacts } from './ddl-facts';
import type { FileState, KnownConstraint } from './file-state';

export function recordStatement(kind: string, node: AstObject, state: FileState): void {
  state.schema.apply(kind, node);
  switch (kind) {
    case 'CreateStmt': {
      const rel = relationOf(node['relation']);
      if (!rel) return;
      const table = qualified(rel);
      state.createdTables.add(table);
      for (const elt of list(node, 'tableElts')) {
        const col = columnDefFacts(nodeOfKind(elt, 'ColumnDef'));
        if (col) {
          for (const c of col.constraints) rememberConstraint(state, table, c, [col.name]);
        } else {
          const c = constraintFacts(elt);
          if (c) rememberConstraint(state, table, c, c.columns);
        }
      }
      return;
    }
    case 'CreateTableAsStmt': {
      const rel = relationOf(obj(node, 'into')?.['rel']);
      if (rel) state.createdTables.add(qualified(rel));
      return;
    }
    case 'AlterTableStmt': {
      const rel = relationOf(node['relation']);
      if (!rel) return;
      const table = qualified(rel);
      for (const c of list(node, 'cmds')) {
        const cmd = nodeOfKind(c, 'AlterTableCmd');
        const subtype = str(cmd, 'subtype');
        if (subtype === 'AT_AddConstraint') {
          const f = constraintFacts(cmd?.['def']);
          if (f) rememberConstraint(state, table, f, f.columns);
        } else if (subtype === 'AT_ValidateConstraint') {
          const name = str(cmd, 'name') ?? '';
          const known = state.constraints.get(name);
          if (known) known.valid = true;
          else state.constraints.set(name, { table, kind: 'other', valid: true, definitionUnknown: true });
        } else if (subtype === 'AT_DropConstraint') {
          state.constraints.delete(str(cmd, 'name') ?? '');
        } else if (subtype === 'AT_AddColumn') {
          const col = columnDefFacts(nodeOfKind(cmd?.['def'], 'ColumnDef'));
          for (const k of col?.constraints ?? []) rememberConstraint(state, table, k, col ? [col.name] : []);
        }
      }
      return;
    }
    case 'DropStmt': {
      if (str(node, 'removeType') !== 'OBJECT_TABLE') return;
      for (const o of list(node, 'objects')) state.createdTables.delete(names(list(nodeOfKind(o, 'List'), 'items')).join('.'));
      return;
    }
    default:
      return;
  }
}

function rememberConstraint(state: FileState, table: string, c: ConstraintFacts, columns: string[]): void {
  if (c.kind === 'default' || c.kind === 'generated' || c.kind === 'identity' || c.kind === 'null' || c.kind === 'notnull') return;
  const known: KnownConstraint = { table, kind: c.kind === 'exclusion' ? 'exclusion' : c.kind, valid: !c.notValid };
  const col = c.kind === 'check' ? notNullCheckColumn(c.expr) : undefined;
  if (col) known.notNullColumn = col;
  const name = c.name ?? `${table}_${columns.join('_')}_${c.kind === 'foreign' ? 'fkey' : c.kind}`;
  state.constraints.set(name, known);
}
