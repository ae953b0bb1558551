/** Wraps every handler: an exception is logged and becomes a neutral result, never a dead server. */
import type { Connection } from 'vscode-languageserver/node';

export function guard<A extends unknown[], R>(connection: Connection, name: string, fallback: R, handler: (...args: A) => R): (...args: A) => R {
  return (...args: A): R => {
    try {
      return handler(...args);
    } catch (err) {
      connection.console.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };
}

/** `guard` for handlers that wait (for the analysis of the current version, for a database). */
export function guardAsync<A extends unknown[], R>(
  connection: Connection,
  name: string,
  fallback: R,
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    try {
      return await handler(...args);
    } catch (err) {
      connection.console.error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      return fallback;
    }
  };
}
