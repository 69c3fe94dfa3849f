/**
 * Pure parts of the WebSocket protocol: client message decoding (spec websocket.md §3, §4.5) and name matching
 * (§2).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventFrame } from './frames.js';
import { floorsOf, hasState, nameMatches } from './names.js';
import { decodeClientMessage } from './protocol.js';

describe('client message decoding', () => {
  it('selects the multi form by a non-empty sub_id', () => {
    assert.deepEqual(
      decodeClientMessage(
        '{"type":"subscribe","data":{"sub_id":"v","aggregate_ids":[["flow","a"],["flow","b"]],"include_state":true,"event_types":["flow_completed"]}}',
      ),
      {
        kind: 'subscribe-multi',
        subId: 'v',
        names: [
          ['flow', 'a'],
          ['flow', 'b'],
        ],
        includeState: true,
        eventTypes: ['flow_completed'],
      },
    );
  });

  it('accepts aggregate_id in the multi form only when aggregate_ids is absent', () => {
    const one = decodeClientMessage('{"type":"subscribe","data":{"sub_id":"v","aggregate_id":["catalog"]}}');
    assert.deepEqual(one, { kind: 'subscribe-multi', subId: 'v', names: [['catalog']], includeState: false, eventTypes: [] });
    const both = decodeClientMessage(
      '{"type":"subscribe","data":{"sub_id":"v","aggregate_id":["catalog"],"aggregate_ids":[["cluster"]]}}',
    );
    assert.deepEqual(both.kind === 'subscribe-multi' && both.names, [['cluster']]);
  });

  it('uses the single form without sub_id (or with an empty one), everything when aggregate_id is absent', () => {
    assert.deepEqual(decodeClientMessage('{"type":"subscribe","data":{"aggregate_id":["flow","hello-flow"]}}'), {
      kind: 'subscribe-single',
      name: ['flow', 'hello-flow'],
      eventTypes: [],
    });
    assert.deepEqual(decodeClientMessage('{"type":"subscribe","data":{"sub_id":""}}'), {
      kind: 'subscribe-single',
      name: [],
      eventTypes: [],
    });
    assert.deepEqual(decodeClientMessage('{"type":"subscribe"}'), { kind: 'subscribe-single', name: [], eventTypes: [] });
  });

  it('decodes the three unsubscribe forms', () => {
    assert.deepEqual(decodeClientMessage('{"type":"unsubscribe","data":{"sub_id":"v"}}'), {
      kind: 'unsubscribe-multi',
      subId: 'v',
    });
    assert.deepEqual(decodeClientMessage('{"type":"unsubscribe","data":{"aggregate_id":["flow","x"]}}'), {
      kind: 'unsubscribe-single',
      name: ['flow', 'x'],
    });
    assert.deepEqual(decodeClientMessage('{"type":"unsubscribe","data":{}}'), { kind: 'unsubscribe-all-single' });
  });

  it('reports frames that are not JSON objects with a string type as invalid-message', () => {
    for (const text of ['nope', '[1]', '{"type":5}', '{"data":{}}', 'null']) {
      const m = decodeClientMessage(text);
      assert.equal(m.kind === 'error' && m.code, 'invalid-message', text);
    }
  });

  it('reports other types as unknown-type', () => {
    const m = decodeClientMessage('{"type":"publish","data":{}}');
    assert.deepEqual(m, { kind: 'error', code: 'unknown-type', message: 'unknown message type: publish' });
  });

  it('reports malformed data as invalid-subscription, naming the sub_id when there is one', () => {
    assert.deepEqual(decodeClientMessage('{"type":"subscribe","data":{"aggregate_ids":[["flow"]]}}'), {
      kind: 'error',
      code: 'invalid-subscription',
      message: 'sub_id required with aggregate_ids',
    });
    assert.deepEqual(decodeClientMessage('{"type":"subscribe","data":{"sub_id":"v","include_state":"yes"}}'), {
      kind: 'error',
      code: 'invalid-subscription',
      message: 'include_state must be a boolean',
      subId: 'v',
    });
    for (const data of ['[]', '"x"', '{"aggregate_id":"flow"}', '{"event_types":[1]}', '{"sub_id":7}', '{"aggregate_id":[1]}']) {
      const m = decodeClientMessage(`{"type":"subscribe","data":${data}}`);
      assert.equal(m.kind === 'error' && m.code, 'invalid-subscription', data);
    }
  });
});

describe('subscription names', () => {
  it('matches by element prefix', () => {
    assert.ok(nameMatches(['flow'], ['flow', 'x']));
    assert.ok(nameMatches(['flow', 'x'], ['flow', 'x']));
    assert.ok(!nameMatches(['flow', 'x'], ['flow', 'xy']));
    assert.ok(!nameMatches(['flow', 'x'], ['flow', 'y']));
    assert.ok(!nameMatches(['fl'], ['flow', 'x']));
    assert.ok(nameMatches([], ['catalog']));
    assert.ok(!nameMatches(['flow', 'x', 'y'], ['flow', 'x']));
  });

  it('lets ["engine"] match the catalog and cluster aggregates only', () => {
    assert.ok(nameMatches(['engine'], ['catalog']));
    assert.ok(nameMatches(['engine'], ['cluster']));
    assert.ok(!nameMatches(['engine'], ['flow', 'x']));
  });

  it('knows which names carry a state', () => {
    for (const n of [['catalog'], ['cluster'], ['engine'], ['flow', 'x']]) assert.ok(hasState(n), n.join('/'));
    for (const n of [[], ['flow'], ['flow', 'x', 'y'], ['other']]) assert.ok(!hasState(n), n.join('/'));
  });

  it('pins catalog and cluster sequences for ["engine"] and the named aggregate otherwise', () => {
    assert.deepEqual(floorsOf(['engine'], { data: {}, sequence: 4, sequences: { catalog: 4, cluster: 9 } }), [
      ['catalog', 4],
      ['cluster', 9],
    ]);
    assert.deepEqual(floorsOf(['flow', 'x'], { data: {}, sequence: 3 }), [['flow/x', 3]]);
  });
});

describe('event frames', () => {
  const frame = new EventFrame({
    type: 'step_completed',
    data: { flow_id: 'wf-1', step_id: 'price', outputs: { total: 42 }, duration: 812 },
    timestamp: 1_783_503_123_456,
    aggregate_id: ['flow', 'wf-1'],
    sequence: 18,
  });

  it('renders the documented member order with and without sub_id', () => {
    assert.equal(
      frame.forSub('orders-view').toString(),
      '{"type":"step_completed","sub_id":"orders-view","id":["flow","wf-1"],"data":{"flow_id":"wf-1","step_id":"price","outputs":{"total":42},"duration":812},"timestamp":1783503123456,"sequence":18}',
    );
    assert.equal(
      frame.forSingle().toString(),
      '{"type":"step_completed","id":["flow","wf-1"],"data":{"flow_id":"wf-1","step_id":"price","outputs":{"total":42},"duration":812},"timestamp":1783503123456,"sequence":18}',
    );
  });

  it('encodes each variant once and reuses the bytes', () => {
    assert.equal(frame.forSub('a'), frame.forSub('a'));
    assert.equal(frame.forSingle(), frame.forSingle());
  });
});
