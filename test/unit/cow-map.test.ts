/**
 * CowMap (the schema model's copy-on-write map) must behave as a Map, insertion order included,
 * and a copy must never see writes made to the original after it, or the reverse.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { CowMap } from '../../server/src/engine/schema/cow-map';

type Op = { kind: 'set'; key: string; value: number } | { kind: 'delete'; key: string } | { kind: 'copy' };

const key = fc.constantFrom('a', 'b', 'events', 'users', 'orders', 'public.x', 'é', '', 'k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8', 'k9');
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key, value: fc.integer() }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.constant({ kind: 'copy' as const }),
);

describe('CowMap', () => {
  it('gives what a Map gives after any sequence of writes and copies, for the original and every copy', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.array(fc.nat(), { maxLength: 80 }), (ops, targets) => {
        // Pairs of (CowMap, reference Map); writes go to one of them, picked by `targets`.
        const pairs: Array<[CowMap<number>, Map<string, number>]> = [[new CowMap(), new Map()]];
        ops.forEach((o, i) => {
          const [cow, ref] = pairs[(targets[i] ?? 0) % pairs.length] as [CowMap<number>, Map<string, number>];
          if (o.kind === 'set') {
            cow.set(o.key, o.value);
            ref.set(o.key, o.value);
          } else if (o.kind === 'delete') assert.equal(cow.delete(o.key), ref.delete(o.key));
          else pairs.push([cow.copy(), new Map(ref)]);
        });
        for (const [cow, ref] of pairs) {
          assert.deepEqual(cow.entries(), [...ref.entries()]);
          assert.equal(cow.size, ref.size);
          for (const k of ['a', 'events', 'k9', 'missing']) {
            assert.equal(cow.get(k), ref.get(k));
            assert.equal(cow.has(k), ref.has(k));
          }
          assert.deepEqual([...cow.unorderedValues()].sort(), [...ref.values()].sort());
        }
      }),
      { numRuns: 500 },
    );
  });
});
