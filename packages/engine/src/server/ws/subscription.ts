/**
 * One subscription of a connection (either form). While its state read is in flight it is `pending`: matching
 * events are buffered (multi form) or held by the session (single form). Once the state arrives, `floors` record,
 * per store aggregate, the first sequence the client does not already have; earlier events are suppressed.
 */
import type { EventFrame } from './frames.js';
import { nameMatches, type Name } from './names.js';

export class Subscription {
  pending = false;
  /** Matching events received while pending (multi form only), in arrival order. */
  buffer: EventFrame[] = [];
  readonly floors = new Map<string, number>();
  private readonly types: ReadonlySet<string> | undefined;

  constructor(
    /** Requested names; empty = every aggregate. */
    readonly names: readonly Name[],
    eventTypes: readonly string[],
    /** Multi form only. */
    readonly subId?: string,
  ) {
    this.types = eventTypes.length > 0 ? new Set(eventTypes) : undefined;
  }

  matches(frame: EventFrame): boolean {
    const event = frame.event;
    if (this.types !== undefined && !this.types.has(event.type)) return false;
    if (this.names.length > 0 && !this.names.some((n) => nameMatches(n, event.aggregate_id))) return false;
    const floor = this.floors.get(frame.aggregateKey);
    return floor === undefined || event.sequence >= floor;
  }
}
