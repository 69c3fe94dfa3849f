/** The flow start form: flow id, the init values the plan requires (typed inputs), extra init values and labels. */
import type { ExtraInit, InitField } from '../state/init-form';
import { TextField } from './FormField';

export interface StartFlowFormProps {
  flowId: string;
  onFlowId: (id: string) => void;
  fields: InitField[];
  values: Record<string, string>;
  onValue: (name: string, value: string) => void;
  extras: ExtraInit[];
  onExtras: (extras: ExtraInit[]) => void;
  labels: string;
  onLabels: (labels: string) => void;
  errors: Record<string, string>;
  starting: boolean;
  onStart: () => void;
}

const InitInput = ({ field, value, error, onValue }: { field: InitField; value: string; error?: string; onValue: (v: string) => void }) => {
  const id = `init-${field.name}`;
  const label = (
    <label className="field-label" htmlFor={id}>
      <code>{field.name}</code> <span className="muted">{field.type ?? 'any JSON or text'}</span>
    </label>
  );
  const common = {
    id,
    'aria-invalid': error !== undefined,
    'aria-describedby': `${id}-hint${error !== undefined ? ` ${id}-error` : ''}`,
    'data-init': field.name,
  };
  let control;
  if (field.type === 'boolean') {
    control = (
      <select {...common} value={value} onChange={(e) => { onValue(e.target.value); }}>
        <option value="">choose…</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  } else if (field.type === 'object' || field.type === 'array') {
    control = (
      <textarea {...common} className="code" rows={3} value={value} spellCheck={false} placeholder={field.type === 'array' ? '[]' : '{}'} onChange={(e) => { onValue(e.target.value); }} />
    );
  } else {
    control = (
      <input {...common} value={value} inputMode={field.type === 'number' ? 'decimal' : undefined} spellCheck={false} onChange={(e) => { onValue(e.target.value); }} />
    );
  }
  return (
    <div className={`field ${error !== undefined ? 'invalid' : ''}`}>
      {label}
      {control}
      <p className="field-hint" id={`${id}-hint`}>
        used by {field.consumers.join(', ') || 'the plan'}
      </p>
      {error !== undefined && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
};

export const StartFlowForm = (props: StartFlowFormProps) => {
  const { fields, values, errors, extras } = props;
  return (
    <form
      className="start-form"
      aria-labelledby="start-title"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onStart();
      }}
    >
      <h2 id="start-title">Start a flow</h2>
      <TextField label="Flow id" value={props.flowId} onValue={props.onFlowId} error={errors.id} spellCheck={false} name="flow-id" />
      {fields.length === 0 ? (
        <p className="muted small">The plan needs no init values.</p>
      ) : (
        <fieldset className="init-fields">
          <legend>Required init values</legend>
          {fields.map((f) => (
            <InitInput key={f.name} field={f} value={values[f.name] ?? ''} error={errors[f.name]} onValue={(v) => { props.onValue(f.name, v); }} />
          ))}
        </fieldset>
      )}
      <details className="extras" open={extras.length > 0}>
        <summary>Other init values ({extras.length})</summary>
        <p className="muted small">Values you provide up front can satisfy steps, which the plan then skips. JSON, or plain text.</p>
        {extras.map((x, i) => (
          <div key={i} className="extra-row">
            <TextField
              label="Name"
              value={x.name}
              error={errors[`extra:${String(i)}`]}
              spellCheck={false}
              onValue={(name) => {
                props.onExtras(extras.map((e, j) => (j === i ? { ...e, name } : e)));
              }}
            />
            <TextField
              label="Value"
              value={x.text}
              spellCheck={false}
              className="code-input"
              onValue={(text) => {
                props.onExtras(extras.map((e, j) => (j === i ? { ...e, text } : e)));
              }}
            />
            <button
              type="button"
              className="button ghost danger remove-row"
              aria-label={`Remove init value ${x.name}`}
              onClick={() => {
                props.onExtras(extras.filter((_, j) => j !== i));
              }}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          className="button"
          onClick={() => {
            props.onExtras([...extras, { name: '', text: '' }]);
          }}
        >
          Add init value
        </button>
      </details>
      <TextField label="Labels" value={props.labels} onValue={props.onLabels} error={errors.labels} placeholder="tenant=acme, env=dev" spellCheck={false} />
      {errors.form !== undefined && (
        <p className="notice error pre-line" role="alert">
          {errors.form}
        </p>
      )}
      <button type="submit" className="button primary wide" disabled={props.starting}>
        {props.starting ? 'Starting…' : 'Start flow'}
      </button>
    </form>
  );
};
