/**
 * File paths as plain strings, for the engine (which must not import node:path): they come from
 * either platform, so both `/` and `\` separate folders.
 */

/** The folder of `path`; `.` for a bare file name. */
export function dirOf(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i === -1 ? '.' : path.slice(0, i);
}

/** The last part of `path` (the file name). */
export function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

/** `name` inside `dir`, with the separator `dir` already uses (`\` only for a Windows-only path). */
export function joinPath(dir: string, name: string): string {
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return dir === '.' ? name : `${dir}${sep}${name}`;
}
