import {
  ast,
  defineRule,
  type FileView,
  keywordRange,
  lineOf,
  outsideTransactionAdvice,
  type Severity,
  type Statement,
  transactionKind,
  transactionReason,
} from '../server/src/engine';

interface Finding {
  message: string;
  help: string;
  severity?: Severity;
}

const cache = new WeakMap<readonly Statement[], Map<number, Finding>>();

function word(stmt: Statement): string {
  const k = ast.str(stmt.node, 'kind');
  if (k === 'TRANS_STMT_START') return 'START TRANSACTION';
  if (k === 'TRANS_STMT_ROLLBACK') return 'ROLLBACK';
  if (k === 'TRANS_STMT_PREPARE') return 'PREPARE TRANSACTION';
  if (k === 'TRANS_STMT_COMMIT') return 'COMMIT';
  return 'BEGIN';
}

function isRollback(stmt: Statement): boolean {
  return ast.str(stmt.node, 'kind') === 'TRANS_STMT_ROLLBACK';
}

function analyse(file: FileView): Map<number, Finding> {
  const cached = cache.get(file.statements);
  if (cached) return cached;
  const out = new Map<number, Finding>();
  const runner = file.runner.id;
  file.sections.forEach((section, sectionIndex) => {
    const stmts = file.statements.filter((s) => s.sectionIndex === sectionIndex);
    let runnerOpen = section.wrapped;
    let explicitBegin: Statement | undefined;
    let redundantBegin: Statement | undefined;
    /** COMMITs already explained by a nested BEGIN finding. */
    let orphanCloses = 0;
    const line = (s: Statement): number => lineOf(file, s.start);
    const removeHelp = `Remove BEGIN/COMMIT from this section: ${runner} already runs it in one transaction. For statements that must run outside it, ${outsideTransactionAdvice(runner)}.`;
    for (const s of stmts) {
      const t = transactionKind(s);
      if (t === 'open') {
        if (runnerOpen) {
          // Reported once the matching COMMIT/ROLLBACK (or the end of the section) tells us how it ends.
          redundantBegin ??= s;
        } else if (explicitBegin) {
          out.set(s.index, {
            message:
              `${word(s)} while the transaction opened by ${word(explicitBegin)} at line ${line(explicitBegin)} is still open: Postgres does not nest transactions, ` +
              `it ignores this one with WARNING "there is already a transaction in progress", and the first COMMIT after it ends the outer transaction, ` +
              `so what follows that COMMIT runs outside any transaction.`,
            help: 'Remove the inner BEGIN (use SAVEPOINT for a nested rollback point).',
          });
          orphanCloses++;
        } else explicitBegin = s;
      } else if (t === 'close') {
        if (runnerOpen) {
          const rollback = isRollback(s);
          const opener = redundantBegin ?? s;
          const reason = transactionReason(runner, 'runner', stmts.length);
          const after = rollback
            ? `${word(s)} at line ${line(s)} discards everything the migration did before it, yet ${runner} goes on and records the migration as applied`
            : `${word(s)} at line ${line(s)} commits ${runner}'s transaction early: the statements after it and ${runner}'s own ledger write then run outside that transaction, ` +
              `so a failure after this point leaves a half-applied migration that cannot simply be retried`;
          out.set(opener.index, {
            message: `${redundantBegin ? `${word(redundantBegin)} inside the runner's transaction: ${reason}. Postgres ignores it with WARNING "there is already a transaction in progress", and the ` : `${word(s)} inside the runner's transaction: ${reason}. This `}${after}.`,
            help: removeHelp,
            ...(rollback ? { severity: 'error' as Severity } : {}),
          });
          redundantBegin = undefined;
          runnerOpen = false;
        } else if (explicitBegin) {
          explicitBegin = undefined;
        } else if (orphanCloses > 0) {
          orphanCloses--;
        } else {
          out.set(s.index, {
            message:
              s.transaction === 'implicit'
                ? `${word(s)} without BEGIN: this section is sent as one query string, so it ${isRollback(s) ? 'rolls back' : 'commits'} the implicit transaction of the statements sent before it ` +
                  `(with WARNING "there is no transaction in progress") and the statements after it run in a new one: the section is no longer atomic.`
                : `${word(s)} without a matching BEGIN: no transaction is open here (each statement has already committed on its own), so Postgres only answers ` +
                  `WARNING "there is no transaction in progress"; the statements before it were never atomic.`,
            help: 'Add BEGIN where the transaction should start, or remove this statement.',
          });
        }
      }
    }
    if (redundantBegin) {
      out.set(redundantBegin.index, {
        message: `${word(redundantBegin)} inside the runner's transaction: ${transactionReason(runner, 'runner', stmts.length)}. Postgres ignores it with WARNING "there is already a transaction in progress"; it has no effect.`,
        help: removeHelp,
        severity: 'info',
      });
    }
    if (explicitBegin) {
      const lost = runner === 'plain' || runner === 'sqitch';
      out.set(explicitBegin.index, {
        message: lost
          ? `${word(explicitBegin)} is never committed: the transaction is still open when the file ends, and when psql disconnects Postgres rolls back everything after line ${line(explicitBegin)}.`
          : `${word(explicitBegin)} is never committed in this section: the transaction is still open when the section ends, and whether its work is kept depends on what ${runner} sends next on the same connection.`,
        help: 'Add COMMIT at the end of the transaction.',
        ...(lost ? { severity: 'error' as Severity } : {}),
      });
    }
  });
  cache.set(file.statements, out);
  return out;
}

/** BEGIN/COMMIT written in the file that fight the runner's transaction or each other. */
export const reviewTransactionControl = defineRule({
  meta: {
    id: 'review-transaction-control',
    severity: 'warning',
    summary: "Match BEGIN/COMMIT in the file to the runner's transaction handling",
  },
  check(stmt, ctx) {
    const f = analyse(ctx.file).get(stmt.index);
    if (!f) return;
    ctx.report({
      statement: stmt,
      ...keywordRange(stmt, /^(?:BEGIN|START\s+TRANSACTION|COMMIT|END|ROLLBACK|ABORT|PREPARE\s+TRANSACTION)\b/i),
      message: f.message,
      help: f.help,
      ...(f.severity ? { severity: f.severity } : {}),
    });
  },
});
