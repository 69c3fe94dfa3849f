/**
 * The warm-spare module reserve: a discarded module is replaced at once by the spare, a new spare loads in the
 * background, and while nothing is ready the reserve reports a script error instead of blocking.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScriptRuntimeError } from '../ports/scripts.js';
import { WasmReserve } from './wasm-reserve.js';

describe('WasmReserve', () => {
  it('promotes the spare on discard and loads a new spare', async () => {
    let loaded = 0;
    const disposed: number[] = [];
    const reserve = await WasmReserve.create('test', () => Promise.resolve((loaded += 1)), (m) => disposed.push(m));
    assert.equal(reserve.get(), 1);
    reserve.discard();
    assert.equal(reserve.get(), 2);
    assert.deepEqual(disposed, [1]);
    await reserve.settled();
    assert.equal(loaded, 3);
    reserve.discard();
    assert.equal(reserve.get(), 3);
    reserve.close();
    await reserve.settled();
    assert.deepEqual(disposed.sort(), [1, 2, 3, 4]);
  });

  it('reports a script error while no module is ready', async () => {
    const pending: Array<(value: number) => void> = [];
    let hold = false;
    let next = 0;
    const reserve = await WasmReserve.create(
      'test',
      () => {
        next += 1;
        const value = next;
        return hold ? new Promise<number>((resolve) => pending.push(() => resolve(value))) : Promise.resolve(value);
      },
      () => {},
    );
    hold = true;
    reserve.discard();
    reserve.discard();
    assert.throws(() => reserve.get(), ScriptRuntimeError);
    hold = false;
    pending.shift()!(0);
    await reserve.settled();
    assert.equal(reserve.get(), 3);
    reserve.close();
  });
});
