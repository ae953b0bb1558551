/** Mocha root hook: load the WASM parser once before any test. */
import { loadParser } from '../server/src/engine';

export const mochaHooks = {
  async beforeAll(): Promise<void> {
    await loadParser();
  },
};
