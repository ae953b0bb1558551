/**
 * Compares the engine's claims for one statement with what the tracer observed on a real server.
 * - Locks are compared per relation. In a transaction the observation is exact. Outside one
 *   (CONCURRENTLY, VACUUM) it comes from polling and is a lower bound: the target relation must
 *   match exactly (the tracer makes its first lock request queue where it is seen), the others must
 *   not exceed the claim (a sub-millisecond final phase can be missed).
 * - Work is compared as "reads every row" (scan, rewrite or index build all do), plus rewrite and
 *   index build themselves, on the statement's target relation. Not for DML: whether the planner
 *   reads every row of an UPDATE/DELETE depends on data and indexes, not on the statement's shape.
 */
import { type Effect, lockStrength, type Statement } from '../engine';
import type { ObservedRelation } from './tracer';

export interface Mismatch {
  relation: string;
  field: 'lock' | 'rewrite' | 'fullRead' | 'indexBuild' | 'unclaimed';
  claimed: string;
  observed: string;
}

const bare = (name: string): string => name.slice(name.lastIndexOf('.') + 1).replace(/^"|"$/g, '');

function fullRead(x: { scan: boolean; rewrite: boolean; indexBuild: boolean }): boolean {
  return x.scan || x.rewrite || x.indexBuild;
}

/** The claims that a trace can check: relations that existed before the statement. */
export function checkableClaims(stmt: Statement): Effect[] {
  return stmt.effects.filter((e) => !e.createdInFile);
}

const DML = new Set(['UpdateStmt', 'DeleteStmt', 'InsertStmt', 'MergeStmt']);

/** `DROP … IF EXISTS` / `ALTER TABLE IF EXISTS` of something absent does nothing at all. */
function isMissingOkNoop(stmt: Statement, observed: readonly ObservedRelation[]): boolean {
  return stmt.node?.['missing_ok'] === true && observed.every((o) => o.lock === undefined);
}

export function compareEffects(stmt: Statement, observed: readonly ObservedRelation[], transactional = true): Mismatch[] {
  const out: Mismatch[] = [];
  if (isMissingOkNoop(stmt, observed)) return out;
  const claims = checkableClaims(stmt);
  const find = (name: string): ObservedRelation | undefined => observed.find((o) => bare(o.relation) === bare(name) && !o.created);
  const target = claims.find((c) => c.relationKind !== 'index') ?? claims[0];
  for (const claim of claims) {
    const o = find(claim.relation);
    const seen = o?.lock;
    const exact = transactional || claim === target;
    const ok = exact ? claim.lock === seen : seen === undefined || lockStrength(seen) <= lockStrength(claim.lock);
    if (!ok) out.push({ relation: claim.relation, field: 'lock', claimed: claim.lock, observed: seen ?? 'none' });
    if (!o) continue;
    if (claim.rewrite !== o.rewrite) out.push({ relation: claim.relation, field: 'rewrite', claimed: String(claim.rewrite), observed: String(o.rewrite) });
    if (claim === target && claim.relationKind !== 'index' && !DML.has(stmt.kind)) {
      if (fullRead(claim) !== fullRead(o))
        out.push({ relation: claim.relation, field: 'fullRead', claimed: String(fullRead(claim)), observed: String(fullRead(o)) });
      if (claim.indexBuild !== o.indexBuild)
        out.push({ relation: claim.relation, field: 'indexBuild', claimed: String(claim.indexBuild), observed: String(o.indexBuild) });
    }
  }
  for (const o of observed) {
    if (o.created || (o.kind !== 'table' && o.kind !== 'matview') || !o.lock || o.lock === 'ACCESS SHARE') continue;
    if (!claims.some((c) => bare(c.relation) === bare(o.relation)) && !stmt.effects.some((e) => bare(e.relation) === bare(o.relation))) {
      out.push({ relation: o.relation, field: 'unclaimed', claimed: 'none', observed: o.lock });
    }
  }
  return out;
}
