/**
 * How one step looks in a diagram: header with health, name, id and type; one row per input (handle on the left)
 * and output (handle on the right). Classes carry plan marks and live status; CSS does the colours and animation.
 */
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { Port } from '../diagram/graph';
import { NODE_WIDTH, nodeHeight } from '../diagram/graph';
import type { StepNode } from '../diagram/flow-elements';
import { HealthDot } from './HealthDot';
import { StatusBadge } from './StatusBadge';

const PortRow = ({ port, side, emphasised }: { port: Port; side: 'in' | 'out'; emphasised: boolean }) => (
  <li
    className={`port port-${side} role-${port.role}${emphasised ? ' port-emphasised' : ''}`}
    title={`${port.name}: ${port.role}${port.type === undefined ? '' : ` ${port.type}`}${port.forEach === true ? ', for each' : ''}`}
  >
    {side === 'in' && port.connectable && (
      <Handle type="target" position={Position.Left} id={`in:${port.name}`} isConnectable={false} />
    )}
    <span className="port-name">
      {port.forEach === true && <span aria-hidden="true">⋯ </span>}
      {port.name}
    </span>
    <span className="port-role">{port.role === 'output' ? port.type ?? '' : port.role === 'required' ? port.type ?? '' : port.role}</span>
    {side === 'out' && <Handle type="source" position={Position.Right} id={`out:${port.name}`} isConnectable={false} />}
  </li>
);

export const StepNodeView = ({ data, selected }: NodeProps<StepNode>) => {
  const { step, decoration: d } = data;
  const emphasise = new Set(d.emphasise ?? []);
  const classes = [
    'step-node',
    `type-${step.type}`,
    d.status === undefined ? '' : `status-${d.status}`,
    d.plan === undefined ? '' : `plan-${d.plan.mark}`,
    d.plan?.goal === true ? 'plan-goal' : '',
    d.dimmed === true ? 'dimmed' : '',
    selected ? 'selected' : '',
  ]
    .filter((c) => c !== '')
    .join(' ');
  return (
    <div className={classes} style={{ width: NODE_WIDTH, height: nodeHeight(step) }} data-step={step.id}>
      <div className="step-node-header">
        <div className="step-node-title">
          {d.health !== undefined && <HealthDot health={d.health} />}
          <span className="step-node-name">{step.name}</span>
        </div>
        <div className="step-node-sub">
          <span className="step-node-id">{step.id}</span>
          {d.status !== undefined ? (
            <StatusBadge status={d.status} />
          ) : d.plan !== undefined && d.plan.mark !== 'outside' ? (
            <StatusBadge status={`plan-${d.plan.mark}`} label={d.plan.goal ? `goal · ${d.plan.mark}` : d.plan.mark} />
          ) : (
            <span className={`type-badge type-${step.type}`}>{step.type}</span>
          )}
        </div>
        {d.work !== undefined && d.work.total > 0 && (
          <div className="step-node-progress" aria-hidden="true">
            <span style={{ width: `${String((d.work.done / d.work.total) * 100)}%` }} />
          </div>
        )}
      </div>
      <ul className="ports">
        {step.inputs.map((p) => (
          <PortRow key={`in:${p.name}`} port={p} side="in" emphasised={emphasise.has(p.name)} />
        ))}
        {step.outputs.map((p) => (
          <PortRow key={`out:${p.name}`} port={p} side="out" emphasised={false} />
        ))}
        {step.inputs.length + step.outputs.length === 0 && <li className="port port-none">no attributes</li>}
      </ul>
    </div>
  );
};
