import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fakeSocket, helloScript } from '../testing/fixtures';
import { createEngineStore } from './engine-store';

void describe('engine store', () => {
  void it('loads the engine snapshot and follows catalog and cluster events', () => {
    const fake = fakeSocket();
    const engine = createEngineStore(fake.socket);
    const stop = engine.start();
    assert.equal(engine.store.get().phase, 'loading');
    assert.deepEqual(fake.active()[0]?.spec, { aggregateIds: [['engine']], includeState: true });
    fake.subscribed([
      {
        id: ['engine'],
        data: { steps: { 'hello-script': helloScript }, attributes: {}, health: { 'argyll-1': { health: {} } } } as never,
        sequence: 1,
        sequences: { catalog: 1, cluster: 0 },
      },
    ]);
    assert.equal(engine.store.get().phase, 'ready');
    fake.emit({ type: 'step_health_changed', id: ['cluster'], data: { node_id: 'argyll-1', step_id: 'hello-script', status: 'healthy' }, timestamp: 1783503120001, sequence: 0 });
    fake.emit({ type: 'step_unregistered', id: ['catalog'], data: { step_id: 'hello-script' }, timestamp: 1783503120002, sequence: 1 });
    const model = engine.store.get().model;
    assert.deepEqual(model.steps, {});
    assert.equal(model.nodes['argyll-1']?.health['hello-script']?.status, 'healthy');
    assert.deepEqual(model.sequences, { catalog: 2, cluster: 1 });
    stop();
    assert.equal(fake.active().length, 0);
  });

  void it('treats a missing snapshot as an empty catalog', () => {
    const fake = fakeSocket();
    const engine = createEngineStore(fake.socket);
    engine.start();
    fake.subscribed([{ id: ['engine'], data: null, sequence: 0 }]);
    assert.equal(engine.store.get().phase, 'ready');
    assert.deepEqual(engine.store.get().model.steps, {});
  });
});
