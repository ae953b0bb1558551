import { defineRule, type Effect, type FileView, keywordRange, lineOf, type Statement } from '../server/src/engine';
import { LEADING_KEYWORDS, operation, timeoutBefore, type TimeoutState } from './group-c-transactions';

/** The O(rows) work the statement does on a table that existed before the migration. */
function longWork(stmt: Statement): { effect: Effect; work: string } | undefined {
  for (const e of stmt.effects) {
    if (e.createdInFile) continue;
    if (e.rewrite) return { effect: e, work: `rewrites ${e.relation}` };
    if (e.indexBuild) return { effect: e, work: `builds an index on ${e.relation}` };
    if (e.scan) return { effect: e, work: `reads every row of ${e.relation}` };
  }
  return undefined;
}

function problem(state: TimeoutState, file: FileView): string | undefined {
  const s = state.setting;
  if (s) {
    if (s.ms === undefined || s.ms > 0) return undefined;
    return `statement_timeout is ${s.text} (line ${lineOf(file, s.statement.start)}), which disables it`;
  }
  if (state.expired)
    return `no statement_timeout is in effect: the SET LOCAL at line ${lineOf(file, state.expired.statement.start)} ended with its transaction`;
  if (state.reset) return `statement_timeout was reset to the server default at line ${lineOf(file, state.reset.statement.start)}`;
  return 'no statement_timeout is set before it in this section';
}

const firstCache = new WeakMap<readonly Statement[], Map<number, { effect: Effect; work: string; why: string }>>();

function firstOffenders(file: FileView): Map<number, { effect: Effect; work: string; why: string }> {
  const cached = firstCache.get(file.statements);
  if (cached) return cached;
  const out = new Map<number, { effect: Effect; work: string; why: string }>();
  const done = new Set<number>();
  for (const s of file.statements) {
    if (done.has(s.sectionIndex)) continue;
    const long = longWork(s);
    if (!long) continue;
    const why = problem(timeoutBefore(file, s, 'statement_timeout'), file);
    if (why === undefined) continue;
    out.set(s.index, { ...long, why });
    done.add(s.sectionIndex);
  }
  firstCache.set(file.statements, out);
  return out;
}

/** A rewrite, scan or index build on an existing table with no statement_timeout bounding it. */
export const requireStatementTimeout = defineRule({
  meta: {
    id: 'require-statement-timeout',
    severity: 'info',
    summary: 'Bound long migration statements with a statement_timeout sized for the table',
  },
  check(stmt, ctx) {
    const hit = firstOffenders(ctx.file).get(stmt.index);
    if (!hit) return;
    const { effect, work, why } = hit;
    const set = stmt.transaction === 'none' ? 'SET' : 'SET LOCAL';
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, LEADING_KEYWORDS),
      message:
        `${operation(stmt)} ${work}, holding ${effect.lock} on it for as long as that takes, and ${why}. ` +
        `Nothing stops it if the table is larger or slower than expected: the deploy and the lock last until it finishes or someone cancels it by hand.`,
      help:
        `Put \`${set} statement_timeout = '…';\` before it, sized for ${effect.relation} (minutes for a large index build, not the seconds a web request gets)` +
        (stmt.concurrently
          ? '. A CONCURRENTLY build cancelled by the timeout leaves an INVALID index that must be dropped before the retry.'
          : ', and plan the retry for when it fires.'),
    });
  },
});
