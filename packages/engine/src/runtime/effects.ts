/**
 * Effects of committed flow transactions (spec engine.md §12, §17, §18, §21): invoking work items (HTTP, script,
 * child flow), compensation calls, memo writes and resolving a parent when a child flow deactivates.
 * Runs only after commit, only for events this node appended. Every outcome goes back through a flow command.
 * While stopping, no new call is started (committed work_started items are recovered at the next start-up);
 * results of calls already in flight are still recorded.
 */
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { childFlowId } from '../model/ids.js';
import { EngineError } from '../model/errors.js';
import { workItem, type FlowState } from '../model/flow-state.js';
import type { Args, Json, Metadata, Step } from '../model/types.js';
import { canonicalJson } from '../model/step/index.js';
import { decideChildResolved, decideCompResult, decideStart, decideWorkResult } from '../flow/commands.js';
import { itemArgs } from '../flow/dispatch.js';
import type { ItemResult } from '../flow/outcome.js';
import { runtimeInputNames } from '../flow/step-start.js';
import type { FlowTxn } from '../flow/txn.js';
import type { HttpInvoker } from '../ports/invoker.js';
import type { ScriptPort } from '../ports/scripts.js';
import type { FlowRunner } from './flow-runner.js';

export interface EffectDeps {
  config: Config;
  runner: FlowRunner;
  invoker: HttpInvoker;
  scripts: ScriptPort;
  logger: Logger;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export class Effects {
  private readonly inflight = new Set<Promise<unknown>>();
  private stopping = false;

  constructor(private readonly deps: EffectDeps) {
    deps.runner.onCommit((txn) => this.apply(txn));
  }

  /** Stop starting calls; wait (bounded) for the ones in flight to be recorded. */
  async drain(timeoutMs: number): Promise<void> {
    this.stopping = true;
    const all = Promise.allSettled([...this.inflight]);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  get inflightCount(): number {
    return this.inflight.size;
  }

  private track(p: Promise<unknown>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }

  apply(txn: FlowTxn): void {
    const me = this.deps.config.nodeId;
    const state = txn.state;
    for (const e of txn.events) {
      switch (e.type) {
        case 'work_started':
          if (e.data.node_id === me && !this.stopping) this.invoke(state, e.data.step_id, e.data.token, e.data.inputs);
          break;
        case 'comp_started':
          if (e.data.node_id === me && !this.stopping) this.compensate(state, e.data.step_id, e.data.token);
          break;
        case 'work_succeeded': {
          const step = state.plan.steps[e.data.step_id];
          const exec = state.executions[e.data.step_id];
          const item = workItem(exec, e.data.token);
          if (step?.memoizable && item) this.deps.runner.memo.put(step, itemArgs(exec?.inputs, item.inputs), e.data.outputs);
          break;
        }
        case 'flow_deactivated':
          this.notifyParent(state);
          break;
        default:
          break;
      }
    }
  }

  /** Execution metadata (engine.md §12.3) and the arguments with meta attributes filled in. */
  private argsWithMeta(state: FlowState, step: Step, token: string, inputs: Args): { args: Args; metadata: Metadata } {
    const metadata: Metadata = { ...state.metadata, flow_id: state.id, step_id: step.id, receipt_token: token };
    if (step.type === 'async') {
      metadata.webhook_url = `${this.deps.config.webhookBaseUrl}/webhook/${state.id}/${step.id}/${token}`;
    }
    const args: Args = { ...inputs };
    for (const [name, spec] of Object.entries(step.attributes)) {
      if (spec.role === 'meta' && spec.key !== undefined && Object.hasOwn(metadata, spec.key)) {
        args[name] = metadata[spec.key] as Json;
      }
    }
    return { args, metadata };
  }

  private record(flowId: string, stepId: string, token: string, result: ItemResult): void {
    this.deps.runner.background(flowId, (s, ctx) => (s ? decideWorkResult(s, stepId, token, result, ctx) : undefined));
  }

  private invoke(state: FlowState, stepId: string, token: string, inputs: Args): void {
    const step = state.plan.steps[stepId];
    if (!step) return;
    const { args, metadata } = this.argsWithMeta(state, step, token, inputs);
    switch (step.type) {
      case 'sync':
      case 'async': {
        const p = this.deps.invoker
          .call({ flowId: state.id, step, token, args, metadata })
          .then((outcome) => {
            if (outcome.kind !== 'accepted') this.record(state.id, stepId, token, outcome);
          })
          .catch((err: unknown) => this.record(state.id, stepId, token, { kind: 'retryable', error: `work not completed\n${errorText(err)}` }));
        this.track(p);
        break;
      }
      case 'script': {
        const p = new Promise<void>((resolve) => {
          setImmediate(() => {
            this.record(state.id, stepId, token, this.runScript(step, args));
            resolve();
          });
        });
        this.track(p);
        break;
      }
      case 'flow':
        this.track(this.startChild(state, step, token, args, metadata));
        break;
      default: {
        const never: never = step.type;
        return never;
      }
    }
  }

  private runScript(step: Step, args: Args): ItemResult {
    const variables = runtimeInputNames(step);
    const bound: Args = {};
    for (const v of variables) bound[v] = args[v] ?? null;
    try {
      return { kind: 'success', outputs: this.deps.scripts.runStep(step.script!, variables, bound) };
    } catch (err) {
      return { kind: 'permanent', error: `script failed: ${errorText(err)}` };
    }
  }

  /** engine.md §21: starts (or reuses) the child flow of a flow-step item. */
  private async startChild(parent: FlowState, step: Step, token: string, args: Args, metadata: Metadata): Promise<void> {
    const childId = childFlowId(parent.id, step.id, token);
    const plan = parent.plan.children?.[step.id];
    if (!plan) {
      this.record(parent.id, step.id, token, { kind: 'permanent', error: `no child plan for step ${step.id}` });
      return;
    }
    const missing = plan.required.filter((n) => !Object.hasOwn(args, n));
    if (missing.length > 0) {
      this.record(parent.id, step.id, token, {
        kind: 'permanent',
        error: `required inputs not provided: [${missing.join(' ')}]`,
      });
      return;
    }
    const childMeta: Metadata = {
      ...parent.metadata,
      parent_flow_id: parent.id,
      parent_step_id: step.id,
      parent_work_item_token: token,
    };
    void metadata;
    try {
      await this.deps.runner.execute(childId, (s, ctx) => {
        if (!s) return decideStart(childId, { plan, init: args, metadata: childMeta }, ctx);
        const same = canonicalJson(s.plan.goals) === canonicalJson(plan.goals) && canonicalJson(s.init) === canonicalJson(args);
        if (!same) throw new EngineError('flow-exists', `flow exists with different plan or init: ${childId}`);
        return undefined;
      }, { expectNew: true });
      const child = await this.deps.runner.repo.load(childId);
      if (child?.deactivatedAt !== undefined) this.notifyParent(child);
    } catch (err) {
      this.record(parent.id, step.id, token, { kind: 'permanent', error: errorText(err) });
    }
  }

  private notifyParent(child: FlowState): void {
    const { parent_flow_id: parentId, parent_step_id: stepId, parent_work_item_token: token } = child.metadata;
    if (typeof parentId !== 'string' || typeof stepId !== 'string' || typeof token !== 'string') return;
    this.deps.runner.background(parentId, (s, ctx) =>
      s ? decideChildResolved(s, stepId, token, child, ctx) : undefined,
    );
  }

  private compensate(state: FlowState, stepId: string, token: string): void {
    const step = state.plan.steps[stepId];
    const exec = state.executions[stepId];
    const item = workItem(exec, token);
    if (!step || !item) return;
    const p = this.deps.invoker
      .compensate({ flowId: state.id, step, token, input: itemArgs(exec?.inputs, item.inputs), output: item.outputs ?? {} })
      .catch((err: unknown) => ({ kind: 'retryable' as const, error: `work not completed\n${errorText(err)}` }))
      .then((outcome) => {
        this.deps.runner.background(state.id, (s, ctx) => (s ? decideCompResult(s, stepId, token, outcome, ctx) : undefined));
      });
    this.track(p);
  }
}
