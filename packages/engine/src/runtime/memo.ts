/**
 * Memo cache (spec engine.md §18): per-node LRU of successful raw outputs of memoizable steps, keyed by the step's
 * functional identity (step hash, includes the id) and the item's execution arguments without meta.
 * In memory only: empty after restart, never shared between nodes.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Args, Step } from '../model/types.js';
import { canonicalJson, stepHash } from '../model/step/index.js';

export class MemoCache {
  private readonly cache: LRUCache<string, Args>;
  private readonly hashes = new WeakMap<Step, string>();

  constructor(size: number) {
    this.cache = new LRUCache({ max: size });
  }

  key(step: Step, args: Args): string {
    let h = this.hashes.get(step);
    if (h === undefined) {
      h = stepHash(step);
      this.hashes.set(step, h);
    }
    return `${h}:${createHash('sha256').update(canonicalJson(args)).digest('hex')}`;
  }

  get(step: Step, args: Args): Args | undefined {
    return this.cache.get(this.key(step, args));
  }

  put(step: Step, args: Args, outputs: Args): void {
    this.cache.set(this.key(step, args), outputs);
  }

  get size(): number {
    return this.cache.size;
  }
}
