/** Pretty-printed, highlighted JSON (JSON is highlighted with the JavaScript lexer). */
import { useMemo } from 'react';
import { tokenize } from '../editor/highlight';
import { prettyJson } from '../format/format';

export const JsonView = ({ value, className }: { value: unknown; className?: string }) => {
  const tokens = useMemo(() => tokenize('js', prettyJson(value) ?? 'undefined'), [value]);
  return (
    <pre className={`json-view code ${className ?? ''}`}>
      {tokens.map((t, i) => (
        <span key={i} className={`tok-${t.kind}`}>
          {t.text}
        </span>
      ))}
    </pre>
  );
};
