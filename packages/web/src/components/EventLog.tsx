/** The flow's raw event stream: sequence, time, type and a summary per event; each expands to its payload. */
import { useState } from 'react';
import type { ModelEvent } from '../state/engine-model';
import { eventSummary } from '../state/events';
import { eventLabel, formatClock } from '../format/format';
import { JsonView } from './JsonView';

export const EventLog = ({ events }: { events: ModelEvent[] }) => {
  const [filter, setFilter] = useState('');
  const shown = filter === '' ? events : events.filter((e) => e.type.includes(filter.trim().toLowerCase().replace(/ /g, '_')));
  return (
    <div className="event-log">
      <div className="row">
        <label className="field grow">
          <span className="visually-hidden">Filter events by type</span>
          <input type="search" placeholder="Filter by type, e.g. work_" value={filter} onChange={(e) => { setFilter(e.target.value); }} />
        </label>
        <span className="muted small" aria-live="polite">
          {shown.length} of {events.length} events
        </span>
      </div>
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
