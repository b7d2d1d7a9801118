import { describe, expect, it } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  emptySortedMap,
  firstIn,
  getIn,
  hasIn,
  lastIn,
  removeIn,
  setIn,
  toValueArray,
  type SortedMap,
  type SortedMapKey,
  type SortedMapNode,
} from './sorted-map.js';

/** Height of a subtree recomputed from scratch, failing on any node whose children differ in height by more than 1. */
const checkedHeight = <K extends SortedMapKey, V>(node: SortedMapNode<K, V> | null): number => {
  if (node === null) return 0;
  const hl = checkedHeight(node.left);
  const hr = checkedHeight(node.right);
  assert.ok(Math.abs(hl - hr) <= 1, `unbalanced at ${node.key}`);
  assert.equal(node.height, 1 + Math.max(hl, hr));
  if (node.left) assert.ok(node.left.key < node.key);
  if (node.right) assert.ok(node.right.key > node.key);
  return node.height;
};

/** Objects reachable from `root` (a tree or a whole state). */
const reachable = (root: unknown, into = new Set<object>()): Set<object> => {
  if (root !== null && typeof root === 'object' && !into.has(root)) {
    into.add(root);
    for (const value of Object.values(root)) reachable(value, into);
  }
  return into;
};

type Op = { kind: 'set'; key: number; value: string } | { kind: 'remove'; key: number };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 40 }), value: fc.string({ maxLength: 2 }) }),
  fc.record({ kind: fc.constant('remove' as const), key: fc.integer({ min: 0, max: 40 }) }),
);

describe('SortedMap', () => {
  it('behaves like a Map kept in key order, stays balanced and never changes a version it was given', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 200, size: 'max' }), (ops) => {
        let map: SortedMap<number, string> = emptySortedMap();
        const model = new Map<number, string>();
        for (const op of ops) {
          const before = JSON.stringify(map);
          const previous = map;
          if (op.kind === 'set') {
            map = setIn(map, op.key, op.value);
            model.set(op.key, op.value);
          } else {
            map = removeIn(map, op.key);
            model.delete(op.key);
          }
          // node:assert: this runs tens of thousands of times, and expect's per-call cost would dominate the file.
          assert.equal(JSON.stringify(previous), before, 'an update changed the version it was given');
          const keys = [...model.keys()].sort((a, b) => a - b);
          assert.deepEqual(toValueArray(map), keys.map((key) => model.get(key)));
          assert.equal(map.size, model.size);
          assert.equal(firstIn(map), keys.length ? model.get(keys[0]!) : undefined);
          assert.equal(lastIn(map), keys.length ? model.get(keys.at(-1)!) : undefined);
          for (const key of [op.key, op.key + 1, op.key - 1]) {
            assert.equal(hasIn(map, key), model.has(key));
            assert.equal(getIn(map, key), model.get(key));
          }
          checkedHeight(map.root);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('orders string keys by code unit and survives a JSON round trip as the same map', () => {
    let map: SortedMap<string, number> = emptySortedMap();
    for (const [index, key] of ['b', 'a', 'ab', 'B', 'é', ''].entries()) map = setIn(map, key, index);
    expect(toValueArray(map)).toEqual([5, 3, 1, 2, 0, 4]);
    const copy = JSON.parse(JSON.stringify(map)) as SortedMap<string, number>;
    expect(copy).toEqual(map);
    expect(toValueArray(setIn(copy, 'c', 6))).toEqual([5, 3, 1, 2, 0, 6, 4]);
  });

  it('returns the very same map when removing a key it does not hold', () => {
    const map = setIn(emptySortedMap<number, string>(), 1, 'a');
    expect(removeIn(map, 2)).toBe(map);
  });

  it('copies only the path to the key it changes, whatever the size', () => {
    // Counted, not timed: the objects an update allocates are those reachable from the new version only.
    const newObjects = (lines: number): number => {
      let map: SortedMap<number, number> = emptySortedMap();
      for (let key = 0; key < lines; key++) map = setIn(map, key, key);
      const before = reachable(map);
      const after = removeIn(setIn(map, lines, lines), Math.floor(lines / 2));
      return [...reachable(after)].filter((object) => !before.has(object)).length;
    };
    const small = newObjects(100);
    const large = newObjects(20_000);
    // An array copy would allocate 20,000 slots; a path copy allocates a node per level (about 1.44 log2 n).
    expect(large).toBeLessThan(small * 3);
    expect(large).toBeLessThan(80);
  });
});
