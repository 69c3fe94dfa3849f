/** A small tag naming a step type (sync, async, script, flow). */
export const TypeBadge = ({ type }: { type: string }) => <span className={`type-badge type-${type}`}>{type}</span>;
