/** Keeps the conventions: every rule has its three files, ids match file names, the registry is sorted, the engine stays pure. */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allRules, engineRuleIds } from '../../rules';

const ROOT = join(__dirname, '..', '..');
const kebab = /^[a-z]+(?:-[a-z0-9]+)+$/;

describe('rule metadata', () => {
  it('the registry is sorted by id and has no duplicates', () => {
    const ids = allRules.map((r) => r.meta.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a.localeCompare(b)),
    );
    assert.equal(new Set(ids).size, ids.length);
  });

  for (const rule of allRules) {
    const id = rule.meta.id;
    it(`${id}: kebab-case id, source, doc and test files, summary`, () => {
      assert.match(id, kebab);
      assert.match(id, /^(?:ban|require|prefer|review)-/);
      for (const ext of ['.ts', '.md', '.test.ts']) assert.ok(existsSync(join(ROOT, 'rules', `${id}${ext}`)), `missing rules/${id}${ext}`);
      assert.ok(readFileSync(join(ROOT, 'rules', `${id}.ts`), 'utf8').includes(`id: '${id}'`));
      assert.ok(rule.meta.summary.length > 10);
    });
  }

  it('every rule file is registered, and engine-reported ids are documented', () => {
    const files = readdirSync(join(ROOT, 'rules')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts' && !f.startsWith('group-'));
    assert.deepEqual(files.map((f) => f.replace(/\.ts$/, '')).sort(), allRules.map((r) => r.meta.id).sort());
    for (const id of engineRuleIds) assert.ok(existsSync(join(ROOT, 'rules', `${id}.md`)), `missing rules/${id}.md`);
  });
});

describe('architecture', () => {
  function sources(dir: string, out: string[] = []): string[] {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) sources(p, out);
      else if (e.name.endsWith('.ts')) out.push(p);
    }
    return out;
  }
  const importsOf = (file: string): string[] => [...readFileSync(file, 'utf8').matchAll(/(?:from|require\()\s*'([^']+)'/g)].map((m) => m[1] ?? '');

  it('the engine imports nothing from vscode, LSP libraries, node IO or process', () => {
    for (const file of sources(join(ROOT, 'server', 'src', 'engine'))) {
      for (const imp of importsOf(file)) {
        assert.ok(!/^(vscode|vscode-languageserver|vscode-languageclient|node:fs|fs|node:child_process|child_process)/.test(imp), `${file} imports ${imp}`);
      }
      assert.ok(!/\bprocess\.|\bBuffer\b/.test(readFileSync(file, 'utf8')), `${file} uses process or Buffer`);
    }
  });

  it('rules use only the engine public API', () => {
    for (const file of sources(join(ROOT, 'rules')).filter((f) => !f.endsWith('.test.ts'))) {
      for (const imp of importsOf(file)) assert.ok(imp === '../server/src/engine' || imp.startsWith('./'), `${file} imports ${imp}`);
    }
  });

  it('the client does no analysis (imports neither the engine nor the rules)', () => {
    for (const file of sources(join(ROOT, 'client', 'src'))) {
      for (const imp of importsOf(file)) assert.ok(!/engine|rules|server\/src/.test(imp), `${file} imports ${imp}`);
    }
  });
});

describe('rules/README.md', () => {
  it('is the index generated from rule metadata (run npx tsx scripts/rules-index.ts)', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { rulesIndex } = require('../../scripts/rules-index') as typeof import('../../scripts/rules-index');
    assert.equal(readFileSync(join(ROOT, 'rules', 'README.md'), 'utf8'), rulesIndex());
  });
});
