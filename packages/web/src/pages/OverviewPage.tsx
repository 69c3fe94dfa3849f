/**
 * Overview: the step catalog as a dependency diagram, live from the `["engine"]` stream, with health dots,
 * search and type filters, a keyboard-friendly step list and a details panel for the selected step.
 */
import { useCallback, useMemo, useState } from 'react';
import { STEP_TYPES, type StepType } from '../api/types';
import { useServices, useStore } from '../app/services';
import { Diagram } from '../components/Diagram';
import { EmptyState } from '../components/EmptyState';
import { HealthDot } from '../components/HealthDot';
import { Link } from '../components/Link';
import { StepDetails } from '../components/StepDetails';
import { TypeBadge } from '../components/TypeBadge';
import type { StepDecoration } from '../diagram/flow-elements';
import { buildGraph, filterSteps } from '../diagram/graph';
import { HELLO_SCRIPT } from '../editor/examples';
import { stepHealth } from '../state/engine-model';

export const OverviewPage = () => {
  const { engine, api, nav } = useServices();
  const view = useStore(engine.store);
  const model = view.model;
  const [query, setQuery] = useState('');
  const [types, setTypes] = useState<ReadonlySet<StepType>>(new Set(STEP_TYPES));
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [exampleError, setExampleError] = useState<string | undefined>(undefined);

  const { visible } = useMemo(() => filterSteps(model.steps, query, types), [model.steps, query, types]);
  const graph = useMemo(() => buildGraph(visible, model.attributes), [visible, model.attributes]);
  const decorate = useCallback((id: string): StepDecoration => ({ health: stepHealth(model, id) }), [model]);
  const ids = Object.keys(visible).sort();
  const total = Object.keys(model.steps).length;
  const selectedStep = selected === undefined ? undefined : model.steps[selected];

  const toggleType = (type: StepType): void => {
    const next = new Set(types);
    if (next.has(type)) next.delete(type);
    else next.add(type);
    setTypes(next);
  };

  const addExample = async (): Promise<void> => {
    setExampleError(undefined);
    try {
      await api.createStep(HELLO_SCRIPT);
      setSelected('hello-script');
    } catch (error) {
      setExampleError(error instanceof Error ? error.message : String(error));
    }
  };

  if (view.phase === 'loading') {
    return <div className="page-loading" role="status">Loading the catalog…</div>;
  }

  if (total === 0) {
    return (
      <EmptyState title="No steps registered yet">
        <p>
          Steps declare what they need and what they produce. Register one and the engine can plan flows around it.
        </p>
        <div className="row">
          <Link className="button primary" href="/steps/new">
            Register a step
          </Link>
          <button type="button" className="button" onClick={() => void addExample()}>
            Add the hello-script example
          </button>
        </div>
        {exampleError !== undefined && <p className="error-text">{exampleError}</p>}
      </EmptyState>
    );
  }

  return (
    <div className={`overview ${selectedStep === undefined ? '' : 'with-details'}`}>
      <aside className="panel sidebar" aria-label="Steps">
        <div className="sidebar-head">
          <label className="field">
            <span className="field-label">Search steps</span>
            <input
              type="search"
              value={query}
              placeholder="id, name, attribute, label…"
              onChange={(e) => {
                setQuery(e.target.value);
              }}
            />
          </label>
          <div className="toggle-row" role="group" aria-label="Step types">
            {STEP_TYPES.map((type) => (
              <button
                key={type}
                type="button"
                className={`toggle type-${type}`}
                aria-pressed={types.has(type)}
                onClick={() => {
                  toggleType(type);
                }}
              >
                {type}
              </button>
            ))}
          </div>
          <p className="muted small" aria-live="polite">
            {ids.length === total ? `${String(total)} steps` : `${String(ids.length)} of ${String(total)} steps`}
          </p>
        </div>
        <ul className="step-list">
          {ids.map((id) => {
            const step = model.steps[id];
            if (step === undefined) return null;
            return (
              <li key={id}>
                <button
                  type="button"
                  className={`step-list-item ${selected === id ? 'selected' : ''}`}
                  aria-pressed={selected === id}
                  onClick={() => {
                    setSelected(selected === id ? undefined : id);
                  }}
                >
                  <HealthDot health={stepHealth(model, id)} />
                  <span className="step-list-text">
                    <span className="step-list-name">{step.name}</span>
                    <code className="step-list-id">{id}</code>
                  </span>
                  <TypeBadge type={step.type} />
                </button>
              </li>
            );
          })}
        </ul>
        <div className="sidebar-foot">
          <Link className="button primary" href="/steps/new">
            New step
          </Link>
          <Link className="button" href="/plan">
            Plan a flow
          </Link>
        </div>
      </aside>
      <section className="diagram-area" aria-label="Catalog diagram">
        {ids.length === 0 ? (
          <EmptyState title="No step matches the filter" />
        ) : (
          <Diagram
            graph={graph}
            decorateStep={decorate}
            selectedId={selected}
            onSelect={setSelected}
            onOpen={(id) => {
              nav.navigate(`/steps/${encodeURIComponent(id)}`);
            }}
            label="Step dependency diagram: steps with their inputs and outputs; edges connect an output to the steps that consume it"
          />
        )}
        <div className="legend" aria-hidden="true">
          <span>
            <span className="health-dot health-healthy" /> healthy
          </span>
          <span>
            <span className="health-dot health-unknown" /> unknown
          </span>
          <span>
            <span className="health-dot health-unhealthy" /> unhealthy
          </span>
          <span className="muted">double-click a step to edit it</span>
        </div>
      </section>
      {selectedStep !== undefined && (
        <StepDetails
          step={selectedStep}
          model={model}
          onClose={() => {
            setSelected(undefined);
          }}
        />
      )}
    </div>
  );
};
