/** The flow's attributes with provenance: each value, the step that set it (or init) and when. */
import type { AttributeValue, FlowState } from '../api/types';
import { formatClock } from '../format/format';
import { JsonView } from './JsonView';

const Source = ({ value, onSelectStep }: { value: AttributeValue; onSelectStep: (id: string) => void }) =>
  value.step === undefined ? (
    <span className="tag">init</span>
  ) : (
    <button type="button" className="link-button" onClick={() => { onSelectStep(value.step ?? ''); }}>
      {value.step}
    </button>
  );

export const AttributesPanel = ({ flow, onSelectStep }: { flow: FlowState; onSelectStep: (id: string) => void }) => {
  const entries = Object.entries(flow.attributes);
  if (entries.length === 0) return <p className="muted">No attribute has a value yet.</p>;
  return (
    <table className="table attributes-table">
      <thead>
        <tr>
          <th scope="col">Attribute</th>
          <th scope="col">Value</th>
          <th scope="col">Set by</th>
          <th scope="col">At</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, attr]) =>
          (attr.values ?? [attr]).map((v, i) => (
            <tr key={`${name}:${String(i)}`} data-attribute={name} className={i > 0 ? 'continued' : ''}>
              <th scope="row">{i === 0 ? <code>{name}</code> : <span className="muted small">value {i + 1}</span>}</th>
              <td>
                <JsonView value={v.value} className="inline" />
              </td>
              <td>
                <Source value={v} onSelectStep={onSelectStep} />
              </td>
              <td className="muted">{formatClock(v.set_at)}</td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
};
