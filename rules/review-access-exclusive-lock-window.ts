import { ast, defineRule, type FileView, keywordRange, lineOf, type Statement } from '../server/src/engine';
import { LEADING_KEYWORDS, operation, transactions } from './group-c-transactions';

/** Statements that only change settings or end the transaction: they do not lengthen the lock window. */
const HARMLESS = new Set(['VariableSetStmt', 'VariableShowStmt', 'TransactionStmt', 'CommentStmt']);

/** Statements whose work the effects model cannot see (functions, procedures, queries). */
const OPAQUE = new Set(['DoStmt', 'CallStmt', 'SelectStmt', 'ExplainStmt', 'CopyStmt']);

interface Hit {
  held: { relation: string; statement: Statement }[];
  /** Pre-existing tables this statement newly locks ACCESS EXCLUSIVE. */
  newAccessExclusive: string[];
  laterCount: number;
}

function isSetConfig(stmt: Statement): boolean {
  return stmt.kind === 'SelectStmt' && /^\s*SELECT\s+(?:pg_catalog\.)?set_config\s*\(/i.test(stmt.text);
}

/** Does `stmt` do work while the ACCESS EXCLUSIVE locks in `held` are kept? */
function extendsWindow(stmt: Statement, held: ReadonlySet<string>): boolean {
  if (HARMLESS.has(stmt.kind) || isSetConfig(stmt)) return false;
  if (OPAQUE.has(stmt.kind)) return true;
  if (stmt.cost === 'rewrite' || stmt.cost === 'index-build' || stmt.cost === 'scan') return true;
  // DML on an existing table, or a bulk INSERT … SELECT anywhere.
  if (stmt.cost === 'rows' && (stmt.effects.some((e) => !e.createdInFile) || ast.obj(stmt.node, 'selectStmt') !== undefined)) return true;
  // Any lock on an existing relation not already held ACCESS EXCLUSIVE may have to wait, while holding ours.
  return stmt.effects.some((e) => !e.createdInFile && !held.has(e.relation));
}

const cache = new WeakMap<readonly Statement[], Map<number, Hit>>();

function hits(file: FileView): Map<number, Hit> {
  const cached = cache.get(file.statements);
  if (cached) return cached;
  const out = new Map<number, Hit>();
  for (const txn of transactions(file).txns) {
    if (txn.context === 'none') continue;
    const held: { relation: string; statement: Statement }[] = [];
    const heldSet = new Set<string>();
    let hit: { stmt: Statement; newAel: string[] } | undefined;
    let laterCount = 0;
    for (const s of txn.statements) {
      const ael = s.effects.filter((e) => !e.createdInFile && e.lock === 'ACCESS EXCLUSIVE' && !heldSet.has(e.relation)).map((e) => e.relation);
      if (held.length > 0 && extendsWindow(s, heldSet)) {
        if (!hit) hit = { stmt: s, newAel: ael };
        laterCount++;
      }
      for (const r of ael) {
        held.push({ relation: r, statement: s });
        heldSet.add(r);
      }
    }
    if (hit) out.set(hit.stmt.index, { held: held.filter((h) => h.statement.index < hit.stmt.index), newAccessExclusive: hit.newAel, laterCount });
  }
  cache.set(file.statements, out);
  return out;
}

/** Work done after ACCESS EXCLUSIVE was taken on an existing table in the same transaction. */
export const reviewAccessExclusiveLockWindow = defineRule({
  meta: {
    id: 'review-access-exclusive-lock-window',
    severity: 'warning',
    summary: 'Keep the work after an ACCESS EXCLUSIVE lock out of its transaction',
  },
  check(stmt, ctx) {
    const hit = hits(ctx.file).get(stmt.index);
    if (!hit) return;
    const held = hit.held.map((h) => `${h.relation} (line ${lineOf(ctx.file, h.statement.start)})`).join(', ');
    const tables = hit.held.map((h) => h.relation).join(', ');
    const more = hit.laterCount > 1 ? ` ${hit.laterCount - 1} more statement${hit.laterCount > 2 ? 's' : ''} after it in this transaction do the same.` : '';
    const message =
      hit.newAccessExclusive.length > 0
        ? `${operation(stmt)} takes ACCESS EXCLUSIVE on ${hit.newAccessExclusive.join(', ')} while this transaction already holds ACCESS EXCLUSIVE on ${held}: ` +
          `reads and writes on all of them wait until COMMIT, and this statement may itself wait for its lock while the others stay blocked ` +
          `(application transactions that lock these tables in the other order deadlock with it).${more}`
        : `${operation(stmt)} runs while this transaction holds ACCESS EXCLUSIVE on ${held}: the lock is kept until COMMIT, ` +
          `so every SELECT, INSERT, UPDATE and DELETE on ${tables} keeps waiting while this statement runs.${more}`;
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, LEADING_KEYWORDS),
      message,
      help: `Commit right after the ACCESS EXCLUSIVE statement and run this one in its own transaction (a separate migration), so the lock on ${tables} is released first.`,
    });
  },
});
