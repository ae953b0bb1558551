/** Writing SQL back: identifiers are quoted only when Postgres would otherwise fold or reject them. */

// Reserved words that cannot be column or table names unquoted (a practical subset of PostgreSQL's list).
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with'.split(
    ' ',
  ),
);

export function quoteIdent(name: string): string {
  if (/^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED.has(name)) return name;
  return `"${name.replace(/"/g, '""')}"`;
}

/** `schema.table` with each part quoted as needed. */
export function quoteQualified(name: string): string {
  return name.split('.').map(quoteIdent).join('.');
}

/** A constraint/index name built from parts, kept within Postgres's 63-byte identifier limit. */
export function derivedName(...parts: string[]): string {
  // ASCII only after this replace, so characters are bytes.
  const name = parts
    .join('_')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_');
  return name.slice(0, 63);
}
