import {
  ast,
  ddl,
  defineRule,
  derivedName,
  lineRangeFrom,
  outsideTransactionAdvice,
  quoteIdent,
  quoteQualified,
  sizeNote,
  type Statement,
} from '../server/src/engine';

interface ForeignKey {
  child: string;
  childName: string;
  childIsNew: boolean;
  facts: ddl.ConstraintFacts;
  columns: string[];
}

/** A foreign key whose referencing columns have no index known in this file (non-cascading keys; cascades are review-cascading-foreign-key's). */
export const requireIndexOnForeignKey = defineRule({
  meta: {
    id: 'require-index-on-foreign-key',
    kinds: ['AlterTableStmt', 'CreateStmt'],
    severity: 'warning',
    summary: 'Index the referencing columns of every foreign key',
  },
  check(stmt, ctx) {
    for (const fk of foreignKeys(stmt)) {
      const action = fk.facts.onDelete;
      // review-cascading-foreign-key reports the missing index for these, with the cascade's cost.
      if (action === 'cascade' || action === 'set null' || action === 'set default') continue;
      if (fk.columns.length === 0 || hasIndex(ctx.file.statements, fk.child, fk.columns) || ctx.file.baseline?.hasIndexLeadingWith(fk.child, fk.columns))
        continue;
      const parent = fk.facts.referencedTable ?? '(referenced table)';
      const cols = fk.columns.join(', ');
      const index = quoteIdent(derivedName(fk.childName, ...fk.columns, 'idx'));
      const create = `CREATE INDEX${fk.childIsNew ? '' : ' CONCURRENTLY'} ${index} ON ${quoteQualified(fk.child)} (${fk.columns.map(quoteIdent).join(', ')})`;
      ctx.report({
        statement: stmt,
        ...lineRangeFrom(stmt, ctx.locate(stmt, fk.facts.location)),
        severity: fk.childIsNew ? 'info' : 'warning',
        message:
          `Foreign key from ${fk.child}(${cols}) to ${parent}: ${fk.child}(${cols}) has no index known in this file, so every DELETE on ${parent}, ` +
          `and every change of a key of ${parent}, scans all of ${fk.child} to look for referencing rows${sizeNote(ctx, fk.child)}.`,
        help: fk.childIsNew
          ? `Add \`${create}\` in this migration (the table is new, so a plain build is instant).`
          : `Add \`${create}\` before the foreign key (${outsideTransactionAdvice(ctx.file.runner.id)}). If the index already exists from an earlier migration, ignore this finding with that reason.`,
      });
    }
  },
});

function foreignKeys(stmt: Statement): ForeignKey[] {
  const out: ForeignKey[] = [];
  const rel = ast.relationOf(stmt.node?.['relation']);
  if (!rel) return out;
  const child = ast.qualified(rel);
  if (stmt.kind === 'AlterTableStmt') {
    const childIsNew = stmt.effects.some((e) => e.relation === child && e.createdInFile);
    for (const c of ast.list(stmt.node, 'cmds')) {
      const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
      const subtype = ast.str(cmd, 'subtype');
      if (subtype === 'AT_AddConstraint') {
        const f = ddl.constraintFacts(cmd?.['def']);
        if (f?.kind === 'foreign') out.push({ child, childName: rel.name, childIsNew, facts: f, columns: f.columns });
      } else if (subtype === 'AT_AddColumn') {
        const col = ddl.columnDefFacts(ast.nodeOfKind(cmd?.['def'], 'ColumnDef'));
        for (const f of col?.constraints ?? [])
          if (f.kind === 'foreign' && col) out.push({ child, childName: rel.name, childIsNew, facts: f, columns: [col.name] });
      }
    }
  } else if (stmt.kind === 'CreateStmt') {
    for (const elt of ast.list(stmt.node, 'tableElts')) {
      const col = ddl.columnDefFacts(ast.nodeOfKind(elt, 'ColumnDef'));
      if (col) {
        for (const f of col.constraints) if (f.kind === 'foreign') out.push({ child, childName: rel.name, childIsNew: true, facts: f, columns: [col.name] });
      } else {
        const f = ddl.constraintFacts(elt);
        if (f?.kind === 'foreign') out.push({ child, childName: rel.name, childIsNew: true, facts: f, columns: f.columns });
      }
    }
  }
  return out;
}

/** An index, PRIMARY KEY or UNIQUE on `table` whose leading columns are `columns` (any order), anywhere in the file. */
function hasIndex(statements: readonly Statement[], table: string, columns: string[]): boolean {
  const leads = (cols: string[]): boolean => cols.length >= columns.length && columns.every((c) => cols.slice(0, columns.length).includes(c));
  const onTable = (s: Statement): boolean => {
    const r = ast.relationOf(s.node?.['relation']);
    return r !== undefined && ast.qualified(r) === table;
  };
  for (const s of statements) {
    if (!onTable(s)) continue;
    if (s.kind === 'IndexStmt') {
      if (s.node?.['whereClause'] !== undefined) continue;
      const cols = ast.list(s.node, 'indexParams').map((p) => ast.str(ast.nodeOfKind(p, 'IndexElem'), 'name') ?? '');
      if (leads(cols)) return true;
    } else if (s.kind === 'CreateStmt') {
      for (const elt of ast.list(s.node, 'tableElts')) {
        const col = ddl.columnDefFacts(ast.nodeOfKind(elt, 'ColumnDef'));
        if (col?.constraints.some((k) => k.kind === 'primary' || k.kind === 'unique') && leads([col.name])) return true;
        const f = ddl.constraintFacts(elt);
        if ((f?.kind === 'primary' || f?.kind === 'unique') && leads(f.columns)) return true;
      }
    } else if (s.kind === 'AlterTableStmt') {
      for (const c of ast.list(s.node, 'cmds')) {
        const cmd = ast.nodeOfKind(c, 'AlterTableCmd');
        const f = ddl.constraintFacts(cmd?.['def']);
        if ((f?.kind === 'primary' || f?.kind === 'unique') && f.usingIndex === undefined && leads(f.columns)) return true;
        const col = ddl.columnDefFacts(ast.nodeOfKind(cmd?.['def'], 'ColumnDef'));
        if (col?.constraints.some((k) => k.kind === 'primary' || k.kind === 'unique') && leads([col.name])) return true;
      }
    }
  }
  return false;
}
