import {
  DEFAULT_LOCK_TIMEOUT,
  defineRule,
  describeBlocking,
  type Effect,
  type FileView,
  fixesOf,
  keywordRange,
  lineOf,
  lockStrength,
  lockTimeoutFix,
  type Statement,
} from '../server/src/engine';
import { LEADING_KEYWORDS, operation, timeoutBefore, type TimeoutState } from './group-c-transactions';

/** Longest lock_timeout we accept: past this, the lock queue behind the waiting DDL is already an outage. */
const MAX_MS = 10_000;

/** A lock at least this strong, waiting in the queue, makes later statements on the table queue too. */
const THRESHOLD = lockStrength('SHARE UPDATE EXCLUSIVE');

/** The strongest lock the statement takes on a relation that existed before the migration. */
function riskyEffect(stmt: Statement): Effect | undefined {
  // CONCURRENTLY operations are left out on purpose: their lock blocks neither reads nor writes,
  // and a lock_timeout that fires during their wait phases leaves an INVALID index behind.
  if (stmt.concurrently) return undefined;
  let best: Effect | undefined;
  for (const e of stmt.effects) {
    if (e.createdInFile || lockStrength(e.lock) < THRESHOLD) continue;
    if (!best || lockStrength(e.lock) > lockStrength(best.lock)) best = e;
  }
  return best;
}

function problem(state: TimeoutState, file: FileView): string | undefined {
  const s = state.setting;
  if (s) {
    if (s.ms === undefined) return undefined;
    const where = `line ${lineOf(file, s.statement.start)}`;
    if (s.ms <= 0) return `lock_timeout is ${s.text} (${where}), which disables it`;
    if (s.ms > MAX_MS) return `lock_timeout is ${s.text} (${where}), longer than 10s`;
    return undefined;
  }
  if (state.expired) return `no lock_timeout is in effect: the SET LOCAL at line ${lineOf(file, state.expired.statement.start)} ended with its transaction`;
  if (state.reset) return `lock_timeout was reset to the server default at line ${lineOf(file, state.reset.statement.start)}`;
  return 'no lock_timeout is set before it in this section';
}

const firstCache = new WeakMap<readonly Statement[], Map<number, { effect: Effect; why: string }>>();

/** Per section, the first statement that needs a lock_timeout and lacks a good one. */
function firstOffenders(file: FileView): Map<number, { effect: Effect; why: string }> {
  const cached = firstCache.get(file.statements);
  if (cached) return cached;
  const out = new Map<number, { effect: Effect; why: string }>();
  const done = new Set<number>();
  for (const s of file.statements) {
    if (done.has(s.sectionIndex)) continue;
    const effect = riskyEffect(s);
    if (!effect) continue;
    const why = problem(timeoutBefore(file, s, 'lock_timeout'), file);
    if (why === undefined) continue;
    out.set(s.index, { effect, why });
    done.add(s.sectionIndex);
  }
  firstCache.set(file.statements, out);
  return out;
}

/** DDL that needs a strong lock on an existing table without a short lock_timeout in effect. */
export const requireLockTimeout = defineRule({
  meta: {
    id: 'require-lock-timeout',
    severity: 'warning',
    summary: 'Set a short lock_timeout (at most 10s) before DDL that locks an existing table',
  },
  check(stmt, ctx) {
    const hit = firstOffenders(ctx.file).get(stmt.index);
    if (!hit) return;
    const { effect, why } = hit;
    const set = stmt.transaction === 'none' ? 'SET' : 'SET LOCAL';
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, LEADING_KEYWORDS),
      message:
        `${operation(stmt)} waits for ${effect.lock} on ${effect.relation}, and ${why}. ` +
        `While it waits behind any transaction holding a conflicting lock, every later statement on ${effect.relation} that conflicts with ${effect.lock} ` +
        `(${effect.lock} ${describeBlocking(effect.lock)}) queues behind it, so even a brief lock becomes an outage lasting as long as the oldest open transaction on ${effect.relation}.`,
      help:
        `Put \`${set} lock_timeout = '${DEFAULT_LOCK_TIMEOUT}';\` before this statement${set === 'SET LOCAL' ? ' (inside its transaction)' : ''}, ` +
        `so it gives up instead of queueing traffic, and retry the migration when it times out.`,
      fixes: () => fixesOf(lockTimeoutFix(ctx.file, stmt)),
    });
  },
});
