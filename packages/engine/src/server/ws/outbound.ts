/**
 * Outbound flow control of one connection (spec websocket.md §6). A frame counts as queued when it could not be
 * handed to the kernel at once (the socket still buffers bytes after the send). When more than `maxFrames` frames
 * or `maxBytes` bytes are queued the consumer is too slow: `onOverflow` fires once and nothing more is sent, so
 * one slow client never holds memory or time of the others. A single oversized frame alone is allowed through.
 * A queue that makes no progress for `writeDeadlineMs` fires `onWriteTimeout`.
 *
 * Given the connection's transport, the frames sent during one event-loop turn are corked and handed to the kernel
 * together at the end of the turn (one write for a commit's worth of frames instead of one per frame); whether they
 * could be handed over at once is judged then, for all of them.
 */
import type { WebSocket } from 'ws';

/** The connection's underlying socket, for corking. */
export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** A frame's place in the accounting: corked until the end of its turn, then queued (counted) or done. */
interface Mark {
  state: 'corked' | 'queued' | 'done';
  bytes: number;
}

export interface OutboundLimits {
  maxFrames: number;
  maxBytes: number;
  writeDeadlineMs: number;
}

export class Outbound {
  private queued = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** Frames sent in this turn while corked; undefined when not corked. */
  private corked: Mark[] | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: OutboundLimits,
    private readonly onOverflow: () => void,
    private readonly onWriteTimeout: () => void,
    private readonly transport?: Corkable,
  ) {}

  send(frame: Buffer): void {
    if (this.stopped || this.socket.readyState !== this.socket.OPEN) return;
    if (this.transport !== undefined && this.corked === undefined) {
      this.transport.cork();
      this.corked = [];
      setImmediate(() => this.release());
    }
    const mark: Mark = { state: this.corked === undefined ? 'done' : 'corked', bytes: frame.length };
    this.socket.send(frame, { binary: false }, () => this.written(mark));
    if (this.corked !== undefined) this.corked.push(mark);
    else this.account([mark]);
  }

  /** End of the turn: hands the corked frames to the kernel and judges them together. */
  private release(): void {
    const marks = this.corked ?? [];
    this.corked = undefined;
    this.transport?.uncork();
    if (this.stopped) return;
    this.account(marks.filter((m) => m.state === 'corked'));
  }

  /**
   * Counts the frames the kernel did not take at once — the last ones, as many as the bytes still buffered cover —
   * and stops the connection when too many (or too many bytes) are queued.
   */
  private account(marks: readonly Mark[]): void {
    const buffered = this.socket.bufferedAmount;
    let covered = 0;
    let first = marks.length;
    while (first > 0 && covered < buffered) covered += marks[--first]!.bytes;
    for (let i = 0; i < marks.length; i++) marks[i]!.state = i < first ? 'done' : 'queued';
    const queued = marks.length - first;
    if (queued === 0) return;
    this.queued += queued;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.timedOut(), this.limits.writeDeadlineMs);
      this.timer.unref();
    }
    if (this.queued > 1 && (this.queued > this.limits.maxFrames || buffered > this.limits.maxBytes)) {
      this.stop();
      this.onOverflow();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private written(mark: Mark): void {
    const counted = mark.state === 'queued';
    mark.state = 'done';
    if (!counted) return;
    this.queued--;
    if (this.timer === undefined) return;
    if (this.queued === 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
    } else {
      this.timer.refresh();
    }
  }

  private timedOut(): void {
    this.timer = undefined;
    if (this.stopped) return;
    this.stop();
    this.onWriteTimeout();
  }
}
