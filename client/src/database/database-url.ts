/**
 * The PostgreSQL URL the database features use (trace on the configured database). It lives in
 * VS Code's SecretStorage only, never in settings or logs. The store keeps the current value's
 * secrets in memory so the redacting log can remove them synchronously.
 */
import type { Disposable, SecretStorage } from 'vscode';

export const DATABASE_URL_SECRET = 'pgMigrationGuard.databaseUrl';

/** The client's own commands around the URL (the server never names them). */
export const DatabaseCommands = {
  /** Arguments `[url?]`: without one, an input box asks (password style). */
  setDatabaseUrl: 'pgMigrationGuard.setDatabaseUrl',
  clearDatabaseUrl: 'pgMigrationGuard.clearDatabaseUrl',
  /** Reads the table sizes, version and timeouts again with the stored URL. */
  refreshDatabaseFacts: 'pgMigrationGuard.refreshDatabaseFacts',
} as const;

/** Why `text` is not a usable PostgreSQL URL, or undefined when it is one. */
export function databaseUrlProblem(text: string): string | undefined {
  const value = text.trim();
  if (!value) return 'Enter a URL such as postgres://user:password@host:5432/database.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Not a URL: expected postgres://user:password@host:5432/database.';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return `The scheme must be postgres:// or postgresql://, not ${url.protocol}//.`;
  if (!url.hostname && !url.searchParams.get('host')) return 'The URL names no host.';
  return undefined;
}

/** Where a URL points, without credentials: `host:port/database` (for messages). */
export function describeDatabaseUrl(value: string): string {
  try {
    const u = new URL(value);
    return `${u.hostname || u.searchParams.get('host') || ''}${u.port ? `:${u.port}` : ''}${u.pathname || '/'}`;
  } catch {
    return '(unparsable database URL)';
  }
}

/** The strings that must never be logged for `value`: the URL itself and its password (decoded). */
function secretsOf(value: string | undefined): string[] {
  if (!value) return [];
  const out = [value];
  try {
    const p = new URL(value).password;
    if (p) out.push(decodeURIComponent(p));
  } catch {
    // An unparsable stored value is still never logged as a whole.
  }
  return out;
}

export class DatabaseUrlStore implements Disposable {
  /** Every secret seen this session: a request started before a change or a clear may still log after it. */
  private readonly secrets = new Set<string>();
  private readonly subscription: Disposable;

  constructor(private readonly storage: SecretStorage) {
    // Another window of the same profile may change it.
    this.subscription = storage.onDidChange((e) => {
      if (e.key === DATABASE_URL_SECRET) void this.get();
    });
  }

  async get(): Promise<string | undefined> {
    const value = await this.storage.get(DATABASE_URL_SECRET);
    this.remember(value);
    return value || undefined;
  }

  async set(value: string): Promise<void> {
    // Known before it is stored: nothing logged meanwhile can carry it.
    this.remember(value);
    await this.storage.store(DATABASE_URL_SECRET, value);
  }

  async clear(): Promise<void> {
    await this.storage.delete(DATABASE_URL_SECRET);
  }

  /** The secrets to redact from logs and messages. */
  knownSecrets(): readonly string[] {
    return [...this.secrets];
  }

  private remember(value: string | undefined): void {
    for (const s of secretsOf(value)) this.secrets.add(s);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
