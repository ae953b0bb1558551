/**
 * A Map that also groups its values by derived keys (indexes by table, foreign keys by child and by
 * parent table), kept up to date on every set and delete. "Indexes on this table" was a scan of
 * every index in the schema, once per statement: quadratic on a migration that creates thousands.
 */
import { CowMap } from './cow-map';

export class GroupedMap<V> extends CowMap<V> {
  private groups: CowMap<Map<string, V>>[] | undefined;
  /** Member maps this instance may change; the others are shared with copies (copy-on-write). */
  private ownedMembers = new Set<Map<string, V>>();

  /** `groupKeys(v)[g]` is v's key in grouping g. */
  constructor(private readonly groupKeys: (v: V) => readonly string[]) {
    super();
    this.groups = [];
  }

  override set(k: string, v: V): this {
    // The base constructor may call set before the fields exist.
    if (this.groups) {
      this.remove(k);
      const keys = this.groupKeys(v);
      for (let g = 0; g < keys.length; g++) this.members(g, keys[g] as string).set(k, v);
    }
    return super.set(k, v);
  }

  override delete(k: string): boolean {
    this.remove(k);
    return super.delete(k);
  }

  /** A copy. Schema models are cloned once per migration file: entries and groups are shared until changed. */
  override copy(): GroupedMap<V> {
    const out = this.shareInto(new GroupedMap<V>(this.groupKeys));
    out.groups = (this.groups ?? []).map((grouping) => grouping.copy());
    this.ownedMembers = new Set(); // both sides now share every member map
    return out;
  }

  /** Values whose key in grouping `g` is `groupKey`, in insertion order. */
  group(g: number, groupKey: string): IterableIterator<V> | readonly V[] {
    return this.groups?.[g]?.get(groupKey)?.values() ?? [];
  }

  /** The member map of one group, made private to this instance first. */
  private members(g: number, groupKey: string): Map<string, V> {
    const groups = this.groups as CowMap<Map<string, V>>[];
    const grouping = (groups[g] ??= new CowMap());
    let members = grouping.get(groupKey);
    if (members && this.ownedMembers.has(members)) return members;
    members = new Map(members ?? []);
    grouping.set(groupKey, members);
    this.ownedMembers.add(members);
    return members;
  }

  private remove(k: string): void {
    const old = super.get(k);
    if (old === undefined || !this.groups) return;
    const keys = this.groupKeys(old);
    for (let g = 0; g < keys.length; g++) {
      if (this.groups[g]?.get(keys[g] as string)?.has(k)) this.members(g, keys[g] as string).delete(k);
    }
  }
}
