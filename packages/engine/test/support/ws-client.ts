/**
 * A WebSocket client for integration tests (the `ws` package, as Node 20 has no global WebSocket): it keeps every
 * frame it received in order so tests await frames (`until`, `take`) instead of sleeping, and exposes the close
 * code. Only loopback URLs derived from the test engine are used.
 */
import { WebSocket } from 'ws';

/** A server frame as received (websocket.md §4); members are checked by the tests. */
export interface Frame {
  type: string;
  sub_id?: string;
  id?: string[];
  data?: any;
  items?: Array<{ id: string[]; data: any; sequence: number; sequences?: Record<string, number> }> | null;
  timestamp?: number;
  sequence?: number;
  sequences?: Record<string, number>;
}

export interface Closed {
  code: number;
  reason: string;
}

export const wsUrlOf = (engineUrl: string): string => `${engineUrl.replace(/^http/, 'ws')}/engine/ws`;

export class WsClient {
  readonly frames: Frame[] = [];
  readonly closed: Promise<Closed>;
  private readonly waiters = new Set<{ check: () => boolean }>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      this.frames.push(JSON.parse(data.toString('utf8')) as Frame);
      this.wake();
    });
    this.closed = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => {
        resolve({ code, reason: reason.toString('utf8') });
        this.wake();
      });
    });
  }

  static connect(engineUrl: string): Promise<WsClient> {
    const client = new WsClient(new WebSocket(wsUrlOf(engineUrl)));
    return new Promise((resolve, reject) => {
      client.ws.once('open', () => resolve(client));
      client.ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** The first frame, received or still to come, that matches; rejects if the socket closes first. */
  until(predicate: (frame: Frame) => boolean, what = 'frame'): Promise<Frame> {
    return this.waitFor(() => this.frames.find(predicate), what);
  }

  /** The first `n` frames matching the predicate, in arrival order. */
  take(n: number, predicate: (frame: Frame) => boolean = () => true, what = `${n} frames`): Promise<Frame[]> {
    return this.waitFor(() => {
      const matching = this.frames.filter(predicate);
      return matching.length >= n ? matching.slice(0, n) : undefined;
    }, what);
  }

  /** Every frame up to and including the first one matching `last`. */
  async through(last: (frame: Frame) => boolean, what = 'last frame'): Promise<Frame[]> {
    const end = await this.until(last, what);
    return this.frames.slice(0, this.frames.indexOf(end) + 1);
  }

  close(): Promise<Closed> {
    this.ws.close();
    return this.closed;
  }

  private waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const waiter = {
        check: (): boolean => {
          const value = probe();
          if (value !== undefined) resolve(value);
          else if (this.ws.readyState === WebSocket.CLOSED) reject(new Error(`socket closed while waiting for ${what}`));
          else return false;
          return true;
        },
      };
      if (!waiter.check()) this.waiters.add(waiter);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) if (w.check()) this.waiters.delete(w);
  }
}

/** Opens `n` clients at once. */
export const connectMany = (engineUrl: string, n: number): Promise<WsClient[]> =>
  Promise.all(Array.from({ length: n }, () => WsClient.connect(engineUrl)));
