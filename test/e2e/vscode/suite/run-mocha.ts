/**
 * Runs mocha inside the extension host, as a @vscode/test-electron suite does. The suite is one
 * esbuild bundle, so the test files cannot be added with `addFile`: the bdd globals are installed
 * first (`pre-require`) and then `define` declares the describe/it blocks. Besides mocha's spec
 * output, every test prints one `E2E PASS <title> (<ms> ms)` or `E2E FAIL <title>: <message>` line
 * that the code-server runner turns into per-scenario results.
 */
import Mocha from 'mocha';
import { LOG } from '../scenarios';

export function runMocha(define: () => void, timeoutMs = 60_000): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: timeoutMs });
  mocha.suite.emit('pre-require', globalThis, 'vscode-e2e-suite', mocha);
  define();
  console.log(LOG.start);
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      console.log(`${LOG.done} ${runner.stats?.passes ?? 0} ${failures}`);
      if (failures > 0) reject(new Error(`${failures} test(s) failed`));
      else resolve();
    });
    runner.on('pass', (test) => console.log(`${LOG.pass} ${test.title} (${test.duration ?? 0} ms)`));
    runner.on('fail', (test, err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      console.log(`${LOG.fail} ${test.title}: ${message.replace(/\s+/g, ' ').slice(0, 2000)}`);
    });
  });
}
