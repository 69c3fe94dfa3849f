/**
 * Plan preview and flow start: pick goals, see the engine's plan (`POST /engine/plan`) highlighted on the catalog
 * diagram — included, satisfied, missing, blocked — fill in the init values it requires, and start the flow.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { suggestFlowId } from '../api/ids';
import type { ExecutionPlan } from '../api/types';
import { useServices, useStore } from '../app/services';
import { Diagram } from '../components/Diagram';
import { EmptyState } from '../components/EmptyState';
import { GoalPicker } from '../components/GoalPicker';
import { Link } from '../components/Link';
import { PlanSummaryView } from '../components/PlanSummaryView';
import { StartFlowForm } from '../components/StartFlowForm';
import type { EdgeDecoration, StepDecoration } from '../diagram/flow-elements';
import { buildGraph } from '../diagram/graph';
import { markPlan } from '../diagram/marks';
import { stepHealth } from '../state/engine-model';
import { buildStartRequest, initFields, previewInit, type ExtraInit } from '../state/init-form';

type Preview = { phase: 'idle' } | { phase: 'loading' } | { phase: 'ready'; plan: ExecutionPlan } | { phase: 'error'; message: string };

export const PlanPage = ({ goals }: { goals: string[] }) => {
  const { api, nav, engine } = useServices();
  const model = useStore(engine.store).model;
  const [extras, setExtras] = useState<ExtraInit[]>([]);
  const [values, setValues] = useState<Record<string, string>>({});
  const [flowId, setFlowId] = useState(() => (goals.length > 0 ? suggestFlowId(goals, Date.now(), Math.random()) : ''));
  const [labels, setLabels] = useState('');
  const [preview, setPreview] = useState<Preview>({ phase: 'idle' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [starting, setStarting] = useState(false);

  const goalKey = goals.join(',');
  const initKey = JSON.stringify(previewInit(extras));
  useEffect(() => {
    if (goalKey === '') {
      setPreview({ phase: 'idle' });
      return;
    }
    let current = true;
    setPreview((p) => (p.phase === 'ready' ? p : { phase: 'loading' }));
    api.plan(goalKey.split(','), JSON.parse(initKey) as Record<string, never>).then(
      (plan) => {
        if (current) setPreview({ phase: 'ready', plan });
      },
      (error: unknown) => {
        if (current) setPreview({ phase: 'error', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [api, goalKey, initKey, model.steps]);

  const setGoals = (next: string[]): void => {
    nav.navigate(next.length === 0 ? '/plan' : `/plan?goals=${next.map(encodeURIComponent).join(',')}`, { replace: true });
    if (next.length > 0 && (flowId === '' || goals.length === 0)) setFlowId(suggestFlowId(next, Date.now(), Math.random()));
  };

  const plan = preview.phase === 'ready' ? preview.plan : undefined;
  const graph = useMemo(() => buildGraph(model.steps, model.attributes), [model.steps, model.attributes]);
  const marks = useMemo(() => (plan === undefined ? undefined : markPlan(plan, graph)), [plan, graph]);
  const fields = useMemo(() => (plan === undefined ? [] : initFields(plan, model.steps)), [plan, model.steps]);

  const decorateStep = useCallback(
    (id: string): StepDecoration => {
      const mark = marks?.steps[id];
      const d: StepDecoration = { health: stepHealth(model, id) };
      if (mark !== undefined) {
        d.plan = mark;
        d.dimmed = mark.mark === 'outside';
        d.emphasise = mark.required;
      }
      return d;
    },
    [marks, model],
  );
  const decorateEdge = useCallback(
    (edgeId: string): EdgeDecoration =>
      marks === undefined ? {} : marks.edges.has(edgeId) ? { className: 'edge-plan', animated: true } : { className: 'edge-dim' },
    [marks],
  );
  const focusIds = useMemo(
    () => (marks === undefined ? [] : Object.entries(marks.steps).filter(([, m]) => m.mark !== 'outside').map(([id]) => id)),
    [marks],
  );

  const start = async (): Promise<void> => {
    const built = buildStartRequest({ flowId, goals, fields, values, extras, labels });
    if (!built.ok) {
      setErrors(built.errors);
      return;
    }
    setErrors({});
    setStarting(true);
    try {
      const id = await api.startFlow(built.request);
      nav.navigate(`/flows/${encodeURIComponent(id)}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const field = error instanceof ApiError && (error.code === 'invalid-flow' || error.code === 'flow-exists') ? 'id' : 'form';
      setErrors({ [field]: message });
    } finally {
      setStarting(false);
    }
  };

  if (Object.keys(model.steps).length === 0) {
    return (
      <EmptyState title="Nothing to plan yet">
        <p>Register steps first; a plan works backwards from the goal steps you choose.</p>
        <Link className="button primary" href="/steps/new">
          Register a step
        </Link>
      </EmptyState>
    );
  }

  return (
    <div className="plan-page">
      <aside className="panel sidebar plan-sidebar" aria-label="Plan and start">
        <GoalPicker steps={model.steps} goals={goals} onChange={setGoals} />
        {preview.phase === 'loading' && (
          <p className="muted" role="status">
            Computing the plan…
          </p>
        )}
        {preview.phase === 'error' && (
          <p className="notice error" role="alert">
            {preview.message}
          </p>
        )}
        {plan !== undefined && goals.length > 0 && (
          <>
            <PlanSummaryView plan={plan} />
            <StartFlowForm
              flowId={flowId}
              onFlowId={setFlowId}
              fields={fields}
              values={values}
              onValue={(name, value) => {
                setValues((v) => ({ ...v, [name]: value }));
              }}
              extras={extras}
              onExtras={setExtras}
              labels={labels}
              onLabels={setLabels}
              errors={errors}
              starting={starting}
              onStart={() => void start()}
            />
          </>
        )}
        {goals.length === 0 && <p className="muted">Choose one or more goal steps to see the plan.</p>}
      </aside>
      <section className="diagram-area" aria-label="Plan diagram">
        <Diagram
          graph={graph}
          decorateStep={decorateStep}
          decorateEdge={decorateEdge}
          focusIds={focusIds}
          onSelect={(id) => {
            if (id !== undefined && !goals.includes(id)) setGoals([...goals, id]);
          }}
          label="Catalog diagram with the plan highlighted; select a step to add it as a goal"
        />
        <div className="legend" aria-hidden="true">
          <span className="legend-item plan-included">included</span>
          <span className="legend-item plan-satisfied">satisfied by init</span>
          <span className="legend-item plan-missing">missing inputs</span>
          <span className="legend-item plan-blocked">blocked</span>
          <span className="muted">select a step to add it as a goal</span>
        </div>
      </section>
    </div>
  );
};
