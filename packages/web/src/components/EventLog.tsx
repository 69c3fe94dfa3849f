/** The flow's raw event stream: sequence, time, type and a summary per event; each expands to its payload. */
import { useState } from 'react';
import type { ModelEvent } from '../state/engine-model';
import { eventSummary } from '../state/events';
import { eventLabel, formatClock } from '../format/format';
import { JsonView } from './JsonView';

/** How many of the latest events render at first; long for_each flows can have tens of thousands. */
const INITIAL_LIMIT = 500;

export const EventLog = ({ events }: { events: ModelEvent[] }) => {
  const [filter, setFilter] = useState('');
  const [showAll, setShowAll] = useState(false);
  const matching = filter === '' ? events : events.filter((e) => e.type.includes(filter.trim().toLowerCase().replace(/ /g, '_')));
  const shown = showAll || matching.length <= INITIAL_LIMIT ? matching : matching.slice(-INITIAL_LIMIT);
  return (
    <div className="event-log">
      <div className="row">
        <label className="field grow">
          <span className="visually-hidden">Filter events by type</span>
          <input type="search" placeholder="Filter by type, e.g. work_" value={filter} onChange={(e) => { setFilter(e.target.value); }} />
        </label>
        <span className="muted small" aria-live="polite">
          {matching.length} of {events.length} events
        </span>
      </div>
      {shown.length < matching.length && (
        <p className="muted small">
          Showing the latest {shown.length}.{' '}
          <button type="button" className="link-button" onClick={() => { setShowAll(true); }}>
            Show all {matching.length}
          </button>
        </p>
      )}
      <ol className="events" data-testid="event-log">
        {shown.map((e) => (
          <li key={e.sequence} className={`event event-${e.type}`} data-type={e.type}>
            <details>
              <summary>
                <span className="event-seq">#{e.sequence}</span>
                <span className="event-time">{formatClock(e.timestamp)}</span>
                <span className="event-type">{eventLabel(e.type)}</span>
                <span className="event-summary">{eventSummary(e)}</span>
              </summary>
              <JsonView value={e.data} />
            </details>
          </li>
        ))}
      </ol>
    </div>
  );
};
