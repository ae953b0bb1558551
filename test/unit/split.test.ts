import assert from 'node:assert/strict';
import { splitSql } from '../../server/src/engine';

function texts(sql: string): string[] {
  return splitSql(sql).chunks.map((c) => sql.slice(c.start, c.end));
}

describe('splitSql', () => {
  it('splits on semicolons and drops leading comments and whitespace', () => {
    assert.deepEqual(texts('-- c\nSELECT 1;\n  /* b */ SELECT 2;\n'), ['SELECT 1;', 'SELECT 2;']);
  });

  it('keeps semicolons inside strings, E-strings, quoted identifiers and comments', () => {
    const sql = `SELECT 'a;b', E'it\\'s;', "we;ird" FROM t; -- x;y\nSELECT /* ; */ 2;`;
    assert.deepEqual(texts(sql), [`SELECT 'a;b', E'it\\'s;', "we;ird" FROM t;`, 'SELECT /* ; */ 2;']);
  });

  it('understands doubled quotes in standard strings (no backslash escapes)', () => {
    assert.deepEqual(texts(`SELECT 'a''b;', 'c\\';\nSELECT 2;`), [`SELECT 'a''b;', 'c\\';`, 'SELECT 2;']);
  });

  it('keeps dollar-quoted bodies whole, with and without tags', () => {
    const fn = `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $fn$ BEGIN NEW.x := 1; RETURN NEW; END $fn$;`;
    const doBlock = `DO $$ BEGIN PERFORM 1; END $$;`;
    assert.deepEqual(texts(`${fn}\n${doBlock}\nSELECT 3;`), [fn, doBlock, 'SELECT 3;']);
  });

  it('does not treat $1 or foo$bar$ as dollar quotes', () => {
    assert.deepEqual(texts('PREPARE p AS SELECT $1;\nSELECT foo$bar$ FROM t;\nSELECT 1;'), ['PREPARE p AS SELECT $1;', 'SELECT foo$bar$ FROM t;', 'SELECT 1;']);
  });

  it('nests block comments', () => {
    assert.deepEqual(texts('/* a /* b; */ c; */ SELECT 1; SELECT 2;'), ['SELECT 1;', 'SELECT 2;']);
  });

  it('keeps BEGIN ATOMIC function bodies whole', () => {
    const fn = 'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END;';
    assert.deepEqual(texts(`${fn}\nSELECT 2;`), [fn, 'SELECT 2;']);
  });

  it('keeps parenthesised rule actions whole', () => {
    const rule = 'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));';
    assert.deepEqual(texts(`${rule}\nSELECT 1;`), [rule, 'SELECT 1;']);
  });

  it('reports psql meta-commands separately', () => {
    const r = splitSql('\\set ON_ERROR_STOP on\nSELECT 1;\n\\connect other\n');
    assert.deepEqual(
      r.metaCommands.map((m) => m.text),
      ['\\set ON_ERROR_STOP on', '\\connect other'],
    );
    assert.equal(r.chunks.length, 1);
  });

  it('ends a statement at a runner section directive even without a semicolon', () => {
    assert.deepEqual(texts('-- +goose Up\nCREATE TABLE a (id int)\n-- +goose Down\nDROP TABLE a;'), ['CREATE TABLE a (id int)', 'DROP TABLE a;']);
  });

  it('treats a goose StatementBegin/End block as one chunk', () => {
    const sql = "-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS 'SELECT 1; ' LANGUAGE sql;\nSELECT 2;\n-- +goose StatementEnd\nSELECT 3;";
    const r = splitSql(sql);
    assert.equal(r.chunks.length, 2);
    assert.equal(r.chunks[0]?.block, true);
    assert.equal(sql.slice(r.chunks[0]?.start, r.chunks[0]?.end), "CREATE FUNCTION f() RETURNS int AS 'SELECT 1; ' LANGUAGE sql;\nSELECT 2;");
  });

  describe('resync after a broken statement', () => {
    const after = '\nCREATE INDEX i ON t (a);\nALTER TABLE t ADD COLUMN b int;\n';
    for (const [name, broken, message] of [
      ['unterminated string', "SELECT 'abc;", 'unterminated quoted string'],
      ['unterminated dollar quote', 'DO $$ BEGIN', 'unterminated dollar-quoted string $$'],
      ['unclosed block comment', '/* never closed', 'unterminated /* comment'],
      ['unclosed parenthesis', 'CREATE TABLE x (id int,', 'unclosed parenthesis'],
      ['unterminated quoted identifier', 'SELECT "abc;', 'unterminated quoted identifier'],
    ] as const) {
      it(`recovers the following statements after an ${name}`, () => {
        const sql = `SELECT 0;\n${broken}${after}`;
        const r = splitSql(sql);
        const t = r.chunks.map((c) => sql.slice(c.start, c.end));
        assert.deepEqual(t.slice(-2), ['CREATE INDEX i ON t (a);', 'ALTER TABLE t ADD COLUMN b int;']);
        const bad = r.chunks.filter((c) => c.lexError);
        assert.equal(bad.length, 1);
        assert.equal(bad[0]?.lexError?.message, message);
        assert.equal(t[0], 'SELECT 0;');
      });
    }
  });

  it('never loses text: every chunk lies inside the input, in order, without overlap', () => {
    const sql = "A; 'b;\nCREATE x; /* y\nALTER z; $q$ \n";
    let last = 0;
    for (const c of splitSql(sql).chunks) {
      assert.ok(c.start >= last && c.end >= c.start && c.end <= sql.length);
      last = c.end;
    }
  });
});
