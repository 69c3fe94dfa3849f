/**
 * A persistent list for the work items of a step: the items sit in fixed-size chunks under a small spine, so
 * replacing one item copies the spine and one chunk (a few hundred pointers for 10 000 items) instead of the whole
 * list, while reading by index and iterating stay as cheap as on an array.
 *
 * Invariant: a list, its spine and its chunks are never mutated once `of` or `set` has returned them; every change
 * makes a new list that shares all untouched chunks with the old one.
 */

/** Items per chunk. 64 keeps both the spine (157 entries at the 10 000-item limit) and a chunk short to copy. */
const CHUNK = 64;
const SHIFT = 6;
const MASK = CHUNK - 1;

export class ItemList<T> implements Iterable<T> {
  static readonly EMPTY = new ItemList<never>([], 0);

  private constructor(
    private readonly chunks: readonly (readonly T[])[],
    readonly length: number,
  ) {}

  /** A list holding the given items, in order. */
  static of<T>(items: readonly T[]): ItemList<T> {
    if (items.length === 0) return ItemList.EMPTY;
    const chunks: T[][] = [];
    for (let start = 0; start < items.length; start += CHUNK) chunks.push(items.slice(start, start + CHUNK));
    return new ItemList(chunks, items.length);
  }

  /** The item at `index`; undefined outside the list. */
  get(index: number): T | undefined {
    if (index < 0 || index >= this.length) return undefined;
    return this.chunks[index >> SHIFT]![index & MASK];
  }

  /** A list with the item at `index` replaced (this list when `index` is outside it). */
  set(index: number, item: T): ItemList<T> {
    if (index < 0 || index >= this.length) return this;
    const at = index >> SHIFT;
    const chunk = this.chunks[at]!.slice();
    chunk[index & MASK] = item;
    const chunks = this.chunks.slice();
    chunks[at] = chunk;
    return new ItemList(chunks, this.length);
  }

  *[Symbol.iterator](): Iterator<T> {
    for (const chunk of this.chunks) yield* chunk;
  }

  /** Calls `fn` on every item in order (faster than iterating for hot paths). */
  forEach(fn: (item: T, index: number) => void): void {
    let index = 0;
    for (const chunk of this.chunks) for (const item of chunk) fn(item, index++);
  }

  map<U>(fn: (item: T, index: number) => U): U[] {
    const out: U[] = new Array<U>(this.length);
    this.forEach((item, index) => (out[index] = fn(item, index)));
    return out;
  }

  filter(fn: (item: T) => boolean): T[] {
    const out: T[] = [];
    this.forEach((item) => {
      if (fn(item)) out.push(item);
    });
    return out;
  }

  find(fn: (item: T) => boolean): T | undefined {
    for (const chunk of this.chunks) for (const item of chunk) if (fn(item)) return item;
    return undefined;
  }

  some(fn: (item: T) => boolean): boolean {
    return this.find(fn) !== undefined;
  }
}
