/**
 * Entry of the packaged-extension check: the extension comes from the extensions folder the .vsix
 * was installed into, whose path the runner passes in PGMG_E2E_EXTENSIONS_DIR.
 */
import { defineVsixScenarios } from './vsix-scenarios';
import { runMocha } from './run-mocha';

export function run(): Promise<void> {
  const dir = process.env['PGMG_E2E_EXTENSIONS_DIR'];
  if (!dir) return Promise.reject(new Error('PGMG_E2E_EXTENSIONS_DIR is not set: run this suite through run-code-server.mjs --vsix'));
  return runMocha(() => defineVsixScenarios(dir));
}
