/**
 * Step catalogue routes (spec api.md §5). Bodies go to the engine as raw JSON (it normalises and validates);
 * the edge only insists on one JSON object within the 512 KiB limit.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { EngineError, ErrorCode } from '../../model/errors.js';
import type { EngineApi } from '../../runtime/api.js';
import { parseObject } from '../decode/json.js';
import { STEP_BODY_LIMIT, guard } from './guard.js';

type StepRequest = FastifyRequest<{ Params: { stepId: string } }>;

export const registerStepRoutes = (app: FastifyInstance, api: EngineApi): void => {
  app.get(
    '/engine/step',
    guard('failed to list steps', async () => {
      const steps = api.listSteps();
      return { steps, count: steps.length };
    }),
  );

  app.post(
    '/engine/step',
    { bodyLimit: STEP_BODY_LIMIT },
    guard('failed to register step', async (request, reply) => {
      const { step } = await api.registerStep(parseObject(request.body));
      return reply.code(201).send({ step, message: 'Step registered' });
    }),
  );

  app.get(
    '/engine/step/:stepId',
    guard('failed to get step', async (request: StepRequest) => {
      const { stepId } = request.params;
      const step = api.getStep(stepId);
      if (step === undefined) throw new EngineError(ErrorCode.stepNotFound, `step not found: ${stepId}`);
      return step;
    }),
  );

  app.put(
    '/engine/step/:stepId',
    { bodyLimit: STEP_BODY_LIMIT },
    guard('failed to update step', async (request: StepRequest) => {
      const { step } = await api.updateStep(request.params.stepId, parseObject(request.body));
      return { step, message: 'Step updated' };
    }),
  );

  app.delete(
    '/engine/step/:stepId',
    guard('failed to unregister step', async (request: StepRequest) => {
      await api.unregisterStep(request.params.stepId);
      return { message: 'Step unregistered' };
    }),
  );
};
