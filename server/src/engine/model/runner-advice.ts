/** How to run a statement outside a transaction with each runner: the sentence our messages end with. */
import type { RunnerId } from './runner';

export function outsideTransactionAdvice(runner: RunnerId): string {
  switch (runner) {
    case 'dbmate':
      return 'put it alone in its own migration whose up section is `-- migrate:up transaction:false` (dbmate still sends the section as one query string, so it must be the only statement)';
    case 'goose':
      return 'put it in its own migration with `-- +goose NO TRANSACTION` (goose then runs each statement by itself)';
    case 'golang-migrate':
      return 'put it alone in its own .up.sql file (golang-migrate sends the whole file as one query string)';
    case 'flyway':
      return "put it alone in its own V…__ script with `executeInTransaction=false` in the script's .sql.conf";
    case 'prisma':
      return 'put it alone in its own migration.sql (Prisma sends the script as one query string)';
    case 'diesel':
      return 'put it alone in an up.sql whose metadata.toml says `run_in_transaction = false` (diesel sends the file as one batch)';
    case 'atlas':
      return 'put it in a file that starts with `-- atlas:txmode none`';
    case 'sqitch':
    case 'plain':
      return 'run it outside BEGIN … COMMIT, as its own statement';
  }
}

/** Why this statement is inside a transaction, in the runner's terms. */
export function transactionReason(runner: RunnerId, transaction: 'runner' | 'explicit' | 'implicit', unitSize: number): string {
  if (transaction === 'explicit') return 'it runs between BEGIN and COMMIT written in this file';
  if (transaction === 'implicit') {
    const who = runner === 'plain' || runner === 'sqitch' ? 'this file' : runner;
    return `${who} sends ${unitSize > 1 ? `these ${unitSize} statements` : 'this section'} as one query string, which Postgres runs as one implicit transaction`;
  }
  switch (runner) {
    case 'dbmate':
      return 'dbmate wraps the section in a transaction (no `transaction:false` on its directive)';
    case 'goose':
      return 'goose runs the migration in a transaction (no `-- +goose NO TRANSACTION`)';
    case 'flyway':
      return 'Flyway runs this script in a transaction (executeInTransaction is not false, and the script mixes statements that need one with statements that cannot have one)';
    case 'diesel':
      return 'diesel wraps up.sql in a transaction (no `run_in_transaction = false` in metadata.toml)';
    case 'atlas':
      return 'Atlas runs the file in a transaction (no `-- atlas:txmode none`)';
    default:
      return `${runner} runs this migration in a transaction`;
  }
}
