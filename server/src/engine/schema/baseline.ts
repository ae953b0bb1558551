/**
 * Replays earlier migrations statically (their up sections, in the runner's order) into a
 * SchemaModel: the state of the database before the file being analysed.
 */
import { detectRunner, type RunnerId, type RunnerInfo } from '../model/runner';
import { sectionsFor } from '../model/sections';
import { ParseCache, piecesFromChunk } from '../parse/pieces';
import { splitSql, type SqlComment } from '../parse/split';
import { SchemaModel } from './schema-model';
import { compareVersions } from './versions';

export interface MigrationText {
  path: string;
  text: string;
}

const DIRECTIVE_LINE = /^[ \t]*--[ \t]*(?:migrate:|\+goose|atlas:)[^\r\n]*/gm;

/**
 * The runner of a file without a full split: only directive comment lines matter, and a regex
 * finds them (a directive-like line inside a string literal is not worth a full lex here).
 */
export function runnerOf(text: string, path: string | undefined, override?: RunnerId): RunnerInfo {
  const comments: SqlComment[] = [];
  for (const m of text.matchAll(DIRECTIVE_LINE)) {
    const body = m[0].trimStart();
    const start = (m.index ?? 0) + (m[0].length - body.length);
    comments.push({ start, end: start + body.length, text: body, ownLine: true, kind: 'line' });
  }
  return detectRunner(path, comments, override);
}

/**
 * Replays `files` in order onto `into` (a fresh model by default) and returns it. With
 * `appliedThrough`, tables created by files of a later version are marked new (same deploy).
 */
export function buildBaseline(
  files: readonly MigrationText[],
  cache: ParseCache = new ParseCache(),
  override?: RunnerId,
  into?: SchemaModel,
  appliedThrough?: string,
): SchemaModel {
  const model = into ?? new SchemaModel();
  for (const file of files) {
    const split = splitSql(file.text);
    const runner = detectRunner(file.path, split.comments, override);
    const unapplied = appliedThrough !== undefined && runner.version !== undefined && compareVersions(runner.version, appliedThrough) > 0;
    const sections = sectionsFor(runner.id, file.path, file.text, split.comments, {});
    if (sections.every((s) => s.kind === 'down')) continue; // a down-only file (golang-migrate .down.sql) changes nothing going forward
    for (const chunk of split.chunks) {
      const section = sections.find((s) => chunk.start >= s.start && chunk.start < s.end);
      if (section?.kind === 'down') continue;
      for (const piece of piecesFromChunk(file.text, chunk, cache)) {
        if (!piece.node) continue;
        model.apply(piece.kind, piece.node);
        if (unapplied) model.markCreatedAsNew(piece.kind, piece.node);
      }
    }
    model.sources++;
  }
  return model;
}
