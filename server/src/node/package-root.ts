/** The installed package's root (where rules/*.md live), whether running bundled (dist/) or from source. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = __dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === 'pg-migration-guard') return (cached = dir);
      } catch {
        /* keep walking */
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return (cached = __dirname);
    dir = parent;
  }
}

export function packageVersion(): string {
  try {
    const v = (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: unknown }).version;
    return typeof v === 'string' ? v : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** `file://…/rules/<id>.md`: the rule's documentation shipped with the package. */
export function ruleDocUrl(id: string): string {
  return pathToFileURL(join(packageRoot(), 'rules', `${id}.md`)).toString();
}
