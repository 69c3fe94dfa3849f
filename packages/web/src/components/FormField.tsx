/**
 * Labelled form controls with an inline error slot. The error text is linked with aria-describedby and the
 * control marked aria-invalid, so screen readers announce engine validation messages with the field.
 */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes } from 'react';

interface Common {
  label: string;
  error?: string;
  hint?: ReactNode;
  className?: string;
}

const describedBy = (errorId: string, hintId: string, error?: string, hint?: ReactNode): string | undefined =>
  [error !== undefined ? errorId : '', hint !== undefined ? hintId : ''].filter((s) => s !== '').join(' ') || undefined;


/** A field's hint and error lines, with the ids its control's aria-describedby points at. */
const FieldNotes = ({ id, hint, error }: { id: string; hint: ReactNode; error: string | undefined }) => (
  <>
    {hint !== undefined && (
      <p className="field-hint" id={`${id}-h`}>
        {hint}
      </p>
    )}
    {error !== undefined && (
      <p className="field-error" id={`${id}-e`}>
        {error}
      </p>
    )}
  </>
);

export const TextField = ({
  label,
  error,
  hint,
  className,
  onValue,
  ...input
}: Common & Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange'> & { onValue: (value: string) => void }) => {
  const id = useId();
  return (
    <div className={`field ${className ?? ''} ${error !== undefined ? 'invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(`${id}-e`, `${id}-h`, error, hint)}
        onChange={(e) => {
          onValue(e.target.value);
        }}
        {...input}
      />
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
};

export const SelectField = ({
  label,
  error,
  hint,
  className,
  options,
  onValue,
  ...select
}: Common &
  Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> & {
    options: readonly (string | { value: string; label: string })[];
    onValue: (value: string) => void;
  }) => {
  const id = useId();
  return (
    <div className={`field ${className ?? ''} ${error !== undefined ? 'invalid' : ''}`}>
      <label className="field-label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        aria-invalid={error !== undefined}
        aria-describedby={describedBy(`${id}-e`, `${id}-h`, error, hint)}
        onChange={(e) => {
          onValue(e.target.value);
        }}
        {...select}
      >
        {options.map((o) =>
          typeof o === 'string' ? (
            <option key={o} value={o}>
              {o}
            </option>
          ) : (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ),
        )}
      </select>
      <FieldNotes id={id} hint={hint} error={error} />
    </div>
  );
};

export const CheckField = ({
  label,
  checked,
  onValue,
  className,
}: {
  label: string;
  checked: boolean;
  onValue: (checked: boolean) => void;
  className?: string;
}) => (
  <label className={`check ${className ?? ''}`}>
    <input
      type="checkbox"
      checked={checked}
      onChange={(e) => {
        onValue(e.target.checked);
      }}
    />
    <span>{label}</span>
  </label>
);
