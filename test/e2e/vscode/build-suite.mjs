// Bundles the VS Code suite's two entries into out/test/e2e/vscode/ (`vscode` stays external: the
// extension host provides it). index.js = the full suite, vsix.js = the packaged-extension check.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SUITE_OUT = join(ROOT, 'out', 'test', 'e2e', 'vscode');

export async function buildSuite() {
  await build({
    absWorkingDir: ROOT,
    entryPoints: { index: 'test/e2e/vscode/suite/index.ts', vsix: 'test/e2e/vscode/suite/vsix.ts' },
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode'],
    // mocha's parallel mode resolves a worker file at runtime; the suite runs serially and never loads it.
    logLevel: 'error',
  });
  return { index: join(SUITE_OUT, 'index.js'), vsix: join(SUITE_OUT, 'vsix.js') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildSuite();
  console.log(`built ${out.index} and ${out.vsix}`);
}
