import { type LockMode, strongest } from './locks';

export type RelationKind = 'table' | 'index' | 'matview' | 'view' | 'sequence' | 'type' | 'unknown';

/** One relation a statement touches. The first five fields are the CLI's JSON contract. */
export interface Effect {
  relation: string;
  lock: LockMode;
  /** The table (or index) is rewritten into a new file: O(rows) under the lock. */
  rewrite: boolean;
  /** Every row is read under the lock (validation), without a rewrite. */
  scan: boolean;
  /** An index is built: O(rows · log rows). */
  indexBuild: boolean;
  relationKind: RelationKind;
  /** Created earlier in the same migration section: new and empty. */
  createdInFile: boolean;
}

/** How a statement's duration grows, worst first. */
export type CostClass = 'rewrite' | 'index-build' | 'scan' | 'rows' | 'catalog' | 'none';

/** One sub-operation of a statement (an ALTER TABLE subcommand), for rules and hovers. */
export interface Action {
  /** Parser subcommand, e.g. `AT_SetNotNull`, or the statement kind. */
  subtype: string;
  relation: string;
  column?: string;
  lock: LockMode;
  rewrite: boolean;
  scan: boolean;
  indexBuild: boolean;
  /** For type changes: old and new type, and why it does or does not rewrite. */
  fromType?: string;
  toType?: string;
  reason?: string;
}

export interface StatementEffects {
  effects: Effect[];
  actions: Action[];
  /** Postgres refuses to run it inside a transaction block (CONCURRENTLY, VACUUM, …). */
  noTransactionBlock: boolean;
  /** It is a CONCURRENTLY operation. */
  concurrently: boolean;
  cost: CostClass;
}

type Flags = Partial<Pick<Effect, 'rewrite' | 'scan' | 'indexBuild'>>;

/** Accumulates effects per relation: strongest lock, OR of the flags. */
export class EffectSet {
  private readonly byRelation = new Map<string, Effect>();
  readonly actions: Action[] = [];
  noTransactionBlock = false;
  concurrently = false;
  dml = false;

  constructor(private readonly isNew: (relation: string) => boolean) {}

  /** Records a sub-operation and adds its effect on `relation`. */
  action(
    subtype: string,
    relation: string,
    lock: LockMode,
    flags: Flags = {},
    column?: string,
    relationKind: RelationKind = 'table',
    detail: Pick<Action, 'fromType' | 'toType' | 'reason'> = {},
  ): void {
    const a: Action = { subtype, relation, lock, rewrite: flags.rewrite ?? false, scan: flags.scan ?? false, indexBuild: flags.indexBuild ?? false, ...detail };
    if (column !== undefined) a.column = column;
    this.actions.push(a);
    this.add(relation, lock, flags, relationKind);
  }

  add(relation: string, lock: LockMode, flags: Flags = {}, relationKind: RelationKind = 'table'): void {
    const prev = this.byRelation.get(relation);
    if (prev) {
      prev.lock = strongest(prev.lock, lock);
      prev.rewrite ||= flags.rewrite ?? false;
      prev.scan ||= flags.scan ?? false;
      prev.indexBuild ||= flags.indexBuild ?? false;
      return;
    }
    this.byRelation.set(relation, {
      relation,
      lock,
      rewrite: flags.rewrite ?? false,
      scan: flags.scan ?? false,
      indexBuild: flags.indexBuild ?? false,
      relationKind,
      createdInFile: this.isNew(relation),
    });
  }

  /** The statement itself creates `relation`: it is new and empty. */
  markNew(relation: string): void {
    const e = this.byRelation.get(relation);
    if (e) e.createdInFile = true;
  }

  build(): StatementEffects {
    const effects = [...this.byRelation.values()];
    return { effects, actions: this.actions, noTransactionBlock: this.noTransactionBlock, concurrently: this.concurrently, cost: costOf(effects, this.dml) };
  }
}

export function costOf(effects: readonly Effect[], dml: boolean): CostClass {
  const live = effects.filter((e) => !e.createdInFile);
  if (live.some((e) => e.rewrite)) return 'rewrite';
  if (live.some((e) => e.indexBuild)) return 'index-build';
  if (live.some((e) => e.scan)) return 'scan';
  if (dml) return 'rows';
  return effects.length > 0 ? 'catalog' : 'none';
}
