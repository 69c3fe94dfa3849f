/**
 * Display formatting for times, durations and JSON values. Pure; the current time and time zone are passed in
 * (tests use UTC), never read here.
 */
import type { Json } from '../api/types';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `HH:MM:SS.mmm` of an RFC 3339 time, in UTC or local time. */
export const formatClock = (iso: string | undefined, utc = false): string => {
  if (iso === undefined) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const [h, m, s, ms] = utc
    ? [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()]
    : [d.getHours(), d.getMinutes(), d.getSeconds(), d.getMilliseconds()];
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms, 3)}`;
};

/** `YYYY-MM-DD HH:MM:SS` of an RFC 3339 time. */
export const formatDateTime = (iso: string | undefined, utc = false): string => {
  if (iso === undefined) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const [y, mo, day, h, m, s] = utc
    ? [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()]
    : [d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()];
  return `${String(y)}-${pad(mo)}-${pad(day)} ${pad(h)}:${pad(m)}:${pad(s)}`;
};

/** Milliseconds as `850 ms`, `1.25 s`, `2 min 5 s`, `3 h 20 min`. */
export const formatDuration = (ms: number | undefined): string => {
  if (ms === undefined || !Number.isFinite(ms)) return '';
  if (ms < 1000) return `${String(Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1).replace(/\.?0+$/, '')} s`;
  if (ms < 3_600_000) {
    const min = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return s === 0 ? `${String(min)} min` : `${String(min)} min ${String(s)} s`;
  }
  const h = Math.floor(ms / 3_600_000);
  const min = Math.round((ms % 3_600_000) / 60_000);
  return min === 0 ? `${String(h)} h` : `${String(h)} h ${String(min)} min`;
};

/** Time from `iso` to `now` as `just now`, `12 s ago`, `5 min ago`, `3 h ago`, `2 d ago` (or `in …` for the future). */
export const formatRelative = (iso: string | undefined, now: number): string => {
  if (iso === undefined) return '';
  const t = new Date(iso).getTime();
  if (Number.isNaN(t)) return iso;
  const diff = now - t;
  const abs = Math.abs(diff);
  const unit =
    abs < 5_000
      ? undefined
      : abs < 60_000
        ? `${String(Math.round(abs / 1000))} s`
        : abs < 3_600_000
          ? `${String(Math.round(abs / 60_000))} min`
          : abs < 86_400_000
            ? `${String(Math.round(abs / 3_600_000))} h`
            : `${String(Math.round(abs / 86_400_000))} d`;
  if (unit === undefined) return 'just now';
  return diff >= 0 ? `${unit} ago` : `in ${unit}`;
};

/** Compact JSON for table cells, cut at `max` characters with an ellipsis. */
export const jsonPreview = (value: Json | undefined, max = 80): string => {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value);
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
};

export const prettyJson = (value: unknown): string => JSON.stringify(value, null, 2);

/** First 8 characters of a work-item token (UUID), enough to tell items apart. */
export const shortToken = (token: string): string => token.slice(0, 8);

/** Event types in the log, made readable: `work_retry_scheduled` → `work retry scheduled`. */
export const eventLabel = (type: string): string => type.replace(/_/g, ' ');
