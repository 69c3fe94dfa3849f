/** Sections of the step editor form: HTTP configuration, sub-flow goals, work configuration and labels. */
import { BACKOFF_TYPES, HTTP_METHODS } from '../api/types';
import { newRowKey, type StepForm } from '../editor/step-form';
import { CheckField, SelectField, TextField } from './FormField';

interface SectionProps {
  form: StepForm;
  patch: (p: Partial<StepForm>) => void;
}

export const HttpSection = ({ form, patch, errorFor }: SectionProps & { errorFor: (field: string) => string | undefined }) => (
  <section className="panel form-section" aria-labelledby="sec-http">
    <h2 id="sec-http">HTTP</h2>
    <div className="grid-http">
      <SelectField
        label="Method"
        value={form.method}
        options={HTTP_METHODS}
        error={errorFor('method')}
        onValue={(method) => {
          patch({ method });
        }}
      />
      <TextField
        label="Endpoint"
        value={form.endpoint}
        placeholder="https://api.example.com/customers/{customer_id}"
        spellCheck={false}
        className="code-input"
        error={errorFor('endpoint')}
        hint="{name} placeholders are filled from required inputs."
        onValue={(endpoint) => {
          patch({ endpoint });
        }}
      />
    </div>
    <div className="grid-3">
      <TextField
        label="Timeout (ms)"
        type="number"
        min={0}
        value={form.timeout}
        placeholder="engine default"
        error={errorFor('timeout')}
        onValue={(timeout) => {
          patch({ timeout });
        }}
      />
      {form.type === 'async' && (
        <TextField
          label="Async timeout (ms)"
          type="number"
          min={0}
          value={form.asyncTimeout}
          placeholder="engine default"
          error={errorFor('asyncTimeout')}
          onValue={(asyncTimeout) => {
            patch({ asyncTimeout });
          }}
        />
      )}
      <TextField
        label="Health check URL"
        value={form.healthCheck}
        placeholder="optional"
        spellCheck={false}
        className="code-input"
        onValue={(healthCheck) => {
          patch({ healthCheck });
        }}
      />
    </div>
    <TextField
      label="Compensation URL"
      value={form.compensate}
      placeholder="optional, called for succeeded items when the step fails"
      spellCheck={false}
      className="code-input"
      error={errorFor('compensate')}
      onValue={(compensate) => {
        patch({ compensate });
      }}
    />
  </section>
);

export const FlowGoalsSection = ({ form, patch, error, candidates }: SectionProps & { error?: string; candidates: string[] }) => {
  const toggle = (id: string): void => {
    patch({ flowGoals: form.flowGoals.includes(id) ? form.flowGoals.filter((g) => g !== id) : [...form.flowGoals, id] });
  };
  const unknown = form.flowGoals.filter((g) => !candidates.includes(g));
  return (
    <section className={`panel form-section ${error !== undefined ? 'invalid' : ''}`} aria-labelledby="sec-flow">
      <h2 id="sec-flow">Sub-flow goals</h2>
      <p className="muted small">The child flow runs until these goals are done; its outputs become this step’s outputs.</p>
      {candidates.length === 0 && unknown.length === 0 && <p className="muted">Register other steps first to use them as goals.</p>}
      <div className="goal-grid" role="group" aria-label="Sub-flow goals">
        {[...unknown, ...candidates].map((id) => (
          <CheckField
            key={id}
            label={id}
            checked={form.flowGoals.includes(id)}
            onValue={() => {
              toggle(id);
            }}
          />
        ))}
      </div>
      {error !== undefined && <p className="field-error">{error}</p>}
    </section>
  );
};

export const WorkSection = ({ form, patch, errorFor }: SectionProps & { errorFor: (field: string) => string | undefined }) => (
  <section className="panel form-section" aria-labelledby="sec-work">
    <h2 id="sec-work">Work and retries</h2>
    <div className="grid-5">
      <TextField
        label="Parallelism"
        type="number"
        min={0}
        value={form.parallelism}
        placeholder="1"
        error={errorFor('parallelism')}
        onValue={(parallelism) => {
          patch({ parallelism });
        }}
      />
      <TextField
        label="Max retries"
        type="number"
        value={form.maxRetries}
        placeholder="default"
        hint="negative = unlimited"
        onValue={(maxRetries) => {
          patch({ maxRetries });
        }}
      />
      <TextField
        label="Initial backoff (ms)"
        type="number"
        min={0}
        value={form.initBackoff}
        placeholder="default"
        error={errorFor('initBackoff')}
        onValue={(initBackoff) => {
          patch({ initBackoff });
        }}
      />
      <TextField
        label="Max backoff (ms)"
        type="number"
        min={0}
        value={form.maxBackoff}
        placeholder="default"
        error={errorFor('maxBackoff')}
        onValue={(maxBackoff) => {
          patch({ maxBackoff });
        }}
      />
      <SelectField
        label="Backoff"
        value={form.backoffType}
        options={[{ value: '', label: 'default' }, ...BACKOFF_TYPES]}
        error={errorFor('backoffType')}
        onValue={(backoffType) => {
          patch({ backoffType });
        }}
      />
    </div>
    <CheckField
      label="Memoizable (reuse results for identical inputs)"
      checked={form.memoizable}
      onValue={(memoizable) => {
        patch({ memoizable });
      }}
    />
  </section>
);

export const LabelsSection = ({ form, patch, error }: SectionProps & { error?: string }) => (
  <section className="panel form-section" aria-labelledby="sec-labels">
    <div className="section-head">
      <h2 id="sec-labels">Labels</h2>
      <button
        type="button"
        className="button"
        onClick={() => {
          patch({ labels: [...form.labels, { key: newRowKey(), name: '', value: '' }] });
        }}
      >
        Add label
      </button>
    </div>
    {form.labels.length === 0 && <p className="muted">No labels.</p>}
    {form.labels.map((row, i) => (
      <div key={row.key} className="label-row">
        <TextField
          label={`Label ${String(i + 1)} key`}
          value={row.name}
          spellCheck={false}
          onValue={(name) => {
            patch({ labels: form.labels.map((r) => (r.key === row.key ? { ...r, name } : r)) });
          }}
        />
        <TextField
          label="Value"
          value={row.value}
          onValue={(value) => {
            patch({ labels: form.labels.map((r) => (r.key === row.key ? { ...r, value } : r)) });
          }}
        />
        <button
          type="button"
          className="button ghost danger remove-row"
          aria-label={`Remove label ${row.name}`}
          onClick={() => {
            patch({ labels: form.labels.filter((r) => r.key !== row.key) });
          }}
        >
          Remove
        </button>
      </div>
    ))}
    {error !== undefined && <p className="field-error">{error}</p>}
  </section>
);
