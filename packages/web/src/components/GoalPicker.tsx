/** Choosing a flow's goal steps: chosen goals as removable chips (in goal order) and a searchable checklist. */
import { useState } from 'react';
import type { Step } from '../api/types';
import { matchesQuery } from '../diagram/graph';
import { TypeBadge } from './TypeBadge';

export interface GoalPickerProps {
  steps: Record<string, Step>;
  goals: string[];
  onChange: (goals: string[]) => void;
}

export const GoalPicker = ({ steps, goals, onChange }: GoalPickerProps) => {
  const [query, setQuery] = useState('');
  const ids = Object.keys(steps)
    .sort()
    .filter((id) => {
      const step = steps[id];
      return step !== undefined && matchesQuery(step, query);
    });
  const toggle = (id: string): void => {
    onChange(goals.includes(id) ? goals.filter((g) => g !== id) : [...goals, id]);
  };
  return (
    <section className="goal-picker" aria-labelledby="goals-title">
      <h2 id="goals-title">Goals</h2>
      {goals.length > 0 && (
        <ul className="chips" aria-label="Chosen goals">
          {goals.map((g) => (
            <li key={g} className="chip goal-chip">
              <code>{g}</code>
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove goal ${g}`}
                onClick={() => {
                  toggle(g);
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label className="field">
        <span className="visually-hidden">Filter steps</span>
        <input
          type="search"
          placeholder="Filter steps…"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
          }}
        />
      </label>
      <ul className="goal-list" aria-label="Steps">
        {ids.map((id) => (
          <li key={id}>
            <label className="goal-option">
              <input
                type="checkbox"
                checked={goals.includes(id)}
                onChange={() => {
                  toggle(id);
                }}
              />
              <span className="goal-text">
                <span>{steps[id]?.name}</span> <code className="muted">{id}</code>
              </span>
              <TypeBadge type={steps[id]?.type ?? ''} />
            </label>
          </li>
        ))}
        {ids.length === 0 && <li className="muted">No step matches.</li>}
      </ul>
    </section>
  );
};
