/** Expands CLI paths into migration files: files as given, directories walked and filtered by the migration globs. */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { matchesAny } from './glob';

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test', '.vscode-test-web']);

export interface Discovered {
  files: string[];
  /** Paths that do not exist or cannot be read. */
  missing: string[];
}

export interface GlobScope {
  globs: readonly string[];
  /** Directory the globs are relative to (the config file's directory). */
  root: string;
}

export function discoverFiles(paths: readonly string[], scopeFor: (dir: string) => GlobScope): Discovered {
  const files: string[] = [];
  const missing: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      missing.push(p);
      continue;
    }
    if (st.isFile()) files.push(abs);
    else if (st.isDirectory()) walk(abs, abs, scopeFor(abs), files);
  }
  return { files: [...new Set(files)], missing };
}

/** A file is a migration when a glob matches its path relative to the config root, to the walked directory, or (for `**` globs) its absolute path. */
function isMigration(walkRoot: string, scope: GlobScope, file: string): boolean {
  return (
    matchesAny(relative(scope.root, file), scope.globs) ||
    matchesAny(relative(walkRoot, file), scope.globs) ||
    matchesAny(
      file,
      scope.globs.filter((g) => g.startsWith('**/')),
    )
  );
}

function walk(root: string, dir: string, scope: GlobScope, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(root, full, scope, out);
    } else if (e.isFile() && e.name.toLowerCase().endsWith('.sql') && isMigration(root, scope, full)) out.push(full);
  }
}
