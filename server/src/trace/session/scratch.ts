/**
 * One scratch database per trace on the embedded server, created from template0 and always
 * dropped afterwards (also after errors). Databases left by a process that died mid-trace are
 * dropped the next time the server is used.
 */
import type { Client } from 'pg';

const PREFIX = 'pgmg_trace_';

export function scratchName(): string {
  return `${PREFIX}${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6).toString(36)}`;
}

export async function createScratch(admin: Client, name: string): Promise<void> {
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
}

export async function dropScratch(admin: Client, name: string): Promise<void> {
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Drops scratch databases nobody is connected to (left by a trace whose process was killed). */
export async function dropAbandoned(admin: Client): Promise<void> {
  const rows = (
    await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database d
        WHERE datname LIKE '${PREFIX}%' AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    )
  ).rows;
  for (const r of rows) await dropScratch(admin, r.datname).catch(() => undefined);
}

export async function scratchDatabases(admin: Client): Promise<string[]> {
  return (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE '${PREFIX}%'`)).rows.map((r) => r.datname);
}
