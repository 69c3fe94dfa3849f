/**
 * Server → client frames (spec websocket.md §4). Event frames are encoded once per event: the part shared by every
 * recipient (`"id", "data", "timestamp", "sequence"`) is serialised on first use, and the final bytes per sub_id
 * (or without sub_id for single-form subscriptions) are cached on the event, so fan-out to many connections costs
 * one serialisation per event and one small concatenation per distinct sub_id.
 */
import { aggregateKey, type StoredEvent } from '../../model/events.js';

export class EventFrame {
  readonly aggregateKey: string;
  private head?: string;
  private tail?: string;
  private single?: Buffer;
  private readonly bySub = new Map<string, Buffer>();

  constructor(readonly event: StoredEvent) {
    this.aggregateKey = aggregateKey(event.aggregate_id);
  }

  private parts(): [string, string] {
    if (this.head === undefined || this.tail === undefined) {
      const e = this.event;
      this.head = `{"type":${JSON.stringify(e.type)},`;
      this.tail =
        `"id":${JSON.stringify(e.aggregate_id)},"data":${JSON.stringify(e.data)},` +
        `"timestamp":${e.timestamp},"sequence":${e.sequence}}`;
    }
    return [this.head, this.tail];
  }

  /** Frame for single-aggregate subscriptions (no sub_id). */
  forSingle(): Buffer {
    if (this.single === undefined) {
      const [head, tail] = this.parts();
      this.single = Buffer.from(head + tail, 'utf8');
    }
    return this.single;
  }

  /** Frame for the multi-form subscription `subId`. */
  forSub(subId: string): Buffer {
    let frame = this.bySub.get(subId);
    if (frame === undefined) {
      const [head, tail] = this.parts();
      frame = Buffer.from(`${head}"sub_id":${JSON.stringify(subId)},${tail}`, 'utf8');
      this.bySub.set(subId, frame);
    }
    return frame;
  }
}

/** Any non-event frame (subscribed, unsubscribed, error). */
export const controlFrame = (frame: Record<string, unknown>): Buffer => Buffer.from(JSON.stringify(frame), 'utf8');

export const errorFrame = (code: string, message: string, subId?: string): Buffer =>
  controlFrame(
    subId === undefined
      ? { type: 'error', data: { code, error: message } }
      : { type: 'error', sub_id: subId, data: { code, error: message } },
  );
