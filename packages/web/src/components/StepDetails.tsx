/** The side panel describing one catalog step: health per node, attributes, configuration and actions. */
import type { Step } from '../api/types';
import { type EngineModel, stepHealth } from '../state/engine-model';
import { formatDuration } from '../format/format';
import { CodeBlock } from './CodeBlock';
import { HealthDot } from './HealthDot';
import { Link } from './Link';
import { TypeBadge } from './TypeBadge';

const modifiers = (spec: Step['attributes'][string]): string[] => {
  const out: string[] = [];
  if (spec.mapping?.name !== undefined) out.push(`as ${spec.mapping.name}`);
  if (spec.mapping?.script !== undefined) out.push(`mapped (${spec.mapping.script.language})`);
  if (spec.for_each === true) out.push('for each');
  if (spec.collect !== undefined) out.push(`collect ${spec.collect}`);
  if (spec.match !== undefined) out.push(`match (${spec.match.language})`);
  if (spec.default !== undefined) out.push(spec.role === 'const' ? `= ${spec.default}` : `default ${spec.default}`);
  if (spec.deadline !== undefined) out.push(`deadline ${formatDuration(spec.deadline)}`);
  if (spec.key !== undefined) out.push(`key ${spec.key}`);
  return out;
};

const StepLinks = ({ ids }: { ids: string[] }) =>
  ids.length === 0 ? (
    <span className="muted">none</span>
  ) : (
    <>
      {ids.map((id, i) => (
        <span key={id}>
          {i > 0 && ', '}
          <Link href={`/steps/${encodeURIComponent(id)}`}>{id}</Link>
        </span>
      ))}
    </>
  );

export const StepDetails = ({ step, model, onClose }: { step: Step; model: EngineModel; onClose: () => void }) => {
  const health = stepHealth(model, step.id);
  const attributes = Object.entries(step.attributes).sort(([a], [b]) => (a < b ? -1 : 1));
  const providersOf = (name: string): string[] => (model.attributes[name]?.providers ?? []).filter((p) => p !== step.id);
  const consumersOf = (name: string): string[] => (model.attributes[name]?.consumers ?? []).filter((c) => c !== step.id);
  return (
    <aside className="panel details" aria-label={`Step ${step.id}`}>
      <div className="panel-head">
        <div>
          <h2 className="details-title">
            <HealthDot health={health} /> {step.name}
          </h2>
          <div className="details-sub">
            <code>{step.id}</code> <TypeBadge type={step.type} />
            {step.memoizable === true && <span className="tag">memoizable</span>}
          </div>
        </div>
        <button type="button" className="button ghost icon" onClick={onClose} aria-label="Close details">
          ×
        </button>
      </div>
      <div className="details-actions">
        <Link className="button primary" href={`/steps/${encodeURIComponent(step.id)}`}>
          Edit step
        </Link>
        <Link className="button" href={`/plan?goals=${encodeURIComponent(step.id)}`}>
          Plan with this goal
        </Link>
      </div>

      <section>
        <h3>Health</h3>
        <ul className="health-list">
          {health.perNode.length === 0 && <li className="muted">no node has reported yet</li>}
          {health.perNode.map((n) => (
            <li key={n.node}>
              <span className={`health-dot health-${n.status}`} aria-hidden="true" /> <code>{n.node}</code> {n.status}
              {n.error !== undefined && <div className="error-text">{n.error}</div>}
            </li>
          ))}
        </ul>
      </section>

      <section>
        <h3>Attributes</h3>
        {attributes.length === 0 ? (
          <p className="muted">This step declares no attributes.</p>
        ) : (
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Links</th>
              </tr>
            </thead>
            <tbody>
              {attributes.map(([name, spec]) => (
                <tr key={name}>
                  <td>
                    <code>{name}</code>
                    {spec.type !== undefined && <span className="muted"> : {spec.type}</span>}
                    {modifiers(spec).length > 0 && <div className="muted small">{modifiers(spec).join(' · ')}</div>}
                  </td>
                  <td>
                    <span className={`role role-${spec.role}`}>{spec.role}</span>
                  </td>
                  <td className="small">
                    {spec.role === 'output' ? (
                      <>
                        to <StepLinks ids={consumersOf(name)} />
                      </>
                    ) : spec.role === 'required' || spec.role === 'optional' ? (
                      <>
                        from <StepLinks ids={providersOf(name)} />
                      </>
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {step.http !== undefined && (
        <section>
          <h3>HTTP</h3>
          <dl className="kv">
            <dt>Endpoint</dt>
            <dd>
              <code>
                {step.http.method ?? 'POST'} {step.http.endpoint}
              </code>
            </dd>
            <dt>Timeout</dt>
            <dd>{step.http.timeout ? formatDuration(step.http.timeout) : 'engine default'}</dd>
            {step.http.async_timeout !== undefined && (
              <>
                <dt>Async timeout</dt>
                <dd>{formatDuration(step.http.async_timeout)}</dd>
              </>
            )}
            {step.http.compensate !== undefined && (
              <>
                <dt>Compensate</dt>
                <dd>
                  <code>{step.http.compensate}</code>
                </dd>
              </>
            )}
            {step.http.health_check !== undefined && (
              <>
                <dt>Health check</dt>
                <dd>
                  <code>{step.http.health_check}</code>
                </dd>
              </>
            )}
          </dl>
        </section>
      )}
      {step.script !== undefined && (
        <section>
          <h3>Script</h3>
          <CodeBlock language={step.script.language} source={step.script.script} />
        </section>
      )}
      {step.flow !== undefined && (
        <section>
          <h3>Sub-flow goals</h3>
          <StepLinks ids={step.flow.goals} />
        </section>
      )}
      {step.predicate !== undefined && (
        <section>
          <h3>Predicate</h3>
          <CodeBlock language={step.predicate.language} source={step.predicate.script} />
        </section>
      )}
      {step.work_config !== undefined && (
        <section>
          <h3>Work</h3>
          <dl className="kv">
            <dt>Parallelism</dt>
            <dd>{step.work_config.parallelism ?? 1}</dd>
            <dt>Retries</dt>
            <dd>
              {step.work_config.max_retries !== undefined && step.work_config.max_retries < 0
                ? 'unlimited'
                : step.work_config.max_retries}{' '}
              · {step.work_config.backoff_type} backoff {formatDuration(step.work_config.init_backoff)} –{' '}
              {formatDuration(step.work_config.max_backoff)}
            </dd>
          </dl>
        </section>
      )}
      {step.labels !== undefined && Object.keys(step.labels).length > 0 && (
        <section>
          <h3>Labels</h3>
          <div className="chips">
            {Object.entries(step.labels).map(([k, v]) => (
              <span key={k} className="chip">
                {k}={v}
              </span>
            ))}
          </div>
        </section>
      )}
    </aside>
  );
};
