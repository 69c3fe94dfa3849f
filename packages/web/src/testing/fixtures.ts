/**
 * Shared test data: steps from the spec's seed examples and small fakes of the socket and API ports.
 * Used by unit tests only.
 */
import type { ApiClient } from '../api/client';
import type { EngineSocket, EventFrame, StateItem, SubscriptionHandlers, SubscriptionSpec } from '../api/socket';
import type { Step } from '../api/types';

export const helloScript: Step = {
  id: 'hello-script',
  name: 'Hello Script',
  type: 'script',
  attributes: { name: { role: 'required', type: 'string' }, greeting: { role: 'output', type: 'string' } },
  script: { language: 'ale', script: '{:greeting name}' },
  work_config: { max_retries: 10, init_backoff: 1000, max_backoff: 60000, backoff_type: 'exponential' },
};

export const lookupCustomer: Step = {
  id: 'lookup-customer',
  name: 'Lookup Customer',
  type: 'sync',
  http: { method: 'GET', endpoint: 'https://api.example.com/customers/{customer_id}', timeout: 5000 },
  attributes: { customer_id: { role: 'required' }, email: { role: 'output' }, phone: { role: 'output' } },
};

export const sendReceipt: Step = {
  id: 'send-receipt',
  name: 'Send Receipt',
  type: 'async',
  http: { method: 'POST', endpoint: 'https://mail.example.com/send', timeout: 1000 },
  attributes: {
    email: { role: 'required', type: 'string' },
    greeting: { role: 'optional', type: 'string' },
    channel: { role: 'const', type: 'string', default: '"web"' },
    flow_ref: { role: 'meta', key: 'flow_id' },
    receipt_id: { role: 'output' },
  },
};

/** The canonical example step of spec model.md §2. */
export const reserveStock: Step = {
  id: 'reserve-stock',
  name: 'Reserve Stock',
  type: 'sync',
  labels: { team: 'fulfilment' },
  http: {
    method: 'POST',
    endpoint: 'http://inventory:9000/reserve/{warehouse}',
    timeout: 4000,
    compensate: 'http://inventory:9000/release/{id}',
    health_check: 'http://inventory:9000/healthz',
  },
  predicate: { language: 'lua', script: 'return qty > 0' },
  attributes: {
    warehouse: { role: 'required', type: 'string' },
    sku: { role: 'required', type: 'string', mapping: { name: 'item_code' } },
    qty: { role: 'optional', type: 'number', default: '1', deadline: 1500 },
    channel: { role: 'const', type: 'string', default: '"web"' },
    flow_ref: { role: 'meta', key: 'flow_id' },
    reservation_id: { role: 'output', type: 'string', mapping: { name: 'id' } },
    eta: { role: 'output', mapping: { script: { language: 'jpath', script: '$.schedule.eta' } } },
  },
  work_config: { parallelism: 4, max_retries: 3, init_backoff: 250, max_backoff: 5000, backoff_type: 'linear' },
};

export interface FakeSubscription {
  spec: SubscriptionSpec;
  handlers: SubscriptionHandlers;
  active: boolean;
}

/** An EngineSocket whose subscriptions the test drives by hand. */
export const fakeSocket = () => {
  const subscriptions: FakeSubscription[] = [];
  const socket: EngineSocket = {
    subscribe(spec, handlers) {
      const sub = { spec, handlers, active: true };
      subscriptions.push(sub);
      return () => {
        sub.active = false;
      };
    },
    status: () => 'open',
    onStatus: () => () => undefined,
    close: () => undefined,
  };
  const active = (): FakeSubscription[] => subscriptions.filter((s) => s.active);
  return {
    socket,
    subscriptions,
    active,
    subscribed(items: StateItem[] | null, index = -1): void {
      const sub = index < 0 ? active().at(index) : subscriptions[index];
      sub?.handlers.onSubscribed?.(items);
    },
    emit(frame: EventFrame): void {
      for (const sub of active()) sub.handlers.onEvent(frame);
    },
  };
};

const unexpected = (name: string) => (): Promise<never> => Promise.reject(new Error(`unexpected call: ${name}`));

/** An ApiClient whose every method fails unless the test overrides it. */
export const fakeApi = (overrides: Partial<ApiClient>): ApiClient => ({
  engine: unexpected('engine'),
  catalog: unexpected('catalog'),
  listSteps: unexpected('listSteps'),
  getStep: unexpected('getStep'),
  createStep: unexpected('createStep'),
  updateStep: unexpected('updateStep'),
  deleteStep: unexpected('deleteStep'),
  plan: unexpected('plan'),
  startFlow: unexpected('startFlow'),
  getFlow: unexpected('getFlow'),
  flowEvents: unexpected('flowEvents'),
  queryFlows: unexpected('queryFlows'),
  ...overrides,
});

/** Resolves once the promise callbacks queued so far (and those they queue) have run: one event-loop turn. */
export const settle = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });
