/**
 * The CLI writes `--format json` in pieces (long arrays a thousand items at a time); the bytes
 * must be exactly those of one `JSON.stringify`, since other tools read them.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonPieces } from '../../server/src/cli/formats/json';

describe('JSON output in pieces', () => {
  it('joins to exactly JSON.stringify of the file, for arrays shorter and longer than a piece', () => {
    const item = fc.record({
      relation: fc.string(),
      lock: fc.constantFrom('SHARE', 'ACCESS EXCLUSIVE'),
      line: fc.integer(),
      note: fc.option(fc.string(), { nil: undefined }),
    });
    fc.assert(
      fc.property(
        fc.record({
          path: fc.string(),
          runner: fc.option(fc.string(), { nil: undefined }),
          findings: fc.array(item, { maxLength: 2_500 }),
          statements: fc.array(item, { minLength: 999, maxLength: 2_001 }),
          empty: fc.constant([]),
        }),
        (file) => {
          const pieces = [...jsonPieces(file)];
          assert.equal(pieces.join(''), JSON.stringify(file));
          // A long array is not one piece.
          assert.ok(Math.max(...pieces.map((p) => p.length)) < JSON.stringify(file).length || file.statements.length <= 1_000);
        },
      ),
      { numRuns: 25 },
    );
  });
});
