/**
 * The error catalogue (spec api.md §0.2): a stable code, an HTTP status, a fixed title and whether retrying the same
 * request can succeed. Engine code throws EngineError; the HTTP edge renders Problem Details from it.
 */

export const ErrorCode = {
  invalidJson: 'invalid-json',
  invalidStep: 'invalid-step',
  stepIdMismatch: 'step-id-mismatch',
  invalidFlow: 'invalid-flow',
  noGoals: 'no-goals',
  missingInputs: 'missing-inputs',
  invalidQuery: 'invalid-query',
  webhookFlowNotFound: 'webhook-flow-not-found',
  webhookStepNotFound: 'webhook-step-not-found',
  webhookTokenNotFound: 'webhook-token-not-found',
  invalidWebhookBody: 'invalid-webhook-body',
  websocketUpgradeRequired: 'websocket-upgrade-required',
  stepNotFound: 'step-not-found',
  flowNotFound: 'flow-not-found',
  healthNotFound: 'health-not-found',
  routeNotFound: 'route-not-found',
  methodNotAllowed: 'method-not-allowed',
  stepExists: 'step-exists',
  flowExists: 'flow-exists',
  payloadTooLarge: 'payload-too-large',
  planFailed: 'plan-failed',
  internal: 'internal',
  unavailable: 'unavailable',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

interface ErrorKind {
  status: number;
  title: string;
  retryable: boolean;
}

export const ERROR_KINDS: Record<ErrorCode, ErrorKind> = {
  'invalid-json': { status: 400, title: 'Invalid JSON', retryable: false },
  'invalid-step': { status: 400, title: 'Invalid step', retryable: false },
  'step-id-mismatch': { status: 400, title: 'Step ID mismatch', retryable: false },
  'invalid-flow': { status: 400, title: 'Invalid flow request', retryable: false },
  'no-goals': { status: 400, title: 'No goals', retryable: false },
  'missing-inputs': { status: 400, title: 'Required inputs not provided', retryable: false },
  'invalid-query': { status: 400, title: 'Invalid query', retryable: false },
  'webhook-flow-not-found': { status: 400, title: 'Flow not found', retryable: false },
  'webhook-step-not-found': { status: 400, title: 'Step execution not found', retryable: false },
  'webhook-token-not-found': { status: 400, title: 'Work item not found', retryable: false },
  'invalid-webhook-body': { status: 400, title: 'Invalid webhook body', retryable: false },
  'websocket-upgrade-required': { status: 400, title: 'WebSocket upgrade required', retryable: false },
  'step-not-found': { status: 404, title: 'Step not found', retryable: false },
  'flow-not-found': { status: 404, title: 'Flow not found', retryable: false },
  'health-not-found': { status: 404, title: 'Health not found', retryable: false },
  'route-not-found': { status: 404, title: 'Not found', retryable: false },
  'method-not-allowed': { status: 405, title: 'Method not allowed', retryable: false },
  'step-exists': { status: 409, title: 'Step exists', retryable: false },
  'flow-exists': { status: 409, title: 'Flow exists', retryable: false },
  'payload-too-large': { status: 413, title: 'Payload too large', retryable: false },
  'plan-failed': { status: 500, title: 'Plan failed', retryable: false },
  internal: { status: 500, title: 'Internal error', retryable: true },
  unavailable: { status: 503, title: 'Service unavailable', retryable: true },
};

export class EngineError extends Error {
  readonly status: number;
  readonly title: string;
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'EngineError';
    const kind = ERROR_KINDS[code];
    this.status = kind.status;
    this.title = kind.title;
    this.retryable = kind.retryable;
  }
}

/** model.md §4: every validation failure is `invalid step\n<message>`. */
export const invalidStep = (message: string): EngineError =>
  new EngineError(ErrorCode.invalidStep, `invalid step\n${message}`);
