/**
 * Writes rules/README.md, the rule index, from each rule's metadata (id, default severity, summary)
 * so nobody types them twice. `npx tsx scripts/rules-index.ts`; test/unit/meta.test.ts checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules } from '../rules';

export function rulesIndex(): string {
  const rows = allRules.map((r) => `| [\`${r.meta.id}\`](${r.meta.id}.md) | ${r.meta.severity}${r.meta.style ? ' (style)' : ''} | ${r.meta.summary} |`);
  return [
    '# Rules',
    '',
    'Generated from each rule’s metadata by `scripts/rules-index.ts`; do not edit by hand.',
    'Severities are defaults: `pg-migration-guard.json` can change them per rule, and rules about O(rows) work',
    'raise to error on tables configured above `largeTableRows` (info on known-small tables).',
    '',
    '| rule | default | what it asks for |',
    '|---|---|---|',
    ...rows,
    '| [`syntax-error`](syntax-error.md) | error | Statements the PostgreSQL 18 parser rejects (the rest of the file is still checked) |',
    '| [`unused-ignore`](unused-ignore.md) | warning | Ignore comments that suppress nothing or name an unknown rule |',
    '',
  ].join('\n');
}

if (require.main === module) {
  writeFileSync(join(__dirname, '..', 'rules', 'README.md'), rulesIndex());
  console.log(`rules/README.md: ${allRules.length} rules`);
}
