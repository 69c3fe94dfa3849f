import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { eventLabel, formatClock, formatDateTime, formatDuration, formatRelative, jsonPreview, shortToken } from './format';

void describe('formatting', () => {
  void it('formats clock times and dates', () => {
    assert.equal(formatClock('2026-07-10T08:00:01.200Z', true), '08:00:01.200');
    assert.equal(formatDateTime('2026-07-10T08:00:01.200Z', true), '2026-07-10 08:00:01');
    assert.equal(formatClock(undefined), '');
    assert.equal(formatClock('not a time'), 'not a time');
  });

  void it('formats durations at a readable precision', () => {
    assert.equal(formatDuration(850), '850 ms');
    assert.equal(formatDuration(1198), '1.2 s');
    assert.equal(formatDuration(1000), '1 s');
    assert.equal(formatDuration(12_500), '12.5 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
    assert.equal(formatDuration(120_000), '2 min');
    assert.equal(formatDuration(3_600_000 * 3 + 60_000 * 20), '3 h 20 min');
    assert.equal(formatDuration(undefined), '');
  });

  void it('formats relative times against a given now', () => {
    const now = Date.parse('2026-07-10T08:00:00.000Z');
    assert.equal(formatRelative('2026-07-10T07:59:58.000Z', now), 'just now');
    assert.equal(formatRelative('2026-07-10T07:59:48.000Z', now), '12 s ago');
    assert.equal(formatRelative('2026-07-10T07:55:00.000Z', now), '5 min ago');
    assert.equal(formatRelative('2026-07-10T05:00:00.000Z', now), '3 h ago');
    assert.equal(formatRelative('2026-07-08T08:00:00.000Z', now), '2 d ago');
    assert.equal(formatRelative('2026-07-10T08:10:00.000Z', now), 'in 10 min');
  });

  void it('shortens JSON, tokens and event names', () => {
    assert.equal(jsonPreview({ a: 'x'.repeat(100) }, 20), '{"a":"xxxxxxxxxxxxx…');
    assert.equal(jsonPreview('Argyll'), '"Argyll"');
    assert.equal(shortToken('9c1d0b6e-2f6c-4f0e-9a55-0c2a1d8e7f11'), '9c1d0b6e');
    assert.equal(eventLabel('work_retry_scheduled'), 'work retry scheduled');
  });
});
