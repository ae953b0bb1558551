/** Reads the ```sql example blocks of a rule page, and the file path a block is linted as. */
export interface DocBlock {
  /** The `##` heading the block sits under (`Unsafe`, `Safe`, …). */
  section: string;
  sql: string;
  /** 1-based line of the block's first SQL line in the markdown. */
  line: number;
}

export function docBlocks(markdown: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const h = /^## (.+)$/.exec(line);
    if (h) section = (h[1] ?? '').trim();
    if (line.trim() === '```sql') {
      const body: string[] = [];
      const start = i + 1;
      for (i++; i < lines.length && lines[i]?.trim() !== '```'; i++) body.push(lines[i] ?? '');
      blocks.push({ section, sql: body.join('\n'), line: start + 1 });
    }
  }
  return blocks;
}

/**
 * The PostgreSQL major a block is linted at: `-- pg-version: N` in the block, else 18 for blocks
 * using VIRTUAL generated columns, else the default 15.
 */
export function docPgVersion(sql: string): number {
  const explicit = /--\s*pg-version:\s*(\d+)/i.exec(sql)?.[1];
  if (explicit) return Number(explicit);
  return /\bVIRTUAL\b/i.test(sql) ? 18 : 15;
}

/** A block starting with a dbmate or goose directive is that runner's migration; anything else a plain psql file. */
export function docPathFor(sql: string): string {
  const first = sql.split('\n')[0] ?? '';
  if (/^--\s*migrate:/.test(first)) return 'db/migrations/20250101000000_doc.sql';
  if (/^--\s*\+goose/.test(first)) return 'migrations/00001_doc.sql';
  return 'db/schema/doc.sql';
}
