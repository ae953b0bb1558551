/** Helpers shared by the rules of catalogue group D (renames, domains, statement shape, identifiers). */

/** The relation kinds a RenameStmt can rename, as a word for messages. */
export const RENAMED_RELATION: Readonly<Record<string, string>> = {
  OBJECT_TABLE: 'table',
  OBJECT_VIEW: 'view',
  OBJECT_MATVIEW: 'materialized view',
  OBJECT_FOREIGN_TABLE: 'foreign table',
};

/** UTF-8 length of a string, in bytes (identifiers are limited to NAMEDATALEN - 1 = 63 bytes). */
export function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 0;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}
