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
} as const;

/** `pgMigrationGuard.*` settings, as the server reads them through workspace/configuration. */
export interface ClientSettings {
  pgVersion?: number | null;
  runner?: string | null;
  rules?: Record<string, string>;
  /** Files larger than this many bytes get one diagnostic instead of an analysis. */
  maxFileSize?: number;
  /** Show each statement's strongest lock as an inlay hint. */
  inlayHints?: { lockMode?: boolean };
}

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
