/** The flow's headline: id, outcome, timing, goals, labels, parent flow and — when failed — the error. */
import type { FlowState } from '../api/types';
import { formatDateTime, formatDuration } from '../format/format';
import { stepCounts } from '../state/flow-model';
import { Link } from './Link';
import { StatusBadge } from './StatusBadge';

export const FlowHeader = ({ flow }: { flow: FlowState }) => {
  const counts = stepCounts(flow);
  const total = Object.keys(flow.executions).length;
  const finished = counts.completed + counts.failed + counts.skipped;
  const parent = typeof flow.metadata?.parent_flow_id === 'string' ? flow.metadata.parent_flow_id : undefined;
  const elapsed =
    flow.completed_at === undefined ? undefined : new Date(flow.completed_at).getTime() - new Date(flow.created_at).getTime();
  return (
    <header className="flow-header">
      <div className="flow-title">
        <h1>
          <span className="muted">Flow</span> <code>{flow.id}</code>
        </h1>
        <StatusBadge status={flow.status} />
        {flow.deactivated_at !== undefined ? (
          <span className="tag" title="No pending, active or compensating work is left">
            settled
          </span>
        ) : flow.status !== 'active' ? (
          <span className="tag">finishing work…</span>
        ) : null}
      </div>
      <dl className="flow-meta">
        <div>
          <dt>Goals</dt>
          <dd>{flow.plan.goals.join(', ')}</dd>
        </div>
        <div>
          <dt>Progress</dt>
          <dd>
            <span data-testid="flow-progress">
              {finished}/{total} steps
            </span>
            {counts.active > 0 && <span className="muted"> · {counts.active} running</span>}
            {counts.failed > 0 && <span className="error-text"> · {counts.failed} failed</span>}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatDateTime(flow.created_at)}</dd>
        </div>
        {elapsed !== undefined && (
          <div>
            <dt>Took</dt>
            <dd>{formatDuration(elapsed)}</dd>
          </div>
        )}
        {parent !== undefined && (
          <div>
            <dt>Parent</dt>
            <dd>
              <Link href={`/flows/${encodeURIComponent(parent)}`}>{parent}</Link>
            </dd>
          </div>
        )}
        {flow.labels !== undefined && (
          <div>
            <dt>Labels</dt>
            <dd className="chips">
              {Object.entries(flow.labels).map(([k, v]) => (
                <span key={k} className="chip">
                  {k}={v}
                </span>
              ))}
            </dd>
          </div>
        )}
      </dl>
      {flow.error !== undefined && (
        <div className="notice error flow-error" role="alert" data-testid="flow-error">
          <strong>Flow failed</strong>
          <p className="pre-line">{flow.error}</p>
        </div>
      )}
    </header>
  );
};
