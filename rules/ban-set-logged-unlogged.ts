import { defineRule, describeBlocking, keywordRange, severityForSize, sizeNote } from '../server/src/engine';

/** ALTER TABLE … SET LOGGED / SET UNLOGGED on an existing table: a full rewrite. */
export const banSetLoggedUnlogged = defineRule({
  meta: {
    id: 'ban-set-logged-unlogged',
    kinds: ['AlterTableStmt'],
    severity: 'warning',
    summary: 'Do not switch an existing table between LOGGED and UNLOGGED during a deploy',
    claims: { lock: 'ACCESS EXCLUSIVE', rewrite: true },
  },
  check(stmt, ctx) {
    if (stmt.kind !== 'AlterTableStmt') return;
    for (const a of stmt.actions) {
      if ((a.subtype !== 'AT_SetLogged' && a.subtype !== 'AT_SetUnLogged') || !a.rewrite) continue;
      const effect = stmt.effects.find((e) => e.relation === a.relation);
      if (!effect || effect.createdInFile) continue;
      const logged = a.subtype === 'AT_SetLogged';
      const table = a.relation;
      ctx.report({
        statement: stmt,
        ...keywordRange(stmt, logged ? /SET\s+LOGGED/i : /SET\s+UNLOGGED/i),
        severity: severityForSize(ctx, table, 'warning'),
        message:
          `SET ${logged ? 'LOGGED' : 'UNLOGGED'} rewrites ${table} and all its indexes under ${a.lock}: the lock ${describeBlocking(a.lock)} until the copy is done` +
          `${logged ? `, and the whole table is written to the WAL (a burst of WAL volume and replication lag on standbys)` : `; afterwards ${table} is emptied by crash recovery and is not replicated to standbys`}` +
          `${sizeNote(ctx, table)}.`,
        help: logged
          ? `Instead, create a new logged table, copy the rows in batches (or let the application dual-write), and swap names in a short later migration; or run this during a maintenance window.`
          : `Keep durable data in logged tables; if the data is disposable, create a new UNLOGGED table and switch the application to it instead of converting ${table} in place.`,
      });
    }
  },
});
