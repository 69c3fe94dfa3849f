/** A coloured dot for a step's health, with the status (and error) as its accessible name and tooltip. */
import type { ResolvedHealth } from '../state/engine-model';

export const HealthDot = ({ health }: { health: ResolvedHealth | undefined }) => {
  const status = health?.status ?? 'unknown';
  const label = health?.error === undefined ? `health: ${status}` : `health: ${status} — ${health.error}`;
  return <span className={`health-dot health-${status}`} role="img" aria-label={label} title={label} />;
};
