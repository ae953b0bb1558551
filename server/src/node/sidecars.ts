/** Reads the files next to a migration that change how its runner executes it. */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Sidecars } from '../engine';

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

export function readSidecars(file: string): Sidecars {
  const out: Sidecars = {};
  const flyway = readIfExists(`${file}.conf`);
  if (flyway !== undefined) out.flywayConf = flyway;
  const name = basename(file);
  if (name === 'up.sql' || name === 'down.sql') {
    const meta = readIfExists(join(dirname(file), 'metadata.toml'));
    if (meta !== undefined) out.dieselMetadata = meta;
  }
  return out;
}
