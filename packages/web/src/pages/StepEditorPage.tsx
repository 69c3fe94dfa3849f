/**
 * Step editor: create, edit and delete steps of every type. The engine validates; its 400 messages are shown
 * inline at the field they concern (editor/problems.ts) and in a summary at the top. A JSON mode edits the raw
 * definition for anything the form does not cover.
 */
import { useEffect, useRef, useState } from 'react';
import { sanitizeId } from '../api/ids';
import { STEP_TYPES, type Json, type Step, type StepType } from '../api/types';
import { useServices, useStore } from '../app/services';
import { AttributeRowEditor } from '../components/AttributeRowEditor';
import { EmptyState } from '../components/EmptyState';
import { Link } from '../components/Link';
import { ScriptEditor } from '../components/ScriptEditor';
import { HttpSection, FlowGoalsSection, LabelsSection, WorkSection } from '../components/StepFormSections';
import { LANGUAGES_FOR } from '../editor/highlight';
import { formIssues, locateError, type FieldProblem } from '../editor/problems';
import { emptyAttribute, formFromStep, stepFromForm, templateForm, type StepForm } from '../editor/step-form';

const TYPE_HELP: Record<StepType, string> = {
  sync: 'HTTP call that returns the outputs',
  async: 'HTTP call completed later by webhook',
  script: 'code run inside the engine',
  flow: 'a nested flow behind one step',
};

type Load = { phase: 'loading' } | { phase: 'ready' } | { phase: 'missing'; message: string };

export const StepEditorPage = ({ stepId, created = false }: { stepId?: string; created?: boolean }) => {
  const { api, nav, engine } = useServices();
  const catalog = useStore(engine.store).model.steps;
  const editing = stepId !== undefined;
  const [load, setLoad] = useState<Load>(editing ? { phase: 'loading' } : { phase: 'ready' });
  const [form, setForm] = useState<StepForm>(() => templateForm('script'));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [notice, setNotice] = useState<string | undefined>(created ? 'Step registered.' : undefined);
  const [saving, setSaving] = useState(false);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [jsonText, setJsonText] = useState('');
  const [confirmDelete, setConfirmDelete] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (stepId === undefined) return;
    let current = true;
    api.getStep(stepId).then(
      (step) => {
        if (!current) return;
        setForm(formFromStep(step));
        setLoad({ phase: 'ready' });
      },
      (error: unknown) => {
        if (current) setLoad({ phase: 'missing', message: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      current = false;
    };
  }, [api, stepId]);

  useEffect(() => {
    if (problems.length > 0) summaryRef.current?.focus();
  }, [problems]);

  const errorFor = (field: string): string | undefined => problems.find((p) => p.field === field)?.message;
  const patch = (p: Partial<StepForm>): void => {
    setForm((f) => ({ ...f, ...p }));
  };

  const toJsonMode = (): void => {
    setJsonText(JSON.stringify(stepFromForm(form), null, 2));
    setMode('json');
  };

  const parseJsonText = (): { ok: true; body: Json; form: StepForm } | { ok: false; message: string } => {
    try {
      const body = JSON.parse(jsonText) as Json;
      if (body === null || typeof body !== 'object' || Array.isArray(body)) return { ok: false, message: 'the definition must be a JSON object' };
      const step = { attributes: {}, ...body } as unknown as Step;
      return { ok: true, body, form: formFromStep(step) };
    } catch (error) {
      return { ok: false, message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
    }
  };

  const toFormMode = (): void => {
    const parsed = parseJsonText();
    if (!parsed.ok) {
      setProblems([{ field: 'json', message: parsed.message }]);
      return;
    }
    setProblems([]);
    setForm(parsed.form);
    setMode('form');
  };

  const save = async (): Promise<void> => {
    setNotice(undefined);
    let body: Json;
    let formForErrors = form;
    if (mode === 'json') {
      const parsed = parseJsonText();
      if (!parsed.ok) {
        setProblems([{ field: 'json', message: parsed.message }]);
        return;
      }
      body = parsed.body;
      formForErrors = parsed.form;
    } else {
      const issues = formIssues(form);
      if (issues.length > 0) {
        setProblems(issues);
        return;
      }
      body = stepFromForm(form);
    }
    setSaving(true);
    try {
      const saved = editing ? await api.updateStep(stepId, body) : await api.createStep(body);
      setProblems([]);
      setForm(formFromStep(saved));
      if (mode === 'json') setJsonText(JSON.stringify(saved, null, 2));
      if (editing) setNotice(`Step ${saved.id} saved.`);
      else nav.navigate(`/steps/${encodeURIComponent(saved.id)}?created=1`, { replace: true });
    } catch (error) {
      const problem = locateError(error, formForErrors);
      setProblems([mode === 'json' && problem.field !== 'form' ? { ...problem, field: 'json' } : problem]);
    } finally {
      setSaving(false);
    }
  };

  const remove = async (): Promise<void> => {
    if (stepId === undefined) return;
    try {
      await api.deleteStep(stepId);
      nav.navigate('/');
    } catch (error) {
      setConfirmDelete(false);
      setProblems([locateError(error, form)]);
    }
  };

  if (load.phase === 'loading') return <div className="page-loading" role="status">Loading step…</div>;
  if (load.phase === 'missing') {
    return (
      <EmptyState title={`Step ${stepId ?? ''} not found`}>
        <p className="error-text">{load.message}</p>
        <Link className="button" href="/">
          Back to the overview
        </Link>
      </EmptyState>
    );
  }

  const sanitized = sanitizeId(form.id);
  const otherSteps = Object.keys(catalog).filter((id) => id !== form.id).sort();

  return (
    <div className="page editor-page">
      <div className="page-head">
        <div>
          <h1>{editing ? `Edit ${stepId}` : 'New step'}</h1>
          <p className="muted">{editing ? 'Changes apply to new flows; running flows keep their snapshot.' : 'Register a step in the catalog.'}</p>
        </div>
        <div className="row">
          <div className="segmented" role="group" aria-label="Editor mode">
            <button type="button" aria-pressed={mode === 'form'} onClick={mode === 'json' ? toFormMode : undefined}>
              Form
            </button>
            <button type="button" aria-pressed={mode === 'json'} onClick={mode === 'form' ? toJsonMode : undefined}>
              JSON
            </button>
          </div>
          {editing && (
            <>
              <Link className="button" href={`/plan?goals=${encodeURIComponent(stepId)}`}>
                Plan with this goal
              </Link>
              <button type="button" className="button danger" onClick={() => { setConfirmDelete(true); }}>
                Delete
              </button>
            </>
          )}
          <button type="submit" form="step-form" className="button primary" disabled={saving}>
            {saving ? 'Saving…' : editing ? 'Save changes' : 'Register step'}
          </button>
        </div>
      </div>

      {confirmDelete && (
        <div className="confirm" role="alertdialog" aria-labelledby="confirm-delete-title">
          <p id="confirm-delete-title">
            Delete step <code>{stepId}</code>? Running flows are not affected; new plans will no longer include it.
          </p>
          <div className="row">
            <button type="button" className="button danger" onClick={() => void remove()} autoFocus>
              Delete step
            </button>
            <button type="button" className="button" onClick={() => { setConfirmDelete(false); }}>
              Cancel
            </button>
          </div>
        </div>
      )}

      {notice !== undefined && (
        <div className="notice success" role="status">
          {notice}
        </div>
      )}
      {problems.length > 0 && (
        <div className="notice error" role="alert" tabIndex={-1} ref={summaryRef} data-testid="step-errors">
          <strong>The engine rejected the step</strong>
          <ul>
            {problems.map((p, i) => (
              <li key={i} className="pre-line">
                {p.message}
              </li>
            ))}
          </ul>
        </div>
      )}

      <form
        id="step-form"
        className="step-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        {mode === 'json' ? (
          <section className="panel form-section">
            <ScriptEditor
              label="Step definition (JSON)"
              language="js"
              languages={['js']}
              source={jsonText}
              minLines={20}
              error={errorFor('json')}
              errorId="json-error"
              onChange={(next) => {
                setJsonText(next.source);
              }}
            />
          </section>
        ) : (
          <>
            <section className="panel form-section" aria-labelledby="sec-identity">
              <h2 id="sec-identity">Identity</h2>
              <div className="grid-2">
                <div className={`field ${errorFor('id') !== undefined ? 'invalid' : ''}`}>
                  <label className="field-label" htmlFor="step-id">
                    Id
                  </label>
                  <input
                    id="step-id"
                    value={form.id}
                    readOnly={editing}
                    spellCheck={false}
                    placeholder="reserve-stock"
                    aria-invalid={errorFor('id') !== undefined}
                    aria-describedby="step-id-hint step-id-error"
                    onChange={(e) => {
                      patch({ id: e.target.value });
                    }}
                  />
                  <p className="field-hint" id="step-id-hint">
                    {editing ? 'The id cannot change; register a new step instead.' : sanitized !== form.id.trim() && form.id !== '' ? `Stored as “${sanitized}”.` : 'Lower case, digits, _ . + - (spaces become -).'}
                  </p>
                  {errorFor('id') !== undefined && (
                    <p className="field-error" id="step-id-error">
                      {errorFor('id')}
                    </p>
                  )}
                </div>
                <div className={`field ${errorFor('name') !== undefined ? 'invalid' : ''}`}>
                  <label className="field-label" htmlFor="step-name">
                    Name
                  </label>
                  <input
                    id="step-name"
                    value={form.name}
                    placeholder="Reserve Stock"
                    aria-invalid={errorFor('name') !== undefined}
                    aria-describedby="step-name-error"
                    onChange={(e) => {
                      patch({ name: e.target.value });
                    }}
                  />
                  {errorFor('name') !== undefined && (
                    <p className="field-error" id="step-name-error">
                      {errorFor('name')}
                    </p>
                  )}
                </div>
              </div>
              <fieldset className="type-picker">
                <legend className="field-label">Type</legend>
                {STEP_TYPES.map((type) => (
                  <label key={type} className={`type-option ${form.type === type ? 'checked' : ''}`}>
                    <input
                      type="radio"
                      name="step-type"
                      value={type}
                      checked={form.type === type}
                      onChange={() => {
                        patch({ type });
                      }}
                    />
                    <span className={`type-badge type-${type}`}>{type}</span>
                    <span className="muted small">{TYPE_HELP[type]}</span>
                  </label>
                ))}
                {errorFor('type') !== undefined && <p className="field-error">{errorFor('type')}</p>}
              </fieldset>
            </section>

            {(form.type === 'sync' || form.type === 'async') && <HttpSection form={form} patch={patch} errorFor={errorFor} />}
            {form.type === 'script' && (
              <section className="panel form-section" aria-labelledby="sec-script">
                <h2 id="sec-script">Script</h2>
                <ScriptEditor
                  label="Script body (inputs are variables; the result becomes the outputs)"
                  language={form.script.language}
                  languages={LANGUAGES_FOR.body}
                  source={form.script.source}
                  minLines={6}
                  error={errorFor('script')}
                  errorId="script-error"
                  onChange={(next) => {
                    patch({ script: { ...form.script, ...next, enabled: true } });
                  }}
                />
              </section>
            )}
            {form.type === 'flow' && <FlowGoalsSection form={form} patch={patch} error={errorFor('flowGoals')} candidates={otherSteps} />}

            <section className="panel form-section" aria-labelledby="sec-attributes">
              <div className="section-head">
                <h2 id="sec-attributes">Attributes</h2>
                <div className="row">
                  <button type="button" className="button" onClick={() => { patch({ attributes: [...form.attributes, emptyAttribute('required')] }); }}>
                    Add input
                  </button>
                  <button type="button" className="button" onClick={() => { patch({ attributes: [...form.attributes, emptyAttribute('output')] }); }}>
                    Add output
                  </button>
                </div>
              </div>
              {errorFor('attributes') !== undefined && <p className="field-error">{errorFor('attributes')}</p>}
              {form.attributes.length === 0 && <p className="muted">No attributes: the step needs nothing and produces nothing.</p>}
              {form.attributes.map((row, index) => (
                <AttributeRowEditor
                  key={row.key}
                  row={row}
                  index={index}
                  error={errorFor(`attr:${row.key}`)}
                  onChange={(next) => {
                    patch({ attributes: form.attributes.map((r) => (r.key === row.key ? next : r)) });
                  }}
                  onRemove={() => {
                    patch({ attributes: form.attributes.filter((r) => r.key !== row.key) });
                  }}
                />
              ))}
            </section>

            <section className="panel form-section" aria-labelledby="sec-predicate">
              <div className="section-head">
                <h2 id="sec-predicate">Predicate</h2>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={form.predicate.enabled}
                    onChange={(e) => {
                      patch({ predicate: { ...form.predicate, enabled: e.target.checked } });
                    }}
                  />
                  <span>Run only when the predicate holds</span>
                </label>
              </div>
              {form.predicate.enabled && (
                <ScriptEditor
                  label="Predicate (inputs are variables; false skips the step)"
                  language={form.predicate.language}
                  languages={LANGUAGES_FOR.predicate}
                  source={form.predicate.source}
                  error={errorFor('predicate')}
                  errorId="predicate-error"
                  onChange={(next) => {
                    patch({ predicate: { ...form.predicate, ...next } });
                  }}
                />
              )}
            </section>

            <WorkSection form={form} patch={patch} errorFor={errorFor} />
            <LabelsSection form={form} patch={patch} error={errorFor('labels')} />
          </>
        )}
        {errorFor('form') !== undefined && (
          <p className="field-error pre-line" role="alert">
            {errorFor('form')}
          </p>
        )}
      </form>
    </div>
  );
};
