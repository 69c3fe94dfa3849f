/**
 * A code editor for the engine's script languages: a transparent textarea over a highlighted copy of the text
 * (tokens from editor/highlight.ts). Tab keeps moving focus, so the editor never traps keyboard users.
 */
import { useId, useMemo, useRef, type ReactNode } from 'react';
import { LANGUAGE_LABELS, tokenize } from '../editor/highlight';

export interface ScriptEditorProps {
  label: string;
  language: string;
  languages: readonly string[];
  source: string;
  onChange: (next: { language: string; source: string }) => void;
  error?: string;
  errorId?: string;
  placeholder?: string;
  minLines?: number;
  actions?: ReactNode;
}

export const ScriptEditor = (props: ScriptEditorProps) => {
  const id = useId();
  const highlightRef = useRef<HTMLPreElement>(null);
  const tokens = useMemo(() => tokenize(props.language, props.source), [props.language, props.source]);
  const lines = Math.min(24, Math.max(props.minLines ?? 3, props.source.split('\n').length));
  const describedBy = props.error !== undefined ? props.errorId : undefined;
  return (
    <div className={`script-editor ${props.error !== undefined ? 'invalid' : ''}`}>
      <div className="script-editor-bar">
        <label htmlFor={`${id}-code`} className="field-label">
          {props.label}
        </label>
        <label className="inline-select">
          <span className="visually-hidden">{props.label} language</span>
          <select
            value={props.language}
            onChange={(e) => {
              props.onChange({ language: e.target.value, source: props.source });
            }}
          >
            {!props.languages.includes(props.language) && <option value={props.language}>{props.language}</option>}
            {props.languages.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_LABELS[l] ?? l}
              </option>
            ))}
          </select>
        </label>
        {props.actions}
      </div>
      <div className="script-editor-body" style={{ ['--lines' as string]: String(lines) }}>
        <pre ref={highlightRef} className="code script-highlight" aria-hidden="true">
          {tokens.map((t, i) => (
            <span key={i} className={`tok-${t.kind}`}>
              {t.text}
            </span>
          ))}
          {'\n'}
        </pre>
        <textarea
          id={`${id}-code`}
          className="code script-input"
          value={props.source}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          placeholder={props.placeholder}
          aria-invalid={props.error !== undefined}
          aria-describedby={describedBy}
          data-language={props.language}
          onChange={(e) => {
            props.onChange({ language: props.language, source: e.target.value });
          }}
          onScroll={(e) => {
            if (highlightRef.current !== null) {
              highlightRef.current.scrollTop = e.currentTarget.scrollTop;
              highlightRef.current.scrollLeft = e.currentTarget.scrollLeft;
            }
          }}
        />
      </div>
      {props.error !== undefined && (
        <p className="field-error" id={props.errorId}>
          {props.error}
        </p>
      )}
    </div>
  );
};
