/**
 * Route plumbing shared by the REST routes: a handler wrapper that names the operation a non-engine failure
 * interrupted (`failed to start flow: <cause>`), and the body limits of spec api.md §0.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { withContext } from '../problem.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;
/** POST /engine/flow, POST /engine/plan, POST /engine/flow/query. */
export const FLOW_BODY_LIMIT = MiB;
/** POST and PUT /engine/step. */
export const STEP_BODY_LIMIT = 512 * KiB;
/** Any other body. */
export const DEFAULT_BODY_LIMIT = 16 * MiB;

export type Handler<R extends FastifyRequest> = (request: R, reply: FastifyReply) => Promise<unknown>;

/** Rethrows anything that is not an EngineError as `internal` with the given operation context. */
export const guard =
  <R extends FastifyRequest>(context: string, handler: Handler<R>): Handler<R> =>
  async (request, reply) => {
    try {
      return await handler(request, reply);
    } catch (err) {
      throw withContext(context, err);
    }
  };
