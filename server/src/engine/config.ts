/**
 * `pg-migration-guard.json`: one file, read identically by the CLI and the language server.
 * Validation never throws; it returns the usable config plus precise errors (which key, what was expected).
 */
import { isRunnerId, type RunnerId, RUNNER_IDS } from './model/runner';

export type Severity = 'error' | 'warning' | 'info';
export type RuleSetting = Severity | 'off';

export interface TableSize {
  rows?: number;
  bytes?: number;
  /** Where the numbers come from: absent for pg-migration-guard.json, `database` for a configured database's statistics. */
  source?: 'database';
}

/**
 * What a configured database says about itself, read with read-only queries by
 * `server/src/node/database-facts.ts` and handed to the engine as plain data. Names are keyed as
 * the engine keys tables: `public.` stripped, other schemas kept (`app.events`).
 */
export interface DatabaseFacts {
  /** Server major version (`server_version_num / 10000`). */
  major: number;
  /** The connecting role's settings in milliseconds; 0 means no timeout. */
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  /** Row estimate (`reltuples`; undefined when the table was never analysed) and `pg_total_relation_size`. */
  tables: Record<string, { rows?: number; bytes: number }>;
  /** Valid, non-partial, non-expression indexes with their key columns in order (to know which foreign keys are covered). */
  indexes: Array<{ name: string; table: string; columns: string[] }>;
  /** Indexes with `indisvalid = false`, e.g. the leftover of a failed CREATE INDEX CONCURRENTLY. */
  invalidIndexes: Array<{ name: string; table: string }>;
}

export interface GuardConfig {
  /** Target PostgreSQL major version; version-dependent claims follow it. */
  pgVersion: number;
  /** Per-rule severity or `off`. */
  rules: Record<string, RuleSetting>;
  /** Globs (relative to the config file) of the files that are migrations. */
  migrations: string[];
  /** Force a runner instead of detecting it. */
  runner?: RunnerId;
  /** Known table sizes, by table name. */
  tables: Record<string, TableSize>;
  /** Rows above which a rewrite/scan/index build is an error rather than a warning. */
  largeTableRows: number;
  /**
   * The last migration version already applied in production. Later migrations of the folder ship in
   * the same deploy, so the tables they create are new and empty when this one runs.
   */
  appliedThrough?: string;
  /** Facts from a configured database, when the user configured one (see `withDatabaseFacts`). */
  database?: DatabaseFacts;
}

export const DEFAULT_MIGRATION_GLOBS = [
  '**/migrations/**/*.sql',
  '**/migration/**/*.sql',
  '**/migrate/**/*.sql',
  '**/db/**/*.sql',
  '**/deploy/**/*.sql',
  '**/revert/**/*.sql',
  '**/sql/**/*.sql',
  '**/schema/**/*.sql',
];

export function defaultConfig(): GuardConfig {
  return { pgVersion: 15, rules: {}, migrations: [...DEFAULT_MIGRATION_GLOBS], tables: {}, largeTableRows: 100_000 };
}

export interface ConfigError {
  /** JSON path of the offending key, e.g. `rules.require-concurrent-index-creation`. */
  key: string;
  message: string;
}

const SETTINGS: readonly string[] = ['error', 'warning', 'info', 'off'];

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** Validates parsed JSON against the schema; unknown rule ids are checked by the caller (it knows the registry). */
export function validateConfig(json: unknown, knownRules: ReadonlySet<string>): { config: GuardConfig; errors: ConfigError[] } {
  const config = defaultConfig();
  const errors: ConfigError[] = [];
  if (!isRecord(json)) {
    errors.push({ key: '(root)', message: 'expected a JSON object' });
    return { config, errors };
  }
  for (const [key, value] of Object.entries(json)) {
    switch (key) {
      case '$schema':
        break;
      case 'pgVersion':
        if (typeof value === 'number' && Number.isInteger(value) && value >= 9 && value <= 30) config.pgVersion = value;
        else errors.push({ key, message: `expected a PostgreSQL major version such as 15, got ${JSON.stringify(value)}` });
        break;
      case 'rules':
        if (!isRecord(value)) {
          errors.push({ key, message: 'expected an object mapping rule ids to "error", "warning", "info" or "off"' });
          break;
        }
        for (const [rule, setting] of Object.entries(value)) {
          if (!knownRules.has(rule)) errors.push({ key: `rules.${rule}`, message: `unknown rule id "${rule}"` });
          else if (typeof setting !== 'string' || !SETTINGS.includes(setting)) {
            errors.push({ key: `rules.${rule}`, message: `expected "error", "warning", "info" or "off", got ${JSON.stringify(setting)}` });
          } else config.rules[rule] = setting as RuleSetting;
        }
        break;
      case 'migrations':
        if (Array.isArray(value) && value.every((v) => typeof v === 'string')) config.migrations = value as string[];
        else errors.push({ key, message: 'expected an array of glob strings' });
        break;
      case 'runner':
        if (isRunnerId(value)) config.runner = value;
        else errors.push({ key, message: `unknown runner ${JSON.stringify(value)}; expected one of ${RUNNER_IDS.join(', ')}` });
        break;
      case 'appliedThrough':
        if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) config.appliedThrough = String(value);
        else errors.push({ key, message: 'expected the version (as in the file name) of the last migration applied in production, e.g. "20251101120000"' });
        break;
      case 'largeTableRows':
        if (typeof value === 'number' && value >= 0) config.largeTableRows = value;
        else errors.push({ key, message: 'expected a non-negative number of rows' });
        break;
      case 'tables':
        if (!isRecord(value)) {
          errors.push({ key, message: 'expected an object mapping table names to { "rows": number, "bytes": number }' });
          break;
        }
        for (const [table, size] of Object.entries(value)) {
          if (!isRecord(size)) {
            errors.push({ key: `tables.${table}`, message: 'expected an object such as { "rows": 1150000 }' });
            continue;
          }
          const entry: TableSize = {};
          for (const [k, v] of Object.entries(size)) {
            if ((k === 'rows' || k === 'bytes') && typeof v === 'number' && v >= 0) entry[k] = v;
            else
              errors.push({
                key: `tables.${table}.${k}`,
                message: k === 'rows' || k === 'bytes' ? 'expected a non-negative number' : `unknown key "${k}"; expected "rows" or "bytes"`,
              });
          }
          config.tables[table] = entry;
        }
        break;
      default:
        errors.push({ key, message: `unknown key "${key}"; expected pgVersion, rules, migrations, runner, tables, largeTableRows or appliedThrough` });
    }
  }
  return { config, errors };
}

/** The configured size of a table, by its name as written or unqualified (`public.events` → `events`). */
export function tableSize(config: GuardConfig, table: string): TableSize | undefined {
  return config.tables[table] ?? config.tables[table.slice(table.lastIndexOf('.') + 1)];
}

/**
 * The config with a database's facts applied. The database is the live truth, so it wins: its major
 * version replaces pgVersion, and its row estimates replace configured sizes (a configured size is
 * kept for a table the database has never analysed).
 */
export function withDatabaseFacts(config: GuardConfig, facts: DatabaseFacts): GuardConfig {
  const tables = { ...config.tables };
  for (const [name, t] of Object.entries(facts.tables)) {
    if (t.rows === undefined && tables[name]?.rows !== undefined) continue;
    tables[name] = { ...(t.rows !== undefined ? { rows: t.rows } : {}), bytes: t.bytes, source: 'database' };
  }
  return { ...config, pgVersion: facts.major, tables, database: facts };
}

/** Settings from the editor override the file (a shallow merge; rule settings merge per rule; see `database` below). */
export function mergeConfig(base: GuardConfig, override: Partial<GuardConfig>): GuardConfig {
  const merged = {
    ...base,
    ...override,
    rules: { ...base.rules, ...(override.rules ?? {}) },
    tables: { ...base.tables, ...(override.tables ?? {}) },
  };
  // Database facts given as an override are applied last: they win over pgVersion and sizes.
  return override.database ? withDatabaseFacts(merged, override.database) : merged;
}
