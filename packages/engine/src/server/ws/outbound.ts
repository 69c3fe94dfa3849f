/**
 * Outbound flow control of one connection (spec websocket.md §6). A frame counts as queued when it could not be
 * handed to the kernel at once (the socket still buffers bytes after the send). When more than `maxFrames` frames
 * or `maxBytes` bytes are queued the consumer is too slow: `onOverflow` fires once and nothing more is sent, so
 * one slow client never holds memory or time of the others. A single oversized frame alone is allowed through.
 * A queue that makes no progress for `writeDeadlineMs` fires `onWriteTimeout`.
 */
import type { WebSocket } from 'ws';

export interface OutboundLimits {
  maxFrames: number;
  maxBytes: number;
  writeDeadlineMs: number;
}

export class Outbound {
  private queued = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly limits: OutboundLimits,
    private readonly onOverflow: () => void,
    private readonly onWriteTimeout: () => void,
  ) {}

  send(frame: Buffer): void {
    if (this.stopped || this.socket.readyState !== this.socket.OPEN) return;
    const mark = { queued: false };
    this.socket.send(frame, { binary: false }, () => this.written(mark));
    const buffered = this.socket.bufferedAmount;
    if (buffered === 0) return;
    mark.queued = true;
    this.queued++;
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

  private written(mark: { queued: boolean }): void {
    if (!mark.queued) return;
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
