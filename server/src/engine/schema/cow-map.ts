/**
 * A string-keyed map whose copy costs 32 pointer copies, whatever its size. The schema model is
 * copied once per migration file (the history replay, then the file's own state); with plain Maps
 * every copy re-inserted every table, column, index and constraint seen so far: quadratic over a
 * folder of a thousand migrations.
 *
 * Entries live in 32 buckets by a hash of the key. A copy shares all buckets; the first write to a
 * bucket gives the writer its own copy of that bucket only (copy-on-write). Iteration follows
 * insertion order, as a Map's does (an overwrite keeps the key's place).
 */
const BUCKETS = 32;

interface Slot<V> {
  /** Insertion order across all maps (an overwrite keeps it). */
  readonly seq: number;
  readonly value: V;
}

let nextSeq = 0;

function bucketOf(key: string): number {
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
  return h & (BUCKETS - 1);
}

export class CowMap<V> {
  private buckets: Array<Map<string, Slot<V>> | undefined> = new Array<Map<string, Slot<V>> | undefined>(BUCKETS);
  /** Bit b set: bucket b belongs to this map alone and may be changed in place. */
  private owned = 0;
  private count = 0;

  constructor(entries?: Iterable<readonly [string, V]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    return this.buckets[bucketOf(key)]?.get(key)?.value;
  }

  has(key: string): boolean {
    return this.buckets[bucketOf(key)]?.has(key) === true;
  }

  set(key: string, value: V): this {
    const bucket = this.writable(bucketOf(key));
    const old = bucket.get(key);
    if (!old) this.count++;
    bucket.set(key, { seq: old ? old.seq : nextSeq++, value });
    return this;
  }

  delete(key: string): boolean {
    const b = bucketOf(key);
    if (!this.buckets[b]?.has(key)) return false;
    this.writable(b).delete(key);
    this.count--;
    return true;
  }

  /** An independent map with the same entries; both share every bucket until one writes to it. */
  copy(): CowMap<V> {
    return this.shareInto(new CowMap<V>());
  }

  /** Gives the empty map `out` this map's entries, sharing the buckets (for subclasses' copies). */
  protected shareInto<M extends CowMap<V>>(out: M): M {
    out.buckets = this.buckets.slice();
    out.count = this.count;
    out.owned = 0;
    this.owned = 0;
    return out;
  }

  /** The values in no particular order, without sorting (for scans that look for one). */
  *unorderedValues(): Generator<V> {
    for (const bucket of this.buckets) if (bucket) for (const slot of bucket.values()) yield slot.value;
  }

  entries(): Array<[string, V]> {
    const slots: Array<[string, Slot<V>]> = [];
    for (const bucket of this.buckets) if (bucket) for (const e of bucket) slots.push(e);
    slots.sort((a, b) => a[1].seq - b[1].seq);
    return slots.map(([k, s]) => [k, s.value]);
  }

  keys(): string[] {
    return this.entries().map(([k]) => k);
  }

  values(): V[] {
    return this.entries().map(([, v]) => v);
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries()[Symbol.iterator]();
  }

  private writable(b: number): Map<string, Slot<V>> {
    const bit = 1 << b;
    let bucket = this.buckets[b];
    if (bucket && this.owned & bit) return bucket;
    bucket = new Map(bucket ?? []);
    this.buckets[b] = bucket;
    this.owned |= bit;
    return bucket;
  }
}
