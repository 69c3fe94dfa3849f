/**
 * Recovery (spec engine.md §24): at start-up and every 30 s, every flow whose index status is active is re-driven
 * from its state alone: orphaned items restarted, terminal leftovers finalised, compensation resumed, due times
 * re-armed. Flows are processed with bounded concurrency.
 */
import type { Logger } from 'pino';
import { decideRecover } from '../flow/commands.js';
import type { EventStore } from '../ports/store.js';
import type { FlowRunner } from './flow-runner.js';

export const RECOVERY_CONCURRENCY = 32;

export interface RecoveryDeps {
  store: EventStore;
  runner: FlowRunner;
  logger: Logger;
  nodeId: string;
  liveNodes: () => string[];
}

const partialParentMetadata = (metadata: Record<string, unknown>): boolean => {
  const n = ['parent_flow_id', 'parent_step_id', 'parent_work_item_token'].filter((k) => k in metadata).length;
  return n > 0 && n < 3;
};

export const recoverFlows = async (deps: RecoveryDeps, startup: boolean): Promise<number> => {
  const ids = await deps.store.activeFlowIds();
  const live = new Set(deps.liveNodes());
  const orphaned = (node: string): boolean => (node === deps.nodeId ? startup : !live.has(node));
  let next = 0;
  let recovered = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        await deps.runner.execute(id, (state, ctx) => {
          if (!state) return undefined;
          if (partialParentMetadata(state.metadata)) {
            deps.logger.warn({ flowId: id }, 'partial parent metadata; flow skipped by recovery');
            return undefined;
          }
          return decideRecover(state, ctx, orphaned);
        });
        recovered++;
      } catch (err) {
        deps.logger.error({ err, flowId: id }, 'recovery of flow failed');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RECOVERY_CONCURRENCY, ids.length) }, worker));
  return recovered;
};
