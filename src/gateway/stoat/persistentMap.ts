/**
 * A small persistent (immutable) string-keyed map: a hash array mapped trie
 * with path copying. `set`/`delete` return a new map sharing all untouched
 * nodes with the old one, in O(log32 n), so the Stoat cache can keep the
 * state before an event (`before`) valid without copying whole collections.
 *
 * Generic, but written here because the core has no persistent collection.
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;
const MAX_SHIFT = 30;

type Node<V> = Branch<V> | Leaf<V>;

interface Branch<V> {
  readonly kind: 0;
  readonly bitmap: number;
  readonly children: ReadonlyArray<Node<V>>;
}

/** Entries whose hashes agree on every bit consumed so far (one entry except on full collisions). */
interface Leaf<V> {
  readonly kind: 1;
  readonly hash: number;
  readonly keys: readonly string[];
  readonly values: readonly V[];
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

const EMPTY_BRANCH: Branch<never> = { kind: 0, bitmap: 0, children: [] };

/**
 * An immutable string-keyed map (a hash array mapped trie): `set`/`delete`/
 * `update` return a new map sharing structure with the old one, so the cache
 * before an event stays valid next to the cache after it.
 */
export class PersistentMap<V> {
  private constructor(
    private readonly root: Branch<V>,
    /** Number of entries. */
    readonly size: number,
  ) {}

  /** The empty map. */
  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(EMPTY_BRANCH, 0);
  }

  /**
   * A map of `entries` (later keys win), built in one pass: the nodes are new
   * and shared with nobody yet, so they are filled in place instead of
   * path-copied per entry (linear work and garbage, where n `set`s copy a
   * path each).
   */
  static from<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    const root: MutableBranch<V> = { kind: 0, bitmap: 0, children: [] };
    const count = { n: 0 };
    for (const [k, v] of entries) fillIn(root, 0, hashString(k), k, v, count);
    return count.n === 0 ? PersistentMap.empty<V>() : new PersistentMap<V>(root, count.n);
  }

  /** A map of `items`, each under `key(item)` (later keys win); see `from`. */
  static of<V>(items: Iterable<V>, key: (item: V) => string): PersistentMap<V> {
    const root: MutableBranch<V> = { kind: 0, bitmap: 0, children: [] };
    const count = { n: 0 };
    for (const v of items) {
      const k = key(v);
      fillIn(root, 0, hashString(k), k, v, count);
    }
    return count.n === 0 ? PersistentMap.empty<V>() : new PersistentMap<V>(root, count.n);
  }

  /** The value at `key`, or undefined. */
  get(key: string): V | undefined {
    const hash = hashString(key);
    let node: Node<V> = this.root;
    let shift = 0;
    for (;;) {
      if (node.kind === 1) {
        if (node.hash !== hash) return undefined;
        const i = node.keys.indexOf(key);
        return i < 0 ? undefined : node.values[i];
      }
      const bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) === 0) return undefined;
      node = node.children[popcount(node.bitmap & (bit - 1))];
      shift += BITS;
    }
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** A map with `key` set to `value` (this map when unchanged). */
  set(key: string, value: V): PersistentMap<V> {
    const added = { n: 0 };
    const root = setIn(this.root, 0, hashString(key), key, value, added) as Branch<V>;
    return root === this.root ? this : new PersistentMap(root, this.size + added.n);
  }

  /** A map without `key` (this map when absent). */
  delete(key: string): PersistentMap<V> {
    const root = deleteIn(this.root, 0, hashString(key), key);
    if (root === this.root) return this;
    return new PersistentMap((root ?? EMPTY_BRANCH) as Branch<V>, this.size - 1);
  }

  /** Updates an existing entry; returns this map unchanged when the key is absent or `f` returns the same value. */
  update(key: string, f: (value: V) => V): PersistentMap<V> {
    const old = this.get(key);
    if (old === undefined) return this;
    const next = f(old);
    return next === old ? this : this.set(key, next);
  }

  /** Every entry, in no particular order. */
  *entries(): IterableIterator<[string, V]> {
    yield* walk(this.root);
  }

  /** Every value, in no particular order (the order of `entries`). */
  *values(): IterableIterator<V> {
    for (const [, v] of walk(this.root)) yield v;
  }

  /** A plain object of the entries (for logs and tests). */
  toObject(): Record<string, V> {
    const out: Record<string, V> = {};
    for (const [k, v] of walk(this.root)) out[k] = v;
    return out;
  }
}

function* walk<V>(node: Node<V>): IterableIterator<[string, V]> {
  if (node.kind === 1) {
    for (let i = 0; i < node.keys.length; i++) yield [node.keys[i], node.values[i]];
    return;
  }
  for (const c of node.children) yield* walk(c);
}

function leaf<V>(hash: number, key: string, value: V): Leaf<V> {
  return { kind: 1, hash, keys: [key], values: [value] };
}

function setIn<V>(node: Node<V>, shift: number, hash: number, key: string, value: V, added: { n: number }): Node<V> {
  if (node.kind === 1) {
    if (node.hash === hash) {
      const i = node.keys.indexOf(key);
      if (i >= 0) {
        if (node.values[i] === value) return node;
        const values = node.values.slice();
        values[i] = value;
        return { kind: 1, hash, keys: node.keys, values };
      }
      if (shift > MAX_SHIFT) {
        added.n = 1;
        return { kind: 1, hash, keys: [...node.keys, key], values: [...node.values, value] };
      }
    }
    // Split: push the existing leaf one level down and insert beside it.
    const bit = 1 << ((node.hash >>> shift) & MASK);
    const branch: Branch<V> = { kind: 0, bitmap: bit, children: [node] };
    return setIn(branch, shift, hash, key, value, added);
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  const idx = popcount(node.bitmap & (bit - 1));
  if ((node.bitmap & bit) === 0) {
    added.n = 1;
    const children = node.children.slice();
    children.splice(idx, 0, leaf(hash, key, value));
    return { kind: 0, bitmap: node.bitmap | bit, children };
  }
  const child = node.children[idx];
  const next = setIn(child, shift + BITS, hash, key, value, added);
  if (next === child) return node;
  const children = node.children.slice();
  children[idx] = next;
  return { kind: 0, bitmap: node.bitmap, children };
}

/** A branch or leaf while `from` fills it (nobody else holds it yet). */
interface MutableBranch<V> {
  kind: 0;
  bitmap: number;
  children: Array<Node<V>>;
}
interface MutableLeaf<V> {
  kind: 1;
  hash: number;
  keys: string[];
  values: V[];
}

/** Inserts into a node `from` built (same shape as setIn's result, filled in place); returns the node to keep at this place. */
function fillIn<V>(node: Node<V>, shift: number, hash: number, key: string, value: V, count: { n: number }): Node<V> {
  if (node.kind === 1) {
    const l = node as MutableLeaf<V>;
    if (l.hash === hash) {
      const i = l.keys.indexOf(key);
      if (i >= 0) {
        l.values[i] = value;
        return l;
      }
      if (shift > MAX_SHIFT) {
        l.keys.push(key);
        l.values.push(value);
        count.n++;
        return l;
      }
    }
    const branch: MutableBranch<V> = { kind: 0, bitmap: 1 << ((l.hash >>> shift) & MASK), children: [l] };
    return fillIn(branch, shift, hash, key, value, count);
  }
  const b = node as MutableBranch<V>;
  const bit = 1 << ((hash >>> shift) & MASK);
  const idx = popcount(b.bitmap & (bit - 1));
  if ((b.bitmap & bit) === 0) {
    const fresh: MutableLeaf<V> = { kind: 1, hash, keys: [key], values: [value] };
    b.children.splice(idx, 0, fresh);
    b.bitmap |= bit;
    count.n++;
    return b;
  }
  b.children[idx] = fillIn(b.children[idx], shift + BITS, hash, key, value, count);
  return b;
}

function deleteIn<V>(node: Node<V>, shift: number, hash: number, key: string): Node<V> | undefined {
  if (node.kind === 1) {
    if (node.hash !== hash) return node;
    const i = node.keys.indexOf(key);
    if (i < 0) return node;
    if (node.keys.length === 1) return undefined;
    return { kind: 1, hash, keys: node.keys.filter((_, j) => j !== i), values: node.values.filter((_, j) => j !== i) };
  }
  const bit = 1 << ((hash >>> shift) & MASK);
  if ((node.bitmap & bit) === 0) return node;
  const idx = popcount(node.bitmap & (bit - 1));
  const child = node.children[idx];
  const next = deleteIn(child, shift + BITS, hash, key);
  if (next === child) return node;
  const children = node.children.slice();
  if (next === undefined) {
    children.splice(idx, 1);
    const bitmap = node.bitmap & ~bit;
    if (bitmap === 0) return shift === 0 ? EMPTY_BRANCH : undefined;
    // A branch left with a single leaf collapses into that leaf (not at the root).
    if (shift > 0 && children.length === 1 && children[0].kind === 1) return children[0];
    return { kind: 0, bitmap, children };
  }
  children[idx] = next;
  return { kind: 0, bitmap: node.bitmap, children };
}
