/**
 * Editing one attribute of a step: name, role and type, plus the modifiers the role allows (spec model.md §3.1):
 * mapping name and script, for_each, collect, match gate, default/const value, deadline, meta key.
 */
import { ATTRIBUTE_ROLES, ATTRIBUTE_TYPES, COLLECT_MODES, type AttributeRole } from '../api/types';
import { LANGUAGES_FOR } from '../editor/highlight';
import { allows, type AttributeRow } from '../editor/step-form';
import { CheckField, SelectField, TextField } from './FormField';
import { ScriptEditor } from './ScriptEditor';

export interface AttributeRowEditorProps {
  row: AttributeRow;
  index: number;
  error?: string;
  onChange: (row: AttributeRow) => void;
  onRemove: () => void;
}

export const AttributeRowEditor = ({ row, index, error, onChange, onRemove }: AttributeRowEditorProps) => {
  const set = (patch: Partial<AttributeRow>): void => {
    onChange({ ...row, ...patch });
  };
  const title = row.name.trim() === '' ? `Attribute ${String(index + 1)}` : row.name;
  const errorId = `attr-error-${row.key}`;
  return (
    <fieldset className={`attribute-row role-${row.role} ${error !== undefined ? 'invalid' : ''}`} data-attribute={row.name}>
      <legend className="visually-hidden">{title}</legend>
      <div className="attribute-main">
        <TextField
          label="Name"
          value={row.name}
          onValue={(name) => {
            set({ name });
          }}
          placeholder="attribute_name"
          className="attr-name"
          spellCheck={false}
          aria-describedby={error !== undefined ? errorId : undefined}
        />
        <SelectField
          label="Role"
          value={row.role}
          options={ATTRIBUTE_ROLES}
          onValue={(role) => {
            set({ role: role as AttributeRole });
          }}
        />
        <SelectField
          label="Type"
          value={row.type}
          options={[{ value: '', label: 'untyped' }, ...ATTRIBUTE_TYPES]}
          onValue={(type) => {
            set({ type: type as AttributeRow['type'] });
          }}
        />
        {allows(row.role, 'collect') && (
          <SelectField
            label="Collect"
            value={row.collect}
            options={COLLECT_MODES}
            onValue={(collect) => {
              set({ collect: collect as AttributeRow['collect'] });
            }}
          />
        )}
        {allows(row.role, 'mapping') && (
          <TextField
            label="Inner name"
            value={row.mappingName}
            placeholder="as sent to the step"
            spellCheck={false}
            onValue={(mappingName) => {
              set({ mappingName });
            }}
          />
        )}
        {allows(row.role, 'default') && (
          <TextField
            label={row.role === 'const' ? 'Value (JSON)' : 'Default (JSON)'}
            value={row.defaultValue}
            placeholder={row.role === 'const' ? '"web"' : '1'}
            spellCheck={false}
            className="code-input"
            onValue={(defaultValue) => {
              set({ defaultValue });
            }}
          />
        )}
        {allows(row.role, 'deadline') && (
          <TextField
            label="Deadline (ms)"
            type="number"
            min={0}
            value={row.deadline}
            onValue={(deadline) => {
              set({ deadline });
            }}
          />
        )}
        {allows(row.role, 'key') && (
          <TextField
            label="Metadata key"
            value={row.metaKey}
            placeholder="flow_id"
            spellCheck={false}
            onValue={(metaKey) => {
              set({ metaKey });
            }}
          />
        )}
        <button type="button" className="button ghost danger remove-row" onClick={onRemove} aria-label={`Remove ${title}`}>
          Remove
        </button>
      </div>
      <div className="attribute-options">
        {allows(row.role, 'for_each') && (
          <CheckField
            label="for each element"
            checked={row.forEach}
            onValue={(forEach) => {
              set({ forEach });
            }}
          />
        )}
        {allows(row.role, 'match') && (
          <CheckField
            label="match gate"
            checked={row.match.enabled}
            onValue={(enabled) => {
              set({ match: { ...row.match, enabled } });
            }}
          />
        )}
        {allows(row.role, 'mapping') && (
          <CheckField
            label="mapping script"
            checked={row.mappingScript.enabled}
            onValue={(enabled) => {
              set({ mappingScript: { ...row.mappingScript, enabled } });
            }}
          />
        )}
      </div>
      {allows(row.role, 'match') && row.match.enabled && (
        <ScriptEditor
          label={`Match for ${title} (sees value)`}
          language={row.match.language}
          languages={LANGUAGES_FOR.match}
          source={row.match.source}
          minLines={1}
          placeholder="(> (length value) 0)"
          onChange={(next) => {
            set({ match: { ...row.match, ...next } });
          }}
        />
      )}
      {allows(row.role, 'mapping') && row.mappingScript.enabled && (
        <ScriptEditor
          label={`Mapping script for ${title} (sees value)`}
          language={row.mappingScript.language}
          languages={LANGUAGES_FOR.mapping}
          source={row.mappingScript.source}
          minLines={1}
          placeholder="$.schedule.eta"
          onChange={(next) => {
            set({ mappingScript: { ...row.mappingScript, ...next } });
          }}
        />
      )}
      {error !== undefined && (
        <p className="field-error" id={errorId} role="alert">
          {error}
        </p>
      )}
    </fieldset>
  );
};
