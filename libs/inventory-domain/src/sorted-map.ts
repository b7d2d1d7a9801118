/**
 * A persistent sorted map: an AVL tree of plain objects that is never mutated. An update copies only the path to the
 * changed key (O(log n) nodes) and shares the rest with the previous version, so folding one event into a SKU that
 * holds 20,000 open lines costs about as much as folding it into one that holds 20. Plain objects, because the SKU
 * state is snapshotted as JSON: `JSON.parse(JSON.stringify(map))` is the same map, with the same shape.
 */
export type SortedMapKey = string | number;

export interface SortedMapNode<K extends SortedMapKey, V> {
  readonly key: K;
  readonly value: V;
  readonly left: SortedMapNode<K, V> | null;
  readonly right: SortedMapNode<K, V> | null;
  readonly height: number;
}

export interface SortedMap<K extends SortedMapKey, V> {
  readonly root: SortedMapNode<K, V> | null;
  readonly size: number;
}

type Node<K extends SortedMapKey, V> = SortedMapNode<K, V> | null;

export const emptySortedMap = <K extends SortedMapKey, V>(): SortedMap<K, V> => ({ root: null, size: 0 });

const heightOf = <K extends SortedMapKey, V>(node: Node<K, V>): number => (node === null ? 0 : node.height);

const nodeOf = <K extends SortedMapKey, V>(key: K, value: V, left: Node<K, V>, right: Node<K, V>): SortedMapNode<K, V> => ({
  key,
  value,
  left,
  right,
  height: 1 + Math.max(heightOf(left), heightOf(right)),
});

/** A node over two subtrees whose heights differ by at most 2, rebalanced by one single or double rotation. */
const balanced = <K extends SortedMapKey, V>(key: K, value: V, left: Node<K, V>, right: Node<K, V>): SortedMapNode<K, V> => {
  const hl = heightOf(left);
  const hr = heightOf(right);
  if (hl > hr + 1) {
    const l = left!;
    if (heightOf(l.left) >= heightOf(l.right)) return nodeOf(l.key, l.value, l.left, nodeOf(key, value, l.right, right));
    const lr = l.right!;
    return nodeOf(lr.key, lr.value, nodeOf(l.key, l.value, l.left, lr.left), nodeOf(key, value, lr.right, right));
  }
  if (hr > hl + 1) {
    const r = right!;
    if (heightOf(r.right) >= heightOf(r.left)) return nodeOf(r.key, r.value, nodeOf(key, value, left, r.left), r.right);
    const rl = r.left!;
    return nodeOf(rl.key, rl.value, nodeOf(key, value, left, rl.left), nodeOf(r.key, r.value, rl.right, r.right));
  }
  return nodeOf(key, value, left, right);
};

const findNode = <K extends SortedMapKey, V>(map: SortedMap<K, V>, key: K): Node<K, V> => {
  let node = map.root;
  while (node !== null && node.key !== key) node = key < node.key ? node.left : node.right;
  return node;
};

export const getIn = <K extends SortedMapKey, V>(map: SortedMap<K, V>, key: K): V | undefined =>
  findNode(map, key)?.value;

export const hasIn = <K extends SortedMapKey, V>(map: SortedMap<K, V>, key: K): boolean => findNode(map, key) !== null;

const inserted = <K extends SortedMapKey, V>(node: Node<K, V>, key: K, value: V): SortedMapNode<K, V> => {
  if (node === null) return nodeOf(key, value, null, null);
  if (key === node.key) return { ...node, value };
  return key < node.key
    ? balanced(node.key, node.value, inserted(node.left, key, value), node.right)
    : balanced(node.key, node.value, node.left, inserted(node.right, key, value));
};

/** The map with `key` set to `value`: a new key joins in key order, an existing one keeps its place. */
export const setIn = <K extends SortedMapKey, V>(map: SortedMap<K, V>, key: K, value: V): SortedMap<K, V> => ({
  root: inserted(map.root, key, value),
  size: hasIn(map, key) ? map.size : map.size + 1,
});

const withoutMin = <K extends SortedMapKey, V>(node: SortedMapNode<K, V>): Node<K, V> =>
  node.left === null ? node.right : balanced(node.key, node.value, withoutMin(node.left), node.right);

const minNode = <K extends SortedMapKey, V>(node: SortedMapNode<K, V>): SortedMapNode<K, V> => {
  let current = node;
  while (current.left !== null) current = current.left;
  return current;
};

const removed = <K extends SortedMapKey, V>(node: SortedMapNode<K, V>, key: K): Node<K, V> => {
  if (key < node.key) return balanced(node.key, node.value, removed(node.left!, key), node.right);
  if (key > node.key) return balanced(node.key, node.value, node.left, removed(node.right!, key));
  if (node.left === null) return node.right;
  if (node.right === null) return node.left;
  const successor = minNode(node.right);
  return balanced(successor.key, successor.value, node.left, withoutMin(node.right));
};

/** The map without `key`; the same map when it has no such key. */
export const removeIn = <K extends SortedMapKey, V>(map: SortedMap<K, V>, key: K): SortedMap<K, V> =>
  hasIn(map, key) ? { root: removed(map.root!, key), size: map.size - 1 } : map;

export const firstIn = <K extends SortedMapKey, V>(map: SortedMap<K, V>): V | undefined =>
  map.root === null ? undefined : minNode(map.root).value;

export const lastIn = <K extends SortedMapKey, V>(map: SortedMap<K, V>): V | undefined => {
  let node = map.root;
  if (node === null) return undefined;
  while (node.right !== null) node = node.right;
  return node.value;
};

/** The values in key order; a caller that stops early has paid only for what it read (O(log n) to start). */
export function* valuesIn<K extends SortedMapKey, V>(map: SortedMap<K, V>): Generator<V, void, undefined> {
  const path: SortedMapNode<K, V>[] = [];
  let node = map.root;
  while (node !== null || path.length > 0) {
    while (node !== null) {
      path.push(node);
      node = node.left;
    }
    const next = path.pop()!;
    yield next.value;
    node = next.right;
  }
}

export const toValueArray = <K extends SortedMapKey, V>(map: SortedMap<K, V>): V[] => [...valuesIn(map)];
