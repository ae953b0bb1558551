/**
 * Groups a migration's up statements into what the runner sends to the server as one transaction,
 * from the engine's model (`stmt.transaction`): the runner's transaction, a BEGIN … COMMIT written
 * in the file, an implicit transaction (several statements in one query string), or a statement on
 * its own. BEGIN and COMMIT statements become the boundaries of a unit instead of being sent.
 */
import { type Statement, transactionKind } from '../../engine';

export interface TransactionUnit {
  kind: 'transaction';
  context: 'runner' | 'explicit' | 'implicit';
  statements: Statement[];
  /** How the file ends the block: COMMIT, or a ROLLBACK it wrote itself. */
  end: 'commit' | 'rollback';
}

export interface AloneUnit {
  kind: 'alone';
  statement: Statement;
}

export type ExecutionUnit = TransactionUnit | AloneUnit;

/** Statements a runner sends: the up section, parsed. */
export function upStatements(statements: readonly Statement[]): Statement[] {
  return statements.filter((s) => s.section === 'up');
}

export function executionUnits(statements: readonly Statement[]): ExecutionUnit[] {
  const units: ExecutionUnit[] = [];
  let open: TransactionUnit | undefined;
  const close = (end: 'commit' | 'rollback' = 'commit'): void => {
    if (open) {
      open.end = end;
      units.push(open);
    }
    open = undefined;
  };
  for (const s of upStatements(statements)) {
    const t = transactionKind(s);
    if (t === 'open') {
      // BEGIN inside the runner's transaction only warns; otherwise it opens the file's own block.
      if (!open || open.context !== 'runner') {
        close();
        open = { kind: 'transaction', context: 'explicit', statements: [], end: 'commit' };
      }
      continue;
    }
    if (t === 'close') {
      close(/ROLLBACK/i.test(String(s.node?.['kind'] ?? '')) ? 'rollback' : 'commit');
      continue;
    }
    if (s.transaction === 'none') {
      close();
      units.push({ kind: 'alone', statement: s });
      continue;
    }
    if (open && open.context !== s.transaction) close();
    open ??= { kind: 'transaction', context: s.transaction, statements: [], end: 'commit' };
    open.statements.push(s);
  }
  close();
  return units.filter((u) => u.kind === 'alone' || u.statements.length > 0);
}

/** Transaction control written in the file (BEGIN, COMMIT, ROLLBACK, …): never sent to a configured database. */
export function hasTransactionControl(statements: readonly Statement[]): Statement | undefined {
  return upStatements(statements).find(
    (s) => transactionKind(s) !== undefined || (s.kind === 'TransactionStmt' && /PREPARED/.test(String(s.node?.['kind'] ?? ''))),
  );
}
