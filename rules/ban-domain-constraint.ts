import { ast, ddl, defineRule, keywordRange, quoteIdent, quoteQualified, type Severity, severityForSize, sizeNote } from '../server/src/engine';

const STRENGTH: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/** ALTER DOMAIN … ADD CONSTRAINT (validated), VALIDATE CONSTRAINT or SET NOT NULL (subtype O; N is DROP NOT NULL) on a domain that already exists. */
export const banDomainConstraint = defineRule({
  meta: {
    id: 'ban-domain-constraint',
    kinds: ['AlterDomainStmt'],
    severity: 'warning',
    summary: 'Do not add or validate constraints on a domain in use; constrain the tables instead',
    claims: { lock: 'SHARE', scan: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterDomainStmt') return;
    const subtype = ast.str(stmt.node, 'subtype');
    const typeName = ast.names(ast.list(stmt.node, 'typeName'));
    const domain = typeName.join('.');
    const bare = typeName[typeName.length - 1] ?? domain;
    let what: string;
    let range: { start: number; end: number };
    if (subtype === 'C') {
      const c = ddl.constraintFacts(stmt.node?.['def']);
      // NOT VALID only changes the catalog (new values are checked from now on); its VALIDATE is reported.
      if (!c || c.notValid) return;
      what = `ALTER DOMAIN ${domain} ADD CONSTRAINT${c.name ? ` ${c.name}` : ''}`;
      range = keywordRange(stmt, /ADD\s+(?:CONSTRAINT|CHECK|NOT\s+NULL)/i);
    } else if (subtype === 'V') {
      what = `ALTER DOMAIN ${domain} VALIDATE CONSTRAINT ${ast.str(stmt.node, 'name') ?? ''}`.trimEnd();
      range = keywordRange(stmt, /VALIDATE\s+CONSTRAINT/i);
    } else if (subtype === 'O') {
      what = `ALTER DOMAIN ${domain} SET NOT NULL`;
      range = keywordRange(stmt, /SET\s+NOT\s+NULL/i);
    } else return;
    // A domain created earlier in this migration has no columns with data yet.
    const createdHere = ctx.file.statements.some(
      (s) => s.index < stmt.index && s.kind === 'CreateDomainStmt' && ast.names(ast.list(s.node, 'domainname')).join('.') === domain,
    );
    if (createdHere) return;

    const tables = stmt.effects.filter((e) => !e.createdInFile && e.relationKind === 'table');
    // The largest known table decides; with no table known, the default.
    let severity: Severity = tables.length > 0 ? 'info' : 'warning';
    for (const t of tables) {
      const s = severityForSize(ctx, t.relation, 'warning');
      if (STRENGTH[s] > STRENGTH[severity]) severity = s;
    }
    const effectText =
      tables.length > 0
        ? `It reads every row of ${tables.map((t) => `${t.relation}${sizeNote(ctx, t.relation)}`).join(', ')} while holding ` +
          `${[...new Set(tables.map((t) => t.lock))].join(' / ')} on ${tables.length > 1 ? 'each of them' : 'it'}: ` +
          `INSERT, UPDATE and DELETE there wait until the check of every table is done (reads continue).`
        : `It reads every row of every table with a column of type ${domain}, locking each of those tables against INSERT, UPDATE and DELETE until the whole check is done.`;
    const notValid =
      subtype === 'V'
        ? ' Unlike VALIDATE CONSTRAINT on a table, validating a domain constraint does not let writes continue.'
        : subtype === 'C'
          ? ' NOT VALID followed by VALIDATE does not help here: the domain VALIDATE blocks writes for the same scan.'
          : '';
    const users = ctx.file.baseline
      ? [...ctx.file.baseline.tables.values()].flatMap((t) =>
          [...t.columns.values()].filter((c) => c.type?.name === bare).map((c) => ({ table: t.name, column: c.name })),
        )
      : [];
    const example = users[0]
      ? `ALTER TABLE ${quoteQualified(users[0].table)} ADD CONSTRAINT ${quoteIdent(`${users[0].table.split('.').pop() ?? ''}_${users[0].column}_check`)} CHECK (<condition on ${quoteIdent(users[0].column)}>) NOT VALID`
      : `ALTER TABLE <table> ADD CONSTRAINT <name> CHECK (<condition on the column>) NOT VALID`;
    ctx.report({
      statement: stmt,
      ...range,
      severity,
      message: `${what} checks the existing values of every column using the domain. ${effectText}${notValid}`,
      help:
        `Constrain the tables instead of the domain: ${example}, then ALTER TABLE … VALIDATE CONSTRAINT in a later transaction ` +
        `(SHARE UPDATE EXCLUSIVE: reads and writes continue). Constraints on a domain are only cheap while no column uses it (CREATE DOMAIN … CHECK).`,
    });
  },
});
