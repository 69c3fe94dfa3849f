/** A pill naming a flow, step or work-item status; colours come from the `status-<name>` class. */
export const StatusBadge = ({ status, label }: { status: string; label?: string }) => (
  <span className={`status-badge status-${status}`} data-status={status}>
    {label ?? status.replace(/_/g, ' ')}
  </span>
);
