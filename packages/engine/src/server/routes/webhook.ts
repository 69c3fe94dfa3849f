/**
 * Async completion webhook (spec api.md §8). The engine checks flow, step and token (in that order) before it
 * records a result; when the body cannot be decoded the same checks run first against the flow state so that an
 * unknown target is reported before a bad body. 200 with an empty body on success and on ignored duplicates.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EngineError, ErrorCode } from '../../model/errors.js';
import { workItem } from '../../model/flow-state.js';
import type { EngineApi, WebhookResult } from '../../runtime/api.js';
import { decodeWebhook } from '../decode/webhook.js';
import { declaredContentType } from '../body.js';
import { withContext } from '../problem.js';

type WebhookRequest = FastifyRequest<{ Params: { flowId: string; stepId: string; token: string } }>;

const checkTarget = async (api: EngineApi, flowId: string, stepId: string, token: string): Promise<void> => {
  const flow = await api.getFlow(flowId);
  if (flow === undefined) throw new EngineError(ErrorCode.webhookFlowNotFound, 'Flow not found');
  const execution = flow.executions[stepId];
  if (execution === undefined) throw new EngineError(ErrorCode.webhookStepNotFound, 'Step execution not found');
  if (workItem(execution, token) === undefined) {
    throw new EngineError(ErrorCode.webhookTokenNotFound, 'Work item not found for token');
  }
};

export const registerWebhookRoute = (app: FastifyInstance, api: EngineApi): void => {
  app.post('/webhook/:flowId/:stepId/:token', async (request: WebhookRequest, reply) => {
    const { flowId, stepId, token } = request.params;
    let result: WebhookResult;
    try {
      result = decodeWebhook(declaredContentType(request), request.body);
    } catch (err) {
      await checkTarget(api, flowId, stepId, token).catch((e: unknown) => {
        throw withContext('Failed to complete work', e);
      });
      throw err;
    }
    try {
      await api.webhook(flowId, stepId, token, result);
    } catch (err) {
      throw withContext(result.kind === 'success' ? 'Failed to complete work' : 'Failed to record work failure', err);
    }
    return reply.code(200).send();
  });
};
