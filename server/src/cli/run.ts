/** Process entry of the bundled CLI (dist/cli.js): runs main() and sets the exit code. */
import './wasm-flags';
import { main } from './main';

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`pg-migration-guard: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
