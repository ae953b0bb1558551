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
