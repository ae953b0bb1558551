/** Command-line parsing for `pg-migration-guard`. Returns a usage error instead of throwing. */
import { type GuardConfig, isRunnerId, type RunnerId } from '../engine';

export type Format = 'text' | 'json' | 'sarif' | 'github';
export type FailOn = 'error' | 'warning' | 'info';

export interface LintArgs {
  command: 'lint';
  paths: string[];
  format: Format;
  pgVersion?: number;
  config?: string;
  failOn: FailOn;
  runner?: RunnerId;
  color: boolean;
  /** A URL, or `env` for $DATABASE_URL: table sizes, version and INVALID indexes from that database. */
  databaseUrl?: string;
}

export interface FixArgs {
  command: 'fix';
  paths: string[];
  rules: string[];
  dryRun: boolean;
  /** Also apply fixes marked `review` (backfills, triggers, expand/contract) to every rule. */
  includeReview: boolean;
  pgVersion?: number;
  config?: string;
  runner?: RunnerId;
}

export interface RecoveryArgs {
  command: 'recovery';
  path: string;
  ledgerTable?: string;
}

export interface TraceArgs {
  command: 'trace';
  path: string;
  format: 'text' | 'json';
  ci: boolean;
  rowsCap?: number;
  /** A URL, or `env` for $DATABASE_URL. */
  databaseUrl?: string;
  pgVersion?: number;
  config?: string;
  runner?: RunnerId;
}

export type Args =
  | TraceArgs
  | LintArgs
  | FixArgs
  | RecoveryArgs
  | { command: 'lsp' }
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'usage-error'; message: string };

export const USAGE = `Usage:
  pg-migration-guard lint [paths…] [options]   lint migration files or directories (default: .)
  pg-migration-guard fix [paths…] [--rule ID]… [--dry-run] [--include-review]
                                               rewrite unsafe statements into their safe shape (as the
                                               editor's quick fixes do), creating following migrations;
                                               fixes that need review (backfill scripts, triggers,
                                               expand/contract) only for --rule IDs or --include-review
  pg-migration-guard recovery FILE [--ledger-table NAME]
                                               print the manual recovery recipe for when FILE failed
                                               in production (runner-aware; see the README)
  pg-migration-guard trace FILE [--format text|json] [--ci] [--rows-cap N] [--database-url URL|env]
                                               run FILE on a real PostgreSQL (embedded, or a configured
                                               database in a rolled-back transaction) and compare the
                                               locks, rewrites and timings with the prediction
  pg-migration-guard lsp --stdio               run the language server over stdio (any LSP editor)
  pg-migration-guard --version | --help

Options for lint:
  --format text|json|sarif|github   output format (default text)
  --pg-version N                    target PostgreSQL major version (overrides pgVersion, default 15)
  --config PATH                     use this pg-migration-guard.json instead of searching upwards
  --runner ID                       force the migration runner (dbmate, goose, golang-migrate, flyway,
                                    prisma, diesel, atlas, sqitch, plain)
  --fail-on error|warning|info      exit 1 when a finding of this severity or worse exists (default warning)
  --no-color                        plain text output
  --database-url URL|env            read table sizes, the server version and INVALID indexes from this
                                    database (read-only catalog queries; env: $DATABASE_URL). When it
                                    cannot be read, one line on stderr and the lint runs without it

Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error.`;

interface CommonOptions {
  pgVersion?: number;
  config?: string;
  runner?: RunnerId;
}

/** What `--pg-version` and `--runner` override in the configuration. */
export function configOverrides(o: CommonOptions): Partial<GuardConfig> {
  return { ...(o.pgVersion !== undefined ? { pgVersion: o.pgVersion } : {}), ...(o.runner ? { runner: o.runner } : {}) };
}

/**
 * Walks a command's arguments, `--flag value` and `--flag=value` alike. `option` handles a flag of
 * the command (true), rejects its value (an error message) or leaves it (false); the options all
 * commands share come next; anything else goes to `operand` (a path, or an unknown option it
 * rejects). Returns the first error.
 */
function walkArgs(
  args: readonly string[],
  out: CommonOptions,
  option: (flag: string, value: () => string | undefined) => boolean | string,
  operand: (arg: string) => string | undefined,
): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? args[++i];
    const own = option(flag, value);
    const handled = own === false ? commonOption(flag, value, out) : own;
    if (typeof handled === 'string') return handled;
    if (handled) continue;
    const problem = operand(a);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

/**
 * Options `lint` and `fix` share. Returns true when `flag` was one of them, an error message when
 * its value is wrong, false when the flag is not a common one.
 */
function commonOption(flag: string, value: () => string | undefined, out: CommonOptions): boolean | string {
  switch (flag) {
    case '--pg-version': {
      const v = Number(value());
      if (!Number.isInteger(v) || v < 9 || v > 30) return '--pg-version expects a PostgreSQL major version such as 15';
      out.pgVersion = v;
      return true;
    }
    case '--config': {
      const v = value();
      if (!v) return '--config expects a path to pg-migration-guard.json';
      out.config = v;
      return true;
    }
    case '--runner': {
      const v = value();
      if (!isRunnerId(v)) return `unknown runner ${v ?? '(none)'}; expected dbmate, goose, golang-migrate, flyway, prisma, diesel, atlas, sqitch or plain`;
      out.runner = v;
      return true;
    }
    default:
      return false;
  }
}

export function parseArgs(argv: readonly string[]): Args {
  const [first, ...rest] = argv;
  if (first === undefined) return { command: 'help' };
  if (first === '--help' || first === '-h' || first === 'help') return { command: 'help' };
  if (first === '--version' || first === '-v') return { command: 'version' };
  if (first === 'lsp') {
    const bad = rest.find((a) => a !== '--stdio');
    return bad ? { command: 'usage-error', message: `unknown option for lsp: ${bad} (the server speaks LSP over --stdio)` } : { command: 'lsp' };
  }
  if (first === 'fix') return parseFixArgs(rest);
  if (first === 'trace') return parseTraceArgs(rest);
  if (first === 'recovery') {
    const path = rest.find((a) => !a.startsWith('-') && rest[rest.indexOf(a) - 1] !== '--ledger-table');
    const i = rest.indexOf('--ledger-table');
    const ledgerTable = i >= 0 ? rest[i + 1] : undefined;
    if (!path || (i >= 0 && !ledgerTable)) return { command: 'usage-error', message: 'recovery needs one migration file (and --ledger-table NAME when given)' };
    return { command: 'recovery', path, ...(ledgerTable ? { ledgerTable } : {}) };
  }
  const args = first === 'lint' ? rest : argv;
  const out: LintArgs = { command: 'lint', paths: [], format: 'text', failOn: 'warning', color: process.stdout.isTTY === true };
  const problem = walkArgs(
    args,
    out,
    (flag, value) => {
      switch (flag) {
        case '--format': {
          const v = value();
          if (v !== 'text' && v !== 'json' && v !== 'sarif' && v !== 'github') return `--format expects text, json, sarif or github, got ${v ?? 'nothing'}`;
          out.format = v;
          return true;
        }
        case '--fail-on': {
          const v = value();
          if (v !== 'error' && v !== 'warning' && v !== 'info') return `--fail-on expects error, warning or info, got ${v ?? 'nothing'}`;
          out.failOn = v;
          return true;
        }
        case '--no-color':
          out.color = false;
          return true;
        case '--database-url': {
          const v = value();
          if (!v) return '--database-url expects a postgres:// URL, or env to read DATABASE_URL';
          out.databaseUrl = v;
          return true;
        }
        case '--color':
          out.color = true;
          return true;
        default:
          return false;
      }
    },
    (a) => {
      if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
      out.paths.push(a);
      return undefined;
    },
  );
  if (problem !== undefined) return { command: 'usage-error', message: problem };
  if (out.paths.length === 0) out.paths.push('.');
  return out;
}

function parseFixArgs(args: readonly string[]): Args {
  const out: FixArgs = { command: 'fix', paths: [], rules: [], dryRun: false, includeReview: false };
  const problem = walkArgs(
    args,
    out,
    (flag, value) => {
      switch (flag) {
        case '--rule': {
          const v = value();
          if (!v) return '--rule expects a rule id';
          out.rules.push(v);
          return true;
        }
        case '--dry-run':
          out.dryRun = true;
          return true;
        case '--include-review':
          out.includeReview = true;
          return true;
        default:
          return false;
      }
    },
    (a) => {
      if (a.startsWith('-')) return `unknown option for fix: ${a}`;
      out.paths.push(a);
      return undefined;
    },
  );
  if (problem !== undefined) return { command: 'usage-error', message: problem };
  if (out.paths.length === 0) return { command: 'usage-error', message: 'fix needs the migration files or directories to fix' };
  return out;
}

function parseTraceArgs(args: readonly string[]): Args {
  const out: Omit<TraceArgs, 'path'> & { path?: string } = { command: 'trace', format: 'text', ci: false };
  const problem = walkArgs(
    args,
    out,
    (flag, value) => {
      switch (flag) {
        case '--format': {
          const v = value();
          if (v !== 'text' && v !== 'json') return `--format for trace expects text or json, got ${v ?? 'nothing'}`;
          out.format = v;
          return true;
        }
        case '--ci':
          out.ci = true;
          return true;
        case '--rows-cap': {
          const v = Number(value());
          if (!Number.isInteger(v) || v < 0) return '--rows-cap expects a number of rows such as 2000000';
          out.rowsCap = v;
          return true;
        }
        case '--database-url': {
          const v = value();
          if (!v) return '--database-url expects a postgres:// URL, or env to read DATABASE_URL';
          out.databaseUrl = v;
          return true;
        }
        default:
          return false;
      }
    },
    (a) => {
      if (a.startsWith('-')) return `unknown option for trace: ${a}`;
      if (out.path) return 'trace takes one migration file';
      out.path = a;
      return undefined;
    },
  );
  if (problem !== undefined) return { command: 'usage-error', message: problem };
  if (!out.path) return { command: 'usage-error', message: 'trace needs one migration file' };
  return { ...out, path: out.path };
}
