/**
 * `--format json`: a contract other tools read. Extend it; never rename or drop a field.
 * Ranges are 0-based line / UTF-16 character, as in LSP.
 */
import type { summarizeFacts } from '../../node/database-facts';
import type { FileResult } from '../../node/lint-file';
import type { Reporter } from './reporter';

/** One entry of `files`. */
export function jsonFile(r: FileResult, displayPath: (p: string) => string): object {
  const a = r.analysis;
  return {
    path: displayPath(r.path),
    runner: a.runner.id,
    statements: a.statements.map((s) => ({
      range: a.lines.rangeOf(s.start, s.end),
      section: s.section,
      transaction: s.transaction,
      sql: s.text,
      effects: s.effects.map((e) => ({
        relation: e.relation,
        lock: e.lock,
        rewrite: e.rewrite,
        scan: e.scan,
        indexBuild: e.indexBuild,
        relationKind: e.relationKind,
        createdInFile: e.createdInFile,
      })),
      noTransactionBlock: s.noTransactionBlock,
      kind: s.kind,
      cost: s.cost,
    })),
    diagnostics: a.findings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      range: a.lines.rangeOf(f.start, f.end),
      ...(f.help !== undefined ? { help: f.help } : {}),
    })),
    runnerReason: a.runner.reason,
    ...(a.runner.version !== undefined ? { version: a.runner.version } : {}),
  };
}

/**
 * The optional top-level `database` object (`lint --database-url`): what the configured database
 * said (`summarizeFacts`), or why it could not be read. Never the URL.
 */
export type JsonDatabase = ReturnType<typeof summarizeFacts> | { error: string };

/** Streams `{"version":1,"files":[…]}` one file at a time (plus `"database":{…}` when one was configured). */
export function jsonReporter(displayPath: (p: string) => string, database?: JsonDatabase): Reporter {
  let count = 0;
  const tail = `]${database ? `,"database":${JSON.stringify(database)}` : ''}}\n`;
  return {
    *file(r: FileResult): Iterable<string> {
      yield count++ === 0 ? '{"version":1,"files":[' : ',';
      yield* jsonPieces(jsonFile(r, displayPath));
    },
    end(): string {
      return count === 0 ? `{"version":1,"files":[${tail}` : tail;
    },
  };
}

/** Items of a long array stringified at a time. */
const PIECE = 1_000;

/**
 * `JSON.stringify(file)`, in pieces: long arrays (`statements`, `findings`) a thousand items at a
 * time. The JSON of a 20,000-statement file is 16 MB; written whole it was one string plus its
 * UTF-8 copy, a third of the CLI's peak memory.
 */
export function* jsonPieces(file: object): Generator<string> {
  yield '{';
  let first = true;
  for (const [key, value] of Object.entries(file)) {
    if (value === undefined || typeof value === 'function') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (Array.isArray(value) && value.length > PIECE) {
      for (let i = 0; i < value.length; i += PIECE) yield (i === 0 ? '[' : ',') + JSON.stringify(value.slice(i, i + PIECE)).slice(1, -1);
      yield ']';
    } else yield JSON.stringify(value);
  }
  yield '}';
}
