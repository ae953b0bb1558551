/** What fixes may know of the disk: which names a migration folder already holds. */
import { readdirSync } from 'node:fs';
import type { FixEnvironment } from '../engine';

/** Names of the entries in a directory on disk (none when it cannot be read). */
export const diskFixEnvironment: FixEnvironment = {
  listDir(dir: string): string[] {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
};

/**
 * Reads each directory once. Every finding with a fix that creates a migration asks for its
 * folder, so one analysis of a large file would otherwise read the same directory thousands of
 * times; use one per analysis (or per fix-all run), during which the disk does not change under it.
 */
export function listingOnce(env: FixEnvironment = diskFixEnvironment): FixEnvironment {
  const seen = new Map<string, string[]>();
  return {
    listDir(dir: string): string[] {
      let names = seen.get(dir);
      if (!names) {
        names = env.listDir(dir);
        seen.set(dir, names);
      }
      return [...names];
    },
  };
}
