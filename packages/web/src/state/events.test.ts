import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelEvent } from './engine-model';
import { eventSummary, fromFrame, fromRest, mergeEvents } from './events';

const e = (sequence: number, type = 'work_started'): ModelEvent => ({
  type,
  aggregate: ['flow', 'f'],
  data: {},
  sequence,
  timestamp: '2026-07-10T08:00:00.000Z',
});

void describe('events', () => {
  void it('converts WebSocket frames (Unix ms) and REST events (RFC 3339) to one shape', () => {
    assert.deepEqual(
      fromFrame({ type: 'flow_started', id: ['flow', 'hello-flow'], data: { flow_id: 'hello-flow' }, timestamp: 1783503120001, sequence: 0 }),
      { type: 'flow_started', aggregate: ['flow', 'hello-flow'], data: { flow_id: 'hello-flow' }, sequence: 0, timestamp: '2026-07-08T09:32:00.001Z' },
    );
    assert.deepEqual(
      fromRest({ sequence: 2, timestamp: '2026-07-01T09:12:44.120Z', type: 'step_registered', aggregate_id: ['catalog'], data: {} }),
      { type: 'step_registered', aggregate: ['catalog'], data: {}, sequence: 2, timestamp: '2026-07-01T09:12:44.120Z' },
    );
  });

  void it('merges events into a sequence-ordered log without duplicates', () => {
    const log = mergeEvents([e(0), e(2)], [e(1), e(2, 'duplicate'), e(3)]);
    assert.deepEqual(log.map((x) => x.sequence), [0, 1, 2, 3]);
    assert.equal(log[2]?.type, 'work_started', 'the first copy of a sequence wins');
    const same = [e(0)];
    assert.equal(mergeEvents(same, [e(0)]), same, 'nothing new returns the same array');
  });

  void it('summarises payloads for the log', () => {
    assert.equal(eventSummary({ ...e(0, 'attribute_set'), data: { key: 'greeting', value: 'Argyll' } }), 'greeting = "Argyll"');
    assert.equal(
      eventSummary({ ...e(0, 'work_retry_scheduled'), data: { step_id: 'charge', token: '6f1c2a9e-3b7d', retry_count: 2, error: 'boom' } }),
      'step charge · item 6f1c2a9e · retry 2 · error boom',
    );
    assert.equal(eventSummary({ ...e(0, 'flow_started'), data: { plan: { goals: ['a', 'b'] } } }), 'goals a, b');
  });
});
