/**
 * What the VS Code suite and its outer mocha test agree on: the scenario titles (the suite prints one
 * `E2E PASS <title>` or `E2E FAIL <title>: <message>` line per scenario, the outer test has one `it`
 * per title) and the migrations the scenarios open. Imports nothing, so the bundled suite and the
 * node side can both use it.
 */

/** Scenarios of the full suite (the extension loaded from this checkout). */
export const DEV_SCENARIOS = {
  diagnostics: 'diagnostics appear on the outage migration',
  quickFix: 'the preferred quick fix moves a plain CREATE INDEX into a new transaction:false migration',
  checklist: 'the checklist webview opens and lists the touched tables',
  recovery: 'the recovery snippet of a transaction:false migration takes the non-transactional path',
  trace: '"Trace migration" on the embedded PostgreSQL shows ACCESS EXCLUSIVE and a rewrite of events in the checklist',
  secretUrl: 'a database URL whose server is down: the error is logged, its password never is',
} as const;

/** Scenarios of the packaged-extension check (the .vsix installed with --install-extension). */
export const VSIX_SCENARIOS = {
  activates: 'the installed .vsix activates from the extensions folder',
  diagnostics: 'the installed .vsix reports the outage',
  checklist: 'the installed .vsix opens the checklist page (its webview assets are packaged)',
} as const;

export const EXTENSION_ID = 'pg-migration-guard.pg-migration-guard';
export const DIAGNOSTIC_SOURCE = 'pg-migration-guard';

/** Migrations of examples/dbmate, which the runner copies into a fresh workspace for every run. */
export const MIGRATIONS_DIR = 'db/migrations';
export const OUTAGE_FILE = '20251104093000_add_events_search_vector.sql';
/** A `transaction:false` migration whose only statement is CREATE INDEX CONCURRENTLY. */
export const CONCURRENT_INDEX_FILE = '20250520101500_add_events_user_id_index.sql';
export const CONCURRENT_INDEX_STATEMENT = 'CREATE INDEX CONCURRENTLY events_user_id_idx ON events (user_id);';
/** Touches events and accounts (a foreign key between them). */
export const FOREIGN_KEY_FILE = '20250902110000_add_events_account_fk.sql';

/**
 * Written by the quick-fix scenario: the plain CREATE INDEX shares its section with another
 * statement, so the fix cannot switch the section to transaction:false and must create a new file.
 */
export const PLAIN_INDEX_FILE = '20251120090000_add_events_archived_at.sql';
export const PLAIN_INDEX_STATEMENT = 'CREATE INDEX events_archived_at_idx ON events (archived_at);';
export const PLAIN_INDEX_MIGRATION = `-- migrate:up
ALTER TABLE events ADD COLUMN archived_at timestamptz;
${PLAIN_INDEX_STATEMENT}

-- migrate:down
DROP INDEX IF EXISTS events_archived_at_idx;
ALTER TABLE events DROP COLUMN IF EXISTS archived_at;
`;

/** Log-line prefixes between the suite (extension host) and the runner (node + playwright). */
export const LOG = {
  /** The suite's run() started: the workbench and the extension host are up. */
  start: 'E2E START',
  pass: 'E2E PASS',
  fail: 'E2E FAIL',
  /** `SCREENSHOT <name> -> <ack file>`: the runner saves <name>.png, captures webview text, writes the ack file. */
  screenshot: 'SCREENSHOT',
  /** `E2E DONE <passes> <failures>`. */
  done: 'E2E DONE',
} as const;

/** Environment variable set by the code-server runner: it answers SCREENSHOT lines with an ack file. */
export const CAPTURE_ENV = 'PGMG_E2E_CAPTURE';
