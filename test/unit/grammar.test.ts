/** Tokenizes directive lines with the real TextMate engine VS Code uses (vscode-textmate + oniguruma). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, type IGrammar, parseRawGrammar, Registry } from 'vscode-textmate';

const ROOT = join(__dirname, '..', '..');

async function loadGrammar(): Promise<IGrammar> {
  const wasm = readFileSync(join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer);
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p: string[]) => new oniguruma.OnigScanner(p),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scope: string) => {
      if (scope === 'source.pg-migration-guard.directives') {
        const path = join(ROOT, 'syntaxes', 'migration-directives.tmLanguage.json');
        return parseRawGrammar(readFileSync(path, 'utf8'), path);
      }
      // A stand-in host grammar for source.sql: what the injection attaches to.
      if (scope === 'source.sql')
        return parseRawGrammar(JSON.stringify({ scopeName: 'source.sql', patterns: [{ match: '--.*$', name: 'comment.line.double-dash.sql' }] }), 'sql.json');
      return null;
    },
    getInjections: (scope: string) => (scope === 'source.sql' ? ['source.pg-migration-guard.directives'] : undefined),
  });
  const g = await registry.loadGrammar('source.sql');
  if (!g) throw new Error('grammar not loaded');
  return g;
}

/** text → scope of each token, as `text=last-scope`. */
function tokens(g: IGrammar, line: string): string[] {
  return g
    .tokenizeLine(line, INITIAL)
    .tokens.map((t) => `${line.slice(t.startIndex, t.endIndex)}=${t.scopes[t.scopes.length - 1]}`)
    .filter((s) => !s.startsWith(' ='));
}

describe('syntaxes/migration-directives.tmLanguage.json', () => {
  let g: IGrammar;
  before(async () => {
    g = await loadGrammar();
  });

  it('highlights dbmate directives and their options', () => {
    assert.deepEqual(tokens(g, '-- migrate:up transaction:false'), [
      '--=punctuation.definition.comment.sql',
      'migrate:up=keyword.control.directive.migration.dbmate',
      'transaction=variable.parameter.directive.option',
      ':=punctuation.separator.key-value',
      'false=constant.language.directive.option-value',
    ]);
  });

  it('highlights goose and atlas directives', () => {
    assert.deepEqual(tokens(g, '-- +goose NO TRANSACTION'), [
      '--=punctuation.definition.comment.sql',
      '+goose=keyword.control.directive.migration.goose',
      'NO TRANSACTION=constant.language.directive.option-value',
    ]);
    assert.deepEqual(tokens(g, '-- atlas:txmode none'), [
      '--=punctuation.definition.comment.sql',
      'atlas:txmode=keyword.control.directive.migration.atlas',
      'none=constant.language.directive.option-value',
    ]);
  });

  it('highlights ignore comments: keyword, rule ids and reason', () => {
    assert.deepEqual(tokens(g, '-- pg-migration-guard-ignore require-concurrent-index-creation: table has 40 rows'), [
      '--=punctuation.definition.comment.sql',
      'pg-migration-guard-ignore=keyword.control.directive.ignore.pg-migration-guard',
      'require-concurrent-index-creation=entity.name.tag.rule-id.pg-migration-guard',
      ':=punctuation.separator.key-value',
      'table has 40 rows=comment.line.reason.pg-migration-guard',
    ]);
  });

  it('leaves ordinary comments to the SQL grammar', () => {
    assert.deepEqual(tokens(g, '-- just a comment'), ['-- just a comment=comment.line.double-dash.sql']);
  });
});
