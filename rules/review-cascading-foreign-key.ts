import { ast, ddl, defineRule, lineRangeFrom, quoteIdent, quoteQualified, sizeNote, type Statement } from '../server/src/engine';

interface ForeignKey {
  child: string;
  childIsNew: boolean;
  facts: ddl.ConstraintFacts;
  columns: string[];
}

/** FOREIGN KEY … ON DELETE CASCADE / SET NULL / SET DEFAULT: the child side is written at parent-delete time. */
export const reviewCascadingForeignKey = defineRule({
  meta: {
    id: 'review-cascading-foreign-key',
    kinds: ['AlterTableStmt', 'CreateStmt'],
    severity: 'warning',
    summary: 'Index the child column of a cascading foreign key and batch parent deletes',
  },
  check(stmt, ctx) {
    for (const fk of foreignKeys(stmt)) {
      const action = fk.facts.onDelete;
      if (action !== 'cascade' && action !== 'set null' && action !== 'set default') continue;
      const parent = fk.facts.referencedTable ?? '(parent)';
      const cols = fk.columns.join(', ');
      const indexed = hasIndex(ctx.file.statements, fk.child, fk.columns) || (ctx.file.baseline?.hasIndexLeadingWith(fk.child, fk.columns) ?? false);
      if (indexed && fk.childIsNew) continue;
      const effect =
        action === 'cascade'
          ? `deleting a row of ${parent} also deletes every ${fk.child} row that references it`
          : `deleting a row of ${parent} also updates every ${fk.child} row that references it (${cols} set to ${action === 'set null' ? 'NULL' : 'its default'})`;
      const index = indexed
        ? `${fk.child}(${cols}) has an index, so each cascade finds its rows by index.`
        : `${fk.child}(${cols}) has no index known in this file${ctx.file.baseline ? ' or earlier migrations' : ''}, so every delete on ${parent} scans all of ${fk.child}${sizeNote(ctx, fk.child)}.`;
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, fk.facts.location)),
        severity: indexed ? 'info' : fk.childIsNew ? 'info' : 'warning',
        message: `ON DELETE ${action.toUpperCase()} from ${parent} to ${fk.child}: ${effect}, inside that same DELETE and holding row locks on all of them. ${index}`,
        help:
          (indexed
            ? ''
            : `Create an index on ${quoteQualified(fk.child)} (${fk.columns.map(quoteIdent).join(', ')}) first (CREATE INDEX CONCURRENTLY, in a non-transactional migration). `) +
          `Delete or detach dependents in batches before deleting a row of ${parent}, or use ON DELETE RESTRICT with an application-side batched cleanup.`,
      });
    }
  },
});

function foreignKeys(stmt: Statement): ForeignKey[] {
  const out: ForeignKey[] = [];
  if (stmt.kind === 'AlterTableStmt') {
    const rel = ast.relationOf(stmt.node?.['relation']);
    if (!rel) return out;
    const child = ast.qualified(rel);
    const childIsNew = stmt.effects.some((e) => e.relation === child && e.createdInFile);
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      const subtype = ast.str(cmd, 'subtype');
      if (subtype === 'AT_AddConstraint') {
        const f = ddl.constraintFacts(cmd?.['def']);
        if (f?.kind === 'foreign') out.push({ child, childIsNew, facts: f, columns: f.columns });
      } else if (subtype === 'AT_AddColumn') {
        const col = ddl.columnDefFacts(ast.nodeOfKind(cmd?.['def'], 'ColumnDef'));
        for (const f of col?.constraints ?? []) if (f.kind === 'foreign') out.push({ child, childIsNew, facts: f, columns: [col?.name ?? ''] });
      }
    }
  } else if (stmt.kind === 'CreateStmt') {
    const rel = ast.relationOf(stmt.node?.['relation']);
    if (!rel) return out;
    const child = ast.qualified(rel);
    for (const elt of ast.list(stmt.node, 'tableElts')) {
      const col = ddl.columnDefFacts(ast.nodeOfKind(elt, 'ColumnDef'));
      if (col) {
        for (const f of col.constraints) if (f.kind === 'foreign') out.push({ child, childIsNew: true, facts: f, columns: [col.name] });
      } else {
        const f = ddl.constraintFacts(elt);
        if (f?.kind === 'foreign') out.push({ child, childIsNew: true, facts: f, columns: f.columns });
      }
    }
  }
  return out;
}

/** An index (or PK/UNIQUE) on `table` whose leading columns are `columns`, anywhere in the file. */
function hasIndex(statements: readonly Statement[], table: string, columns: string[]): boolean {
  const leads = (cols: string[]): boolean => columns.length > 0 && columns.every((c, i) => cols[i] === c);
  for (const s of statements) {
    if (s.kind === 'IndexStmt') {
      const rel = ast.relationOf(s.node?.['relation']);
      if (!rel || ast.qualified(rel) !== table) continue;
      const cols = ast.list(s.node, 'indexParams').map((p) => ast.str(ast.nodeOfKind(p, 'IndexElem'), 'name') ?? '');
      if (leads(cols)) return true;
    } else if (s.kind === 'CreateStmt') {
      const rel = ast.relationOf(s.node?.['relation']);
      if (!rel || ast.qualified(rel) !== table) continue;
      for (const elt of ast.list(s.node, 'tableElts')) {
        const col = ddl.columnDefFacts(ast.nodeOfKind(elt, 'ColumnDef'));
        if (col?.constraints.some((k) => k.kind === 'primary' || k.kind === 'unique') && leads([col.name])) return true;
        const f = ddl.constraintFacts(elt);
        if ((f?.kind === 'primary' || f?.kind === 'unique') && leads(f.columns)) return true;
      }
    }
  }
  return false;
}
