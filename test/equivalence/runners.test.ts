/** The goose semantics the equivalence harness re-implements (runners.ts), against goose's documented parsing rules. */
import assert from 'node:assert/strict';
import { parseGoose } from './runners';

describe('equivalence harness: goose statement splitting', () => {
  it('a statement ends on a line whose last word ends with `;`; a mid-line `;` does not split', () => {
    const f = parseGoose(
      '-- +goose Up\nCREATE TABLE a (id int); CREATE TABLE b (id int);\nALTER TABLE a\n  ADD COLUMN x int;\n-- +goose Down\nDROP TABLE a;\n',
    );
    assert.deepEqual(f.up, ['CREATE TABLE a (id int); CREATE TABLE b (id int);', 'ALTER TABLE a\n  ADD COLUMN x int;']);
    assert.equal(f.noTransaction, false);
  });

  it('a trailing `-- comment` does not hide the semicolon; comments and blank lines before a statement are dropped', () => {
    const f = parseGoose('-- +goose Up\n\n-- why\nSELECT 1; -- done\n');
    assert.deepEqual(f.up, ['SELECT 1; -- done']);
  });

  it('StatementBegin/End keeps a block whole; NO TRANSACTION anywhere applies to the file', () => {
    const f = parseGoose(
      '-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n-- +goose StatementEnd\n-- +goose NO TRANSACTION\n',
    );
    assert.deepEqual(f.up, ['CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;']);
    assert.equal(f.noTransaction, true);
  });

  it('text left without a semicolon is an error, as in goose', () => {
    assert.throws(() => parseGoose('-- +goose Up\nSELECT 1\n'), /semicolon/);
  });
});
