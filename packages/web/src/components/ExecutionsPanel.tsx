/** Every plan step's execution: status, timing, error or skip reason, inputs/outputs and its work items. */
import { useEffect, useRef, useState } from 'react';
import type { ExecutionState, FlowState, WorkState } from '../api/types';
import { formatClock, formatDuration, jsonPreview, shortToken } from '../format/format';
import { orderedWork, planOrder, retriesOf } from '../state/flow-model';
import { JsonView } from './JsonView';
import { Link } from './Link';
import { StatusBadge } from './StatusBadge';
import { TypeBadge } from './TypeBadge';

const retryText = (w: WorkState): string => {
  const parts: string[] = [];
  if ((w.retry_count ?? 0) > 0) parts.push(String(w.retry_count));
  if ((w.comp_retry_count ?? 0) > 0) parts.push(`${String(w.comp_retry_count)} comp.`);
  return parts.join(' + ');
};

/** Work items rendered per step at first; a for_each step can have up to 10 000. */
const ITEM_LIMIT = 100;

const WorkTable = ({ flow, stepId, exec }: { flow: FlowState; stepId: string; exec: ExecutionState }) => {
  const [showAll, setShowAll] = useState(false);
  const all = orderedWork(exec);
  if (all.length === 0) return null;
  const items = showAll ? all : all.slice(0, ITEM_LIMIT);
  const isFlowStep = flow.plan.steps[stepId]?.type === 'flow';
  return (
    <table className="table compact work-table">
      <caption className="visually-hidden">Work items of {stepId}</caption>
      <colgroup>
        <col className="col-index" />
        <col className="col-item" />
        <col className="col-status" />
        <col className="col-retries" />
        <col className="col-time" />
        <col />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Item</th>
          <th scope="col">Status</th>
          <th scope="col">Retries</th>
          <th scope="col">Time</th>
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
              {w.node_id !== undefined && <div className="muted small">{w.node_id}</div>}
            </td>
            <td>
              <StatusBadge status={w.status} />
            </td>
            <td>{retryText(w)}</td>
            <td className="nowrap">
              {formatClock(w.started_at)}
              {w.completed_at !== undefined && w.started_at !== undefined && (
                <div className="muted small">took {formatDuration(Date.parse(w.completed_at) - Date.parse(w.started_at))}</div>
              )}
            </td>
            <td className="work-detail">
              {w.error !== undefined && <div className="error-text pre-line">{w.error}</div>}
              {w.reason !== undefined && <div className="muted">{w.reason}</div>}
              {w.next_retry_at !== undefined && <div className="muted">next try at {formatClock(w.next_retry_at)}</div>}
              {Object.keys(w.inputs).length > 0 && <div className="muted small">in {jsonPreview(w.inputs, 80)}</div>}
              {w.outputs !== undefined && <div className="muted small">out {jsonPreview(w.outputs, 80)}</div>}
            </td>
          </tr>
        ))}
      </tbody>
      {items.length < all.length && (
        <tfoot>
          <tr>
            <td colSpan={6}>
              <button type="button" className="link-button" onClick={() => { setShowAll(true); }}>
                Show all {all.length} work items
              </button>
            </td>
          </tr>
        </tfoot>
      )}
    </table>
  );
};

export interface ExecutionsPanelProps {
  flow: FlowState;
  /** The highlighted step. */
  selected?: string;
  /** A step the user just picked (e.g. in the diagram): scrolled into view. */
  scrollTo?: string;
  onSelect: (id: string) => void;
}

export const ExecutionsPanel = ({ flow, selected, scrollTo, onSelect }: ExecutionsPanelProps) => {
  const selectedRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (scrollTo !== undefined) selectedRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [scrollTo]);
  const goals = new Set(flow.plan.goals);
  return (
    <ol className="executions">
      {planOrder(flow.plan.steps, flow.plan.attributes).map((stepId) => {
        const exec = flow.executions[stepId];
        if (exec === undefined) return null;
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
