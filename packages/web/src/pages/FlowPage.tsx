/**
 * Live flow view: the plan as a diagram whose steps change colour as events arrive, with tabs for step executions
 * (work items, retries, errors), attributes with provenance and the raw event log. State comes from
 * state/flow-store.ts (WebSocket snapshot + events, REST history).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useServices, useStore } from '../app/services';
import { AttributesPanel } from '../components/AttributesPanel';
import { Diagram } from '../components/Diagram';
import { EmptyState } from '../components/EmptyState';
import { EventLog } from '../components/EventLog';
import { ExecutionsPanel } from '../components/ExecutionsPanel';
import { FlowHeader } from '../components/FlowHeader';
import { Link } from '../components/Link';
import { Tabs } from '../components/Tabs';
import type { EdgeDecoration, StepDecoration } from '../diagram/flow-elements';
import { buildGraph } from '../diagram/graph';
import { markFlow } from '../diagram/marks';
import { createFlowStore } from '../state/flow-store';
import { firstFailedStep, retriesOf } from '../state/flow-model';

const TABS = [
  { id: 'steps', label: 'Steps' },
  { id: 'attributes', label: 'Attributes' },
  { id: 'events', label: 'Events' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export const FlowPage = ({ flowId }: { flowId: string }) => {
  const { api, socket } = useServices();
  const flowStore = useMemo(() => createFlowStore(api, socket, flowId), [api, socket, flowId]);
  useEffect(() => flowStore.start(), [flowStore]);
  const view = useStore(flowStore.store);
  const flow = view.flow;
  const [tab, setTab] = useState<TabId>('steps');
  const [selected, setSelected] = useState<string | undefined>(undefined);

  const graph = useMemo(() => (flow === undefined ? undefined : buildGraph(flow.plan.steps, flow.plan.attributes)), [flow?.plan]);
  const marks = useMemo(() => (flow === undefined || graph === undefined ? undefined : markFlow(flow, graph)), [flow, graph]);

  const decorateStep = useCallback(
    (id: string): StepDecoration => {
      const exec = flow?.executions[id];
      const d: StepDecoration = { status: marks?.steps[id] ?? 'pending' };
      if (exec !== undefined) {
        const items = Object.values(exec.work_items);
        const done = items.filter((w) => ['succeeded', 'failed', 'skipped', 'compensated', 'compensation_failed'].includes(w.status)).length;
        d.work = { done, total: items.length, retries: retriesOf(exec), failed: items.filter((w) => w.status === 'failed').length };
      }
      return d;
    },
    [flow, marks],
  );
  const decorateEdge = useCallback(
    (edgeId: string): EdgeDecoration => {
      const carried = marks?.edges[edgeId] === 'carried';
      const target = graph?.edges.find((e) => e.id === edgeId)?.target;
      const active = target !== undefined && marks?.steps[target] === 'active';
      return { className: carried ? 'edge-carried' : 'edge-idle', animated: carried && active };
    },
    [marks, graph],
  );

  if (view.phase === 'loading' && flow === undefined) {
    return <div className="page-loading" role="status">Loading flow {flowId}…</div>;
  }
  if (flow === undefined || graph === undefined) {
    return (
      <EmptyState title={`Flow ${flowId} not found`}>
        <p className="muted">{view.error ?? 'This page follows the flow and shows it as soon as it starts.'}</p>
        <Link className="button" href="/flows">
          All flows
        </Link>
      </EmptyState>
    );
  }

  // A failed flow opens on its failed step, so the error is in view without searching.
  const shown = selected ?? (flow.status === 'failed' ? firstFailedStep(flow) : undefined);

  const selectStep = (id: string | undefined): void => {
    setSelected(id);
    if (id !== undefined) setTab('steps');
  };

  return (
    <div className="page flow-page" data-flow-status={flow.status}>
      <FlowHeader flow={flow} />
      <div className="flow-body">
        <section className="diagram-area flow-diagram" aria-label="Flow plan diagram">
          {graph.steps.length === 0 ? (
            <EmptyState title="Empty plan">
              <p className="muted">The goals were satisfied by the init values or blocked, so no step ran.</p>
            </EmptyState>
          ) : (
            <Diagram
              graph={graph}
              decorateStep={decorateStep}
              decorateEdge={decorateEdge}
              selectedId={shown}
              onSelect={selectStep}
              label="Plan diagram; each step shows its live status"
            />
          )}
          <div className="legend" aria-hidden="true">
            {(['pending', 'active', 'completed', 'failed', 'skipped'] as const).map((s) => (
              <span key={s} className={`legend-item status-${s}`}>
                {s}
              </span>
            ))}
          </div>
        </section>
        <section className="panel flow-panel" aria-label="Flow details">
          <Tabs tabs={TABS} current={tab} onChange={setTab} label="Flow details">
            {tab === 'steps' && <ExecutionsPanel flow={flow} selected={shown} scrollTo={selected} onSelect={setSelected} />}
            {tab === 'attributes' && <AttributesPanel flow={flow} onSelectStep={selectStep} />}
            {tab === 'events' && <EventLog events={view.events} />}
          </Tabs>
        </section>
      </div>
    </div>
  );
};
