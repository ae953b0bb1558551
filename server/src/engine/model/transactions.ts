/**
 * Assigns each statement the transaction it will run in, from its section's runner behaviour and
 * the BEGIN/COMMIT statements written in the file.
 *
 * Postgres runs a query string holding several statements as one implicit transaction block
 * (exec_simple_query → BeginImplicitTransactionBlock), so CONCURRENTLY fails there just as it does
 * after BEGIN, unless it is the only statement of the string.
 */
import { str } from '../parse/ast';
import type { ParsedPiece } from '../parse/pieces';
import type { RunnerId } from './runner';
import type { Section } from './sections';
import type { Statement, TransactionContext } from './statement';

const OPENS = new Set(['TRANS_STMT_BEGIN', 'TRANS_STMT_START']);
const CLOSES = new Set(['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE']);

export function transactionKind(stmt: Statement): 'open' | 'close' | undefined {
  if (stmt.kind !== 'TransactionStmt') return undefined;
  const k = str(stmt.node, 'kind') ?? '';
  if (OPENS.has(k)) return 'open';
  if (CLOSES.has(k)) return 'close';
  return undefined;
}

export function assignTransactions(runner: RunnerId, sections: Section[], statements: Statement[], pieces: readonly ParsedPiece[]): void {
  // Flyway runs a script without a transaction when every statement needs that (auto-detection);
  // a script mixing both kinds is refused by Flyway (mixed=false), so we keep it transactional.
  if (runner === 'flyway') {
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i] as Section;
      const inSection = statements.filter((s) => s.sectionIndex === i && s.node);
      if (section.wrapped && inSection.length > 0 && inSection.every((s) => s.noTransactionBlock)) section.wrapped = false;
    }
  }

  // How many statements travel in the same query string as each statement.
  const unitSize = new Map<string, number>();
  const unitOf = (s: Statement): string => {
    const section = sections[s.sectionIndex] as Section;
    if (section.oneString) return `section:${s.sectionIndex}`;
    const piece = pieces[s.index];
    return piece?.block ? `chunk:${piece.chunk}` : `stmt:${s.index}`;
  };
  for (const s of statements) unitSize.set(unitOf(s), (unitSize.get(unitOf(s)) ?? 0) + 1);

  let current = -1;
  let inExplicit = false;
  let runnerOpen = false;
  for (const s of statements) {
    const section = sections[s.sectionIndex] as Section;
    if (s.sectionIndex !== current) {
      current = s.sectionIndex;
      inExplicit = false;
      runnerOpen = section.wrapped;
    }
    const base: TransactionContext = (unitSize.get(unitOf(s)) ?? 1) > 1 ? 'implicit' : 'none';
    const t = transactionKind(s);
    if (t === 'open') {
      s.transaction = runnerOpen ? 'runner' : 'explicit';
      if (!runnerOpen) inExplicit = true;
    } else if (t === 'close') {
      s.transaction = runnerOpen ? 'runner' : inExplicit ? 'explicit' : base;
      // A COMMIT inside the runner's transaction ends it: what follows runs outside it.
      runnerOpen = false;
      inExplicit = false;
    } else if (runnerOpen) s.transaction = 'runner';
    else if (inExplicit) s.transaction = 'explicit';
    else s.transaction = base;
  }
}
