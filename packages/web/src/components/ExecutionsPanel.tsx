/** Every plan step's execution: status, timing, error or skip reason, inputs/outputs and its work items. */
import { useEffect, useRef } from 'react';
import type { ExecutionState, FlowState } from '../api/types';
import { formatClock, formatDuration, jsonPreview, shortToken } from '../format/format';
import { orderedWork, retriesOf } from '../state/flow-model';
import { JsonView } from './JsonView';
import { Link } from './Link';
import { StatusBadge } from './StatusBadge';
import { TypeBadge } from './TypeBadge';

/** Started steps first (by start time), then the rest by id. */
const executionOrder = (flow: FlowState): [string, ExecutionState][] =>
  Object.entries(flow.executions).sort(([a, x], [b, y]) => {
    if (x.started_at !== undefined && y.started_at !== undefined) return x.started_at < y.started_at ? -1 : x.started_at > y.started_at ? 1 : a < b ? -1 : 1;
    if (x.started_at !== undefined) return -1;
    if (y.started_at !== undefined) return 1;
    return a < b ? -1 : 1;
  });

const WorkTable = ({ flow, stepId, exec }: { flow: FlowState; stepId: string; exec: ExecutionState }) => {
  const items = orderedWork(exec);
  if (items.length === 0) return null;
  const isFlowStep = flow.plan.steps[stepId]?.type === 'flow';
  return (
    <table className="table compact work-table">
      <caption className="visually-hidden">Work items of {stepId}</caption>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Item</th>
          <th scope="col">Status</th>
          <th scope="col">Retries</th>
          <th scope="col">Node</th>
          <th scope="col">Started</th>
          <th scope="col">Finished</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {items.map(([token, w]) => (
          <tr key={token} data-work-status={w.status}>
            <td>{w.index}</td>
            <td>
              {isFlowStep ? (
                <Link href={`/flows/${encodeURIComponent(`${flow.id}:${stepId}:${token}`)}`} title={`child flow of item ${token}`}>
                  {shortToken(token)}
                </Link>
              ) : (
                <code title={token}>{shortToken(token)}</code>
              )}
            </td>
            <td>
              <StatusBadge status={w.status} />
            </td>
            <td>{(w.retry_count ?? 0) + (w.comp_retry_count ?? 0) > 0 ? `${String(w.retry_count ?? 0)}${w.comp_retry_count ? ` + ${String(w.comp_retry_count)} comp` : ''}` : ''}</td>
            <td>{w.node_id ?? ''}</td>
            <td>{formatClock(w.started_at)}</td>
            <td>{formatClock(w.completed_at)}</td>
            <td className="work-detail">
              {w.error !== undefined && <div className="error-text pre-line">{w.error}</div>}
              {w.reason !== undefined && <div className="muted">{w.reason}</div>}
              {w.next_retry_at !== undefined && <div className="muted">next try {formatClock(w.next_retry_at)}</div>}
              {Object.keys(w.inputs).length > 0 && <div className="muted small">in {jsonPreview(w.inputs, 60)}</div>}
              {w.outputs !== undefined && <div className="muted small">out {jsonPreview(w.outputs, 60)}</div>}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
};

export const ExecutionsPanel = ({ flow, selected, onSelect }: { flow: FlowState; selected?: string; onSelect: (id: string) => void }) => {
  const selectedRef = useRef<HTMLElement>(null);
  useEffect(() => {
    selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const goals = new Set(flow.plan.goals);
  return (
    <ol className="executions">
      {executionOrder(flow).map(([stepId, exec]) => {
        const step = flow.plan.steps[stepId];
        const retries = retriesOf(exec);
        return (
          <li key={stepId}>
            <article
              ref={selected === stepId ? selectedRef : undefined}
              className={`execution status-${exec.status} ${selected === stepId ? 'selected' : ''}`}
              data-step={stepId}
              data-status={exec.status}
              aria-label={`${stepId}: ${exec.status}`}
            >
              <header className="execution-head">
                <button type="button" className="link-button" onClick={() => { onSelect(stepId); }}>
                  <span className="execution-name">{step?.name ?? stepId}</span> <code className="muted">{stepId}</code>
                </button>
                {goals.has(stepId) && <span className="tag">goal</span>}
                {step !== undefined && <TypeBadge type={step.type} />}
                <span className="spacer" />
                {retries > 0 && <span className="tag warn">{retries} {retries === 1 ? 'retry' : 'retries'}</span>}
                {exec.duration !== undefined && <span className="muted small">{formatDuration(exec.duration)}</span>}
                <StatusBadge status={exec.status} />
              </header>
              {exec.error !== undefined && (
                <p className="error-text pre-line" data-testid="step-error">
                  {exec.error}
                </p>
              )}
              {exec.reason !== undefined && (
                <p className="muted">
                  Skipped: {exec.reason}
                  {exec.unsatisfied !== undefined && ` (${exec.unsatisfied.join(', ')})`}
                </p>
              )}
              <WorkTable flow={flow} stepId={stepId} exec={exec} />
              {(exec.inputs !== undefined || exec.outputs !== undefined) && (
                <details className="io">
                  <summary>Inputs and outputs</summary>
                  <div className="io-grid">
                    <div>
                      <h4>Inputs</h4>
                      <JsonView value={exec.inputs ?? {}} />
                    </div>
                    <div>
                      <h4>Outputs</h4>
                      <JsonView value={exec.outputs ?? {}} />
                    </div>
                  </div>
                </details>
              )}
            </article>
          </li>
        );
      })}
    </ol>
  );
};
