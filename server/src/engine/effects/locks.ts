/** PostgreSQL's eight table-level lock modes, by the names Postgres prints in pg_locks (minus "Lock"). */
export type LockMode =
  'ACCESS SHARE' | 'ROW SHARE' | 'ROW EXCLUSIVE' | 'SHARE UPDATE EXCLUSIVE' | 'SHARE' | 'SHARE ROW EXCLUSIVE' | 'EXCLUSIVE' | 'ACCESS EXCLUSIVE';

export const LOCK_MODES: readonly LockMode[] = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
];

export function lockStrength(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode);
}

export function strongest(a: LockMode, b: LockMode): LockMode {
  return lockStrength(a) >= lockStrength(b) ? a : b;
}

/** pg_locks spells modes `AccessExclusiveLock`; convert to ours. */
export function lockFromPgLocks(mode: string): LockMode | undefined {
  const spaced = mode
    .replace(/Lock$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
  return (LOCK_MODES as readonly string[]).includes(spaced) ? (spaced as LockMode) : undefined;
}

/** What a lock mode held on a table makes other sessions wait for (the documented conflict table). */
export interface Blocking {
  /** plain SELECT (ACCESS SHARE) */
  reads: boolean;
  /** INSERT / UPDATE / DELETE (ROW EXCLUSIVE) */
  writes: boolean;
  /** other DDL, VACUUM, ANALYZE, CREATE INDEX CONCURRENTLY (SHARE UPDATE EXCLUSIVE and up) */
  ddl: boolean;
}

const CONFLICTS: Record<LockMode, readonly LockMode[]> = {
  'ACCESS SHARE': ['ACCESS EXCLUSIVE'],
  'ROW SHARE': ['EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'ROW EXCLUSIVE': ['SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE UPDATE EXCLUSIVE': ['SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  SHARE: ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'SHARE ROW EXCLUSIVE': ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  EXCLUSIVE: ['ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE'],
  'ACCESS EXCLUSIVE': LOCK_MODES,
};

export function conflicts(a: LockMode, b: LockMode): boolean {
  return CONFLICTS[a].includes(b);
}

export function blocking(mode: LockMode): Blocking {
  return {
    reads: conflicts(mode, 'ACCESS SHARE'),
    writes: conflicts(mode, 'ROW EXCLUSIVE'),
    ddl: conflicts(mode, 'SHARE UPDATE EXCLUSIVE'),
  };
}

/** "blocks reads and writes" / "blocks writes" / "blocks other DDL only" / "blocks nothing ordinary". */
export function describeBlocking(mode: LockMode): string {
  const b = blocking(mode);
  if (b.reads) return 'blocks reads and writes';
  if (b.writes) return 'blocks writes (reads continue)';
  if (b.ddl) return 'blocks other DDL and VACUUM (reads and writes continue)';
  return 'blocks only ACCESS EXCLUSIVE';
}
