/**
 * REST client for the engine's public API (spec api.md). Owns request encoding and turning Problem Details
 * responses into ApiError. Must never hold UI state; the fetch function and base URL are passed in.
 */
import type {
  Args,
  CatalogState,
  EngineState,
  EventsResponse,
  ExecutionPlan,
  FlowQuery,
  FlowState,
  Json,
  Problem,
  QueryFlowsResponse,
  StartFlowRequest,
  Step,
} from './types';

/** An engine error response: the stable `code` says what went wrong, `message` is the engine's detail text. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: Problem;

  constructor(status: number, problem: Problem, options?: { cause?: unknown }) {
    const message = problem.detail ?? problem.error ?? problem.title ?? `HTTP ${String(status)}`;
    super(message, options);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? (status === 0 ? 'network' : 'http-' + String(status));
    this.problem = problem;
  }
}

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Origin and path prefix of the engine, e.g. `http://127.0.0.1:8080`; empty for the page's own origin. */
  baseUrl?: string;
  fetch?: FetchLike;
}

export interface ApiClient {
  engine(): Promise<EngineState>;
  catalog(): Promise<CatalogState>;
  listSteps(): Promise<Step[]>;
  getStep(id: string): Promise<Step>;
  createStep(step: Json): Promise<Step>;
  updateStep(id: string, step: Json): Promise<Step>;
  deleteStep(id: string): Promise<void>;
  plan(goals: string[], init: Args): Promise<ExecutionPlan>;
  startFlow(request: StartFlowRequest): Promise<string>;
  getFlow(id: string): Promise<FlowState>;
  flowEvents(id: string): Promise<EventsResponse>;
  queryFlows(query: FlowQuery): Promise<QueryFlowsResponse>;
}

const seg = (id: string): string => encodeURIComponent(id);

/** Reads a failed response as Problem Details, tolerating bodies that are not. */
const readProblem = async (response: Response): Promise<Problem> => {
  const text = await response.text();
  if (text.trim() !== '') {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Problem;
    } catch {
      return { status: response.status, detail: text.slice(0, 500) };
    }
  }
  return { status: response.status, title: response.statusText };
};

export const createApiClient = (options: ApiClientOptions = {}): ApiClient => {
  const base = (options.baseUrl ?? '').replace(/\/$/, '');
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const init: RequestInit = { method, headers: { Accept: 'application/json' } };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { Accept: 'application/json', 'Content-Type': 'application/json' };
    }
    let response: Response;
    try {
      response = await doFetch(base + path, init);
    } catch (cause) {
      const detail = cause instanceof Error ? cause.message : String(cause);
      throw new ApiError(0, { title: 'Network error', detail: `cannot reach the engine: ${detail}` }, { cause });
    }
    if (!response.ok) throw new ApiError(response.status, await readProblem(response));
    const text = await response.text();
    return (text.trim() === '' ? undefined : JSON.parse(text)) as T;
  };

  return {
    engine: () => request<EngineState>('GET', '/engine'),
    catalog: () => request<CatalogState>('GET', '/engine/catalog'),
    listSteps: async () => (await request<{ steps: Step[] }>('GET', '/engine/step')).steps,
    getStep: (id) => request<Step>('GET', `/engine/step/${seg(id)}`),
    createStep: async (step) => (await request<{ step: Step }>('POST', '/engine/step', step)).step,
    updateStep: async (id, step) => (await request<{ step: Step }>('PUT', `/engine/step/${seg(id)}`, step)).step,
    deleteStep: async (id) => {
      await request<unknown>('DELETE', `/engine/step/${seg(id)}`);
    },
    plan: (goals, init) => request<ExecutionPlan>('POST', '/engine/plan', { goals, init }),
    startFlow: async (req) => (await request<{ flow_id: string }>('POST', '/engine/flow', req)).flow_id,
    getFlow: (id) => request<FlowState>('GET', `/engine/flow/${seg(id)}`),
    flowEvents: (id) => request<EventsResponse>('GET', `/engine/flow/${seg(id)}/events`),
    queryFlows: (query) => request<QueryFlowsResponse>('POST', '/engine/flow/query', query),
  };
};
