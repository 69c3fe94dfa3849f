/**
 * One WebSocket connection (spec websocket.md): its subscriptions of both forms, event delivery and the state
 * replies that open each subscription.
 *
 * Invariants:
 * - A subscription is registered before its state is read, so no event committed after the read can be missed;
 *   events arriving while the read is pending are buffered and, once the reply is sent, delivered unless the
 *   returned state already contains them (sequence below the returned sequence): no gap, no duplicate.
 * - Multi-form frames are per subscription (tagged with sub_id). Single-form frames are per connection: each event
 *   at most once. While any single-form state read is pending, single-form events are held in arrival order and
 *   released together afterwards, so per-aggregate order holds across overlapping single-form subscriptions.
 * - A superseded or removed subscription's late state reply is ignored (identity check).
 */
import type { WebSocket } from 'ws';
import type { EngineApi } from '../../runtime/api.js';
import { controlFrame, errorFrame, type EventFrame } from './frames.js';
import { startLiveness, type Liveness, type LivenessLimits } from './liveness.js';
import { hasState, isFlowName, floorsOf, nameKey, type Name, type StateReply } from './names.js';
import { Outbound, type Corkable, type OutboundLimits } from './outbound.js';
import { WsErrorCode, decodeClientMessage, type ClientMessage } from './protocol.js';
import { Subscription } from './subscription.js';

export const MAX_SUBSCRIPTIONS = 256;

export type SessionLimits = OutboundLimits & LivenessLimits;

export interface SessionOptions {
  api: EngineApi;
  limits: SessionLimits;
  /** Called once when the session stops receiving events (closing, closed or failed). */
  onEnd: (session: Session) => void;
  /** The connection's socket, so that the frames of one turn go out in one write. */
  transport?: Corkable;
}

const NO_STATE: StateReply = { data: null, sequence: 0 };

export class Session {
  private readonly multi = new Map<string, Subscription>();
  private readonly single = new Map<string, Subscription>();
  private pendingSingles = 0;
  private held: EventFrame[] = [];
  private ended = false;
  private readonly out: Outbound;
  private readonly liveness: Liveness;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: SessionOptions,
  ) {
    const { limits } = options;
    this.out = new Outbound(socket, limits, () => this.close(1008, 'slow consumer'), () => this.terminate(), options.transport);
    this.liveness = startLiveness(socket, limits, () => this.terminate());
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('pong', () => this.liveness.touch());
    socket.on('close', () => this.end());
  }

  get open(): boolean {
    return !this.ended;
  }

  /** Delivers one committed batch. Never throws for a single event's sake. */
  deliver(frames: readonly EventFrame[]): void {
    for (const frame of frames) {
      if (this.ended) return;
      for (const sub of this.multi.values()) {
        if (!sub.matches(frame)) continue;
        if (sub.pending) this.hold(sub.buffer, frame);
        else this.out.send(frame.forSub(sub.subId ?? ''));
      }
      if (this.single.size === 0) continue;
      if (this.pendingSingles > 0) {
        if (this.anySingleMatches(frame)) this.hold(this.held, frame);
      } else if (this.anySingleMatches(frame)) {
        this.out.send(frame.forSingle());
      }
    }
  }

  /** Keeps an event for after a pending state reply; more than the outbound bound closes the connection. */
  private hold(queue: EventFrame[], frame: EventFrame): void {
    queue.push(frame);
    if (queue.length > this.options.limits.maxFrames) this.close(1008, 'slow consumer');
  }

  close(code: number, reason: string): void {
    if (this.ended) return;
    this.end();
    this.socket.close(code, reason);
  }

  private terminate(): void {
    this.end();
    this.socket.terminate();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.liveness.stop();
    this.out.stop();
    this.multi.clear();
    this.single.clear();
    this.held = [];
    this.options.onEnd(this);
  }

  private send(frame: Buffer): void {
    if (!this.ended) this.out.send(frame);
  }

  private anySingleMatches(frame: EventFrame): boolean {
    for (const sub of this.single.values()) if (sub.matches(frame)) return true;
    return false;
  }

  private onMessage(data: unknown, isBinary: boolean): void {
    this.liveness.touch();
    if (this.ended) return;
    const message: ClientMessage = isBinary
      ? { kind: 'error', code: WsErrorCode.invalidMessage, message: 'binary frames are not supported' }
      : decodeClientMessage(Buffer.isBuffer(data) ? data.toString('utf8') : String(data));
    switch (message.kind) {
      case 'error':
        return this.send(errorFrame(message.code, message.message, message.subId));
      case 'subscribe-multi':
        return this.subscribeMulti(message.subId, message.names, message.includeState, message.eventTypes);
      case 'subscribe-single':
        return this.subscribeSingle(message.name, message.eventTypes);
      case 'unsubscribe-multi':
        this.multi.delete(message.subId);
        return this.send(controlFrame({ type: 'unsubscribed', sub_id: message.subId }));
      case 'unsubscribe-single':
        this.removeSingle(nameKey(message.name));
        this.send(controlFrame({ type: 'unsubscribed', id: message.name }));
        return this.releaseHeld();
      case 'unsubscribe-all-single':
        for (const key of [...this.single.keys()]) this.removeSingle(key);
        this.send(controlFrame({ type: 'unsubscribed' }));
        return this.releaseHeld();
      default: {
        const unreachable: never = message;
        return unreachable;
      }
    }
  }

  private hasRoom(replacing: boolean): boolean {
    return replacing || this.multi.size + this.single.size < MAX_SUBSCRIPTIONS;
  }

  private tooMany(subId?: string): void {
    const message = `too many subscriptions: maximum is ${MAX_SUBSCRIPTIONS}`;
    this.send(errorFrame(WsErrorCode.tooManySubscriptions, message, subId));
  }

  private subscribeMulti(subId: string, names: Name[], includeState: boolean, eventTypes: string[]): void {
    if (!this.hasRoom(this.multi.has(subId))) return this.tooMany(subId);
    const sub = new Subscription(names, eventTypes, subId);
    this.multi.set(subId, sub);
    if (!includeState) return this.send(controlFrame({ type: 'subscribed', sub_id: subId, items: null }));
    sub.pending = true;
    Promise.all(names.map((name) => this.readState(name))).then(
      (replies) => {
        if (this.ended || this.multi.get(subId) !== sub) return;
        const items: Record<string, unknown>[] = [];
        names.forEach((name, i) => {
          const reply = replies[i] ?? NO_STATE;
          if (hasState(name)) for (const [key, seq] of floorsOf(name, reply)) sub.floors.set(key, seq);
          if (isFlowName(name) && reply.data === null) return;
          items.push(stateMembers({ id: name }, reply));
        });
        this.send(controlFrame({ type: 'subscribed', sub_id: subId, items }));
        sub.pending = false;
        const buffered = sub.buffer;
        sub.buffer = [];
        for (const frame of buffered) if (sub.matches(frame)) this.send(frame.forSub(subId));
      },
      (err: unknown) => {
        if (this.multi.get(subId) === sub) this.stateUnavailable(err, subId);
      },
    );
  }

  private subscribeSingle(name: Name, eventTypes: string[]): void {
    const key = nameKey(name);
    if (!this.hasRoom(this.single.has(key))) return this.tooMany();
    this.removeSingle(key);
    const sub = new Subscription([name], eventTypes);
    this.single.set(key, sub);
    if (!hasState(name)) {
      this.send(controlFrame(stateMembers({ type: 'subscribed', id: name }, NO_STATE)));
      return this.releaseHeld();
    }
    sub.pending = true;
    this.pendingSingles++;
    this.readState(name).then(
      (reply) => {
        if (this.ended || this.single.get(key) !== sub) return;
        for (const [aggregate, seq] of floorsOf(name, reply)) sub.floors.set(aggregate, seq);
        sub.pending = false;
        this.pendingSingles--;
        this.send(controlFrame(stateMembers({ type: 'subscribed', id: name }, reply)));
        this.releaseHeld();
      },
      (err: unknown) => {
        if (this.single.get(key) === sub) this.stateUnavailable(err);
      },
    );
  }

  private removeSingle(key: string): void {
    const sub = this.single.get(key);
    if (sub === undefined) return;
    this.single.delete(key);
    if (sub.pending) this.pendingSingles--;
  }

  /** Sends held single-form events once no single-form state read is pending. */
  private releaseHeld(): void {
    if (this.pendingSingles > 0 || this.held.length === 0) return;
    const held = this.held;
    this.held = [];
    for (const frame of held) if (this.anySingleMatches(frame)) this.send(frame.forSingle());
  }

  private readState(name: Name): Promise<StateReply> {
    if (!hasState(name)) return Promise.resolve(NO_STATE);
    return this.options.api.aggregateState(name);
  }

  private stateUnavailable(err: unknown, subId?: string): void {
    if (this.ended) return;
    const cause = err instanceof Error ? err.message : String(err);
    this.send(errorFrame(WsErrorCode.stateUnavailable, `state unavailable: ${cause}`, subId));
    this.close(1011, 'state unavailable');
  }
}

/** Adds data, sequence and (for `["engine"]`) sequences of a state reply to a frame or item. */
const stateMembers = (base: Record<string, unknown>, reply: StateReply): Record<string, unknown> => {
  const out: Record<string, unknown> = { ...base, data: reply.data, sequence: reply.sequence };
  if (reply.sequences !== undefined) out.sequences = reply.sequences;
  return out;
};
