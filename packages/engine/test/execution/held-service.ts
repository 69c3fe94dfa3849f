/**
 * A real step service whose answers the test releases one by one, so the order in which work items finish is
 * chosen by the test instead of by timing. It also counts how many requests were outstanding at once, which lets a
 * test check a parallelism limit from the service's side as well as from the event sequence.
 */
import { startStepService, type ServiceReply, type ServiceRequest, type StepService } from '../support/step-service.js';

export interface HeldService {
  url: string;
  requests: ServiceRequest[];
  /** Resolves when the n-th request (1-based) arrived. */
  received(n: number): Promise<ServiceRequest>;
  /** Answers the n-th request (1-based), now or as soon as it arrives. */
  release(n: number, reply?: ServiceReply): void;
  /** Answers the first request whose body satisfies the predicate (waits for it). */
  releaseWhere(predicate: (req: ServiceRequest) => boolean, reply?: ServiceReply): Promise<void>;
  /** Most requests that were waiting for an answer at the same time. */
  readonly maxOutstanding: number;
  close(): Promise<void>;
}

export async function startHeldService(
  defaultReply: (req: ServiceRequest) => ServiceReply = () => ({ body: {} }),
): Promise<HeldService> {
  const answers = new Map<number, (reply: ServiceReply) => void>();
  const early = new Map<number, ServiceReply>();
  const released = new Set<number>();
  const arrivals: Array<() => void> = [];
  let outstanding = 0;
  let maxOutstanding = 0;
  let service!: StepService;
  service = await startStepService((req, index) => {
    const n = index + 1;
    outstanding++;
    maxOutstanding = Math.max(maxOutstanding, outstanding);
    for (const wake of arrivals.splice(0)) wake();
    return new Promise<ServiceReply>((resolve) => {
      const answer = (reply: ServiceReply): void => {
        outstanding--;
        resolve(reply);
      };
      const pre = early.get(n);
      if (pre) answer(pre);
      else answers.set(n, answer);
    });
  });
  const release = (n: number, reply?: ServiceReply): void => {
    if (released.has(n)) throw new Error(`request ${n} was already released`);
    released.add(n);
    const req = service.requests[n - 1];
    const chosen = reply ?? (req ? defaultReply(req) : undefined);
    const answer = answers.get(n);
    if (answer && chosen) {
      answers.delete(n);
      answer(chosen);
      return;
    }
    // Not arrived yet: answer with the explicit reply on arrival (or the default one computed then).
    if (reply) early.set(n, reply);
    else {
      void service.received(n).then((r) => {
        const a = answers.get(n);
        answers.delete(n);
        a?.(defaultReply(r));
      });
    }
  };
  const releaseWhere = async (predicate: (req: ServiceRequest) => boolean, reply?: ServiceReply): Promise<void> => {
    for (;;) {
      const n = service.requests.findIndex((r, i) => !released.has(i + 1) && predicate(r)) + 1;
      if (n > 0) {
        release(n, reply);
        return;
      }
      await new Promise<void>((resolve) => arrivals.push(resolve));
    }
  };
  return {
    url: service.url,
    requests: service.requests,
    received: (n) => service.received(n),
    release,
    releaseWhere,
    get maxOutstanding() {
      return maxOutstanding;
    },
    close: () => service.close(),
  };
}
