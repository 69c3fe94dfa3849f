/** The computed plan in words: which steps run, and which were left out and why (satisfied, missing, blocked). */
import type { ExecutionPlan } from '../api/types';
import { summarisePlan } from '../diagram/marks';

const Group = ({ kind, title, ids, detail }: { kind: string; title: string; ids: string[]; detail?: (id: string) => string }) =>
  ids.length === 0 ? null : (
    <div className={`plan-group plan-${kind}`} data-plan-group={kind}>
      <h3>
        <span className={`legend-swatch plan-${kind}`} aria-hidden="true" /> {title} <span className="count">{ids.length}</span>
      </h3>
      <ul>
        {ids.map((id) => (
          <li key={id}>
            <code>{id}</code>
            {detail !== undefined && <span className="muted small"> {detail(id)}</span>}
          </li>
        ))}
      </ul>
    </div>
  );

export const PlanSummaryView = ({ plan }: { plan: ExecutionPlan }) => {
  const s = summarisePlan(plan);
  const goals = new Set(plan.goals);
  return (
    <section className="plan-summary" aria-labelledby="plan-title" aria-live="polite">
      <h2 id="plan-title">Plan</h2>
      {s.included.length === 0 && <p className="muted">No step needs to run: the goals are already satisfied or blocked.</p>}
      <Group kind="included" title="Runs" ids={s.included} detail={(id) => (goals.has(id) ? '(goal)' : '')} />
      <Group kind="satisfied" title="Satisfied by init" ids={s.satisfied} detail={(id) => `outputs given: ${(plan.excluded.satisfied?.[id] ?? []).join(', ')}`} />
      <Group kind="missing" title="Missing inputs" ids={s.missing} detail={(id) => `needs: ${(plan.excluded.missing?.[id] ?? []).join(', ')}`} />
      <Group kind="blocked" title="Blocked" ids={s.blocked} detail={(id) => `blocked by: ${(plan.excluded.blocked?.[id] ?? []).join(', ')}`} />
    </section>
  );
};
