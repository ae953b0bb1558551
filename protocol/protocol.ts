/**
 * The wire contract between the VS Code client and the server: custom method names, command ids
 * and the settings shape. Imports nothing but types, so both sides can share it.
 */
export const SERVER_NAME = 'pg-migration-guard';
export const DIAGNOSTIC_SOURCE = 'pg-migration-guard';

/** Commands the server executes (workspace/executeCommand). */
export const Commands = {
  /** Opens a rule's documentation: arguments `[ruleId]`. */
  showRuleDocumentation: 'pgMigrationGuard.server.showRuleDocumentation',
  /** A code lens' target: arguments `[statementIndex]`; the server has nothing to do, clients may show the hover. */
  showStatementDetails: 'pgMigrationGuard.server.showStatementDetails',
  /** Selects a range of a document (window/showDocument with `selection`): arguments `[uri, range]`; the ignore action's `reason` placeholder. */
  selectRange: 'pgMigrationGuard.server.selectRange',
} as const;

/** `pgMigrationGuard.*` settings, as the server reads them through workspace/configuration. */
export interface ClientSettings {
  pgVersion?: number | null;
  runner?: string | null;
  rules?: Record<string, string>;
  /** Files larger than this many bytes get one diagnostic instead of an analysis. */
  maxFileSize?: number;
  /** At most this many problems per file are published (errors first); one more line says how many were left out. */
  maxNumberOfProblems?: number;
  /** Show each statement's strongest lock as an inlay hint. */
  inlayHints?: { lockMode?: boolean };
  /** The migration role's statement_timeout, as Postgres writes durations (`60s`, `5min`, `0` = none); the checklist compares timings with it. */
  statementTimeout?: string;
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
export const DEFAULT_MAX_NUMBER_OF_PROBLEMS = 1000;

/** Commands the VS Code client implements (contributed in package.json; the server's code actions may name them). */
export const ClientCommands = {
  /** Opens the migration checklist webview beside the editor: arguments `[uri?]` (default: the active editor). */
  showChecklist: 'pgMigrationGuard.showChecklist',
  /** Inserts the recovery snippet at the cursor, or into a new untitled SQL document: arguments `[uri?]`. */
  insertRecoverySnippet: 'pgMigrationGuard.insertRecoverySnippet',
  /** Traces the migration on a real PostgreSQL (request `pgMigrationGuard/trace`): arguments `[uri?]` (default: the active editor). */
  traceMigration: 'pgMigrationGuard.traceMigration',
} as const;

/** `initializationOptions` a client may send: the client-side commands it implements, so the server can offer them. */
export interface InitializationOptions {
  clientCommands?: string[];
  /** A directory the extension owns (VS Code `ExtensionContext.globalStorageUri.fsPath`): the trace keeps its embedded PostgreSQL data there. */
  globalStoragePath?: string;
}

/** Custom requests, client → server. Params and results are plain JSON data. */
export const Requests = {
  /** `{ uri }` → `ChecklistData | null` (null: the document is not open on the server). */
  checklist: 'pgMigrationGuard/checklist',
  /** `{ uri }` → `RecoverySnippetResult | null`. */
  recoverySnippet: 'pgMigrationGuard/recoverySnippet',
  /** `CostCommentParams` → `CostCommentEdit | null`: where to write the header `-- cost:` comment. */
  costComment: 'pgMigrationGuard/costComment',
  /** `{ uri }` → `TraceReport`: runs the file's up section on a real PostgreSQL (see server/src/trace/session). */
  trace: 'pgMigrationGuard/trace',
  /**
   * `RefreshDatabaseFactsParams` → `DatabaseFactsSummary`: (re)reads table sizes, the server version and
   * INVALID indexes from the configured database and re-validates open documents with them.
   */
  refreshDatabaseFacts: 'pgMigrationGuard/refreshDatabaseFacts',
} as const;

export interface DocumentParams {
  uri: string;
}

export interface RecoverySnippetResult {
  text: string;
  mode: 'transactional' | 'non-transactional';
  /** Things the operator must know before running it (unparsable statements, runner repair commands). */
  warnings: string[];
}

export interface ChecklistTable {
  /** As written in the migration (possibly schema-qualified). */
  name: string;
  lock: string;
  rewrite: boolean;
  scan: boolean;
  indexBuild: boolean;
  relationKind: string;
  /** Created earlier in this migration: new and empty. */
  createdInFile: boolean;
  /** Known row count (pg-migration-guard.json `tables`). */
  rows?: number;
  /** `rows` is at or above the size threshold. */
  large: boolean;
}

export interface ChecklistStatement {
  index: number;
  /** 1-based line where the statement starts. */
  line: number;
  /** The statement's first line, shortened. */
  excerpt: string;
  kind: string;
  transaction: 'runner' | 'explicit' | 'implicit' | 'none';
  concurrently: boolean;
  /** How its duration grows: rewrite, index-build, scan, rows, catalog, none. */
  cost: string;
  tables: ChecklistTable[];
}

/** The `-- cost: 38 s measured on 1.15M rows, 2026-11-21` header comment, parsed. */
export interface CostComment {
  /** 1-based line. */
  line: number;
  text: string;
  seconds?: number;
  rows?: number;
  date?: string;
}

/** Results of a real-Postgres trace of this file (filled by the trace feature when it ran); rendered as a table. */
export interface ChecklistTrace {
  /** What produced it, e.g. `PostgreSQL 18.1 (embedded), 2026-11-21 10:04`. */
  source: string;
  columns: string[];
  rows: string[][];
}

export interface ChecklistData {
  uri: string;
  fileName: string;
  runner: { id: string; version?: string; reason: string };
  transaction: {
    /** How the recovery snippet (and so the runner) treats the file as a whole. */
    mode: 'transactional' | 'non-transactional';
    /** One sentence: which transaction the up section's statements run in. */
    summary: string;
  };
  eligibility: {
    /** Touches a table at or above the threshold with a rewrite, scan or index build. */
    eligible: boolean;
    thresholdRows: number;
    reasons: string[];
    /** Tables with heavy work whose size is not configured. */
    unknownSizes: string[];
  };
  concurrently: Array<{ line: number; excerpt: string }>;
  statements: ChecklistStatement[];
  /** Every table the up section touches: existing ones first, then by lock strength. */
  tables: ChecklistTable[];
  statementTimeout: {
    /** The migration role's timeout as configured (`pgMigrationGuard.statementTimeout`), e.g. `60s`. */
    setting: string;
    /** In milliseconds; null when the setting cannot be read or is 0 (no timeout). */
    ms: number | null;
    /** A `SET [LOCAL] statement_timeout` in the file itself, which wins over the role's. */
    inFile?: { line: number; value: string; ms: number | null };
  };
  recovery: RecoverySnippetResult;
  costComment?: CostComment;
  /** The migration that runs after this one, when it could be read. */
  nextMigration?: { fileName: string; references: string[] };
  trace?: ChecklistTrace;
}

export interface CostCommentParams {
  uri: string;
  seconds: number;
  rows: number;
  /** ISO date `YYYY-MM-DD`. */
  date: string;
}

export interface CostCommentEdit {
  /** 0-based line range replaced (start === end: an insertion). */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  newText: string;
}

/** `pgMigrationGuard/trace` params. `databaseUrl` (from SecretStorage) switches to the configured database; the server never logs it. */
export interface TraceParams {
  uri: string;
  databaseUrl?: string;
  /** Upper bound on generated rows per table (default 2,000,000). */
  rowsCap?: number;
}

/** `pgMigrationGuard/refreshDatabaseFacts` params: the URL from the client's SecretStorage; the server never logs it. */
export interface RefreshDatabaseFactsParams {
  databaseUrl: string;
}

/** What the configured database said (no URL, no credentials). Errors come back as a ResponseError with a redacted message. */
export interface DatabaseFactsSummary {
  serverMajor: number;
  /** The connecting role's settings in milliseconds; 0 means none. */
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /** Number of tables with sizes. */
  tables: number;
  /** Names of indexes with indisvalid = false. */
  invalidIndexes: string[];
}

/** One relation a traced statement touched, as observed on the server. */
export interface TracedRelation {
  relation: string;
  kind: 'table' | 'index' | 'matview' | 'sequence' | 'view' | 'other';
  /** Strongest lock the statement took on it (pg_locks spelling without "Lock", e.g. `ACCESS EXCLUSIVE`); null: none. */
  lock: string | null;
  /** The statement asked for a lock mode its transaction already held (invisible in pg_locks): `lock` then is that mode. */
  alreadyHeld: boolean;
  rewrite: boolean;
  scan: boolean;
  indexBuild: boolean;
  /** Created by this statement. */
  created: boolean;
  /** From the start of the statement to the end of the transaction holding the lock (COMMIT / ROLLBACK), in ms; null without a lock. */
  heldMs: number | null;
  /** `pg_class.reltuples` before the migration (tables only); null when unknown. */
  rowsBefore: number | null;
}

/** A difference between the engine's static claim and the trace. */
export interface TraceMismatch {
  relation: string;
  field: 'lock' | 'rewrite' | 'fullRead' | 'indexBuild' | 'unclaimed';
  claimed: string;
  observed: string;
}

export interface TracedStatement {
  /** Index in the analysis' statements. */
  index: number;
  /** 1-based line where the statement starts. */
  line: number;
  excerpt: string;
  kind: string;
  /** The transaction it ran in, per the runner model: runner, explicit, implicit, none. */
  transaction: 'runner' | 'explicit' | 'implicit' | 'none';
  /** Ran inside a transaction block (locks observed exactly) or alone (locks polled). */
  inTransactionBlock: boolean;
  ok: boolean;
  /** The server's error, with secrets removed. */
  error?: string;
  elapsedMs: number;
  relations: TracedRelation[];
  /** Whether it was compared with the static prediction (not for SET, BEGIN, DO, …). */
  compared: boolean;
  mismatches: TraceMismatch[];
}

/** `pgMigrationGuard/trace` result and `pg-migration-guard trace --format json` (version 1: extend, never rename). */
export interface TraceReport {
  version: 1;
  file: string;
  runner: string;
  target: {
    mode: 'embedded' | 'database-url';
    /** `server_version` as the server reports it. */
    serverVersion: string;
    serverMajor: number;
    /** The pgVersion the static prediction was made for. */
    predictedFor: number;
    /** Embedded only: time to make the server available (0 when it was already running), and whether initdb ran. */
    startMs: number;
    initdb: boolean;
    /** Host and database, never credentials. */
    description: string;
  };
  /** Earlier migrations applied to build the schema (embedded only). */
  history: { files: number; statements: number; ms: number };
  /** Rows generated per table (embedded only), after the cap. */
  filled: Array<{ table: string; rows: number; configuredRows: number | null; ms: number }>;
  fillMs: number;
  statements: TracedStatement[];
  /** The statements that failed to run, or that disagree with the prediction. */
  failed: boolean;
  disagreements: number;
  /** How the work was undone: the scratch database dropped, or the transaction rolled back. */
  cleanup: 'scratch-database-dropped' | 'rolled-back';
  totalMs: number;
  notes: string[];
}
