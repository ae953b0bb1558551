/**
 * The one place that talks to libpg-query (PostgreSQL 18's own parser compiled to WASM).
 * `loadParser()` must resolve once before `parseSql()` is called; after that parsing is synchronous.
 */
import { loadModule, parseSync } from 'libpg-query';
import { type AstObject, isObj, num, unwrap } from './ast';

export interface ParsedStatement {
  /** Node kind, e.g. `AlterTableStmt`. */
  kind: string;
  node: AstObject;
  /** UTF-8 byte offset/length of this statement inside the parsed text (the parser's unit). */
  byteStart: number;
  byteLength: number | undefined;
}

export type ParseOutcome =
  | { ok: true; statements: ParsedStatement[] }
  | { ok: false; message: string; /** UTF-8 byte offset of the error, when known. */ byteOffset: number | undefined };

let loading: Promise<void> | undefined;
let ready = false;

export function loadParser(): Promise<void> {
  loading ??= loadModule().then(() => {
    ready = true;
  });
  return loading;
}

export function isParserReady(): boolean {
  return ready;
}

export function parseSql(text: string): ParseOutcome {
  if (!ready) throw new Error('parser not loaded: await loadParser() first');
  let tree: unknown;
  try {
    tree = parseSync(text);
  } catch (err) {
    return { ok: false, ...describeError(err) };
  }
  const stmts = isObj(tree) && Array.isArray(tree['stmts']) ? tree['stmts'] : [];
  const statements: ParsedStatement[] = [];
  for (const raw of stmts) {
    if (!isObj(raw)) continue;
    const u = unwrap(raw['stmt']);
    if (!u) continue;
    statements.push({ kind: u.kind, node: u.node, byteStart: num(raw, 'stmt_location') ?? 0, byteLength: num(raw, 'stmt_len') });
  }
  return { ok: true, statements };
}

function describeError(err: unknown): { message: string; byteOffset: number | undefined } {
  if (err instanceof Error) {
    const details = (err as Error & { sqlDetails?: { cursorPosition?: unknown } }).sqlDetails;
    const pos = details && typeof details.cursorPosition === 'number' ? details.cursorPosition : undefined;
    // The scanner sometimes throws an unhelpful JSON error for lexical problems.
    const message = /is not valid JSON/.test(err.message) ? 'invalid SQL (the scanner rejected this statement)' : err.message;
    return { message, byteOffset: pos };
  }
  return { message: String(err), byteOffset: undefined };
}
