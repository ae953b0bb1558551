/**
 * Docs are tests: every ```sql block under "## Unsafe" in rules/<id>.md must produce <id>, and
 * every block under "## Safe" must not. A block whose first line is a dbmate or goose directive is
 * linted as that runner's migration; any other block as a plain file run by psql.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ruleIds } from '../../rules';
import { docBlocks, docPathFor, docPgVersion } from '../doc-blocks';
import { lint } from '../helpers';

describe('rule documentation examples', () => {
  for (const id of [...ruleIds].sort()) {
    describe(id, () => {
      const md = readFileSync(join(__dirname, '..', '..', 'rules', `${id}.md`), 'utf8');

      it('has the required sections in order', () => {
        const headings = md.split('\n').filter((l) => /^#{1,2} /.test(l));
        // `## Fix` (what the rule's quick fix writes) is optional and sits between Safe and Notes.
        const expected = [`# ${id}`, '## Lock', '## Unsafe', '## Safe', ...(headings.includes('## Fix') ? ['## Fix'] : []), '## Notes'];
        assert.deepEqual(headings, expected);
      });

      const blocks = docBlocks(md);
      it('has at least one unsafe and one safe example', () => {
        assert.ok(blocks.some((b) => b.section === 'Unsafe'));
        assert.ok(blocks.some((b) => b.section === 'Safe'));
      });

      for (const b of blocks.filter((x) => x.section === 'Unsafe' || x.section === 'Safe')) {
        it(`${b.section.toLowerCase()} example at line ${b.line} ${b.section === 'Unsafe' ? 'triggers' : 'does not trigger'} the rule`, () => {
          const found = lint(b.sql, { path: docPathFor(b.sql), config: { pgVersion: docPgVersion(b.sql) } }).findings.filter((f) => f.rule === id);
          if (b.section === 'Unsafe') assert.ok(found.length > 0, `expected ${id} on:\n${b.sql}`);
          else
            assert.deepEqual(
              found.map((f) => f.message),
              [],
              `expected no ${id} on:\n${b.sql}`,
            );
        });
      }
    });
  }
});
