/** Read-only highlighted source of a script in one of the engine's languages. */
import { useMemo } from 'react';
import { LANGUAGE_LABELS, tokenize } from '../editor/highlight';

export const CodeBlock = ({ language, source }: { language: string; source: string }) => {
  const tokens = useMemo(() => tokenize(language, source), [language, source]);
  return (
    <figure className="code-block">
      <figcaption>{LANGUAGE_LABELS[language] ?? language}</figcaption>
      <pre className="code">
        {tokens.map((t, i) => (
          <span key={i} className={`tok-${t.kind}`}>
            {t.text}
          </span>
        ))}
      </pre>
    </figure>
  );
};
