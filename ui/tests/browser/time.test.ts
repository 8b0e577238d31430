// The app's one way of writing times (src/app/time.tsx), checked without a browser: relative both
// ways, the unit steps, clock skew, the UTC form on hover, and days.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysUntil, relativeDay, relativeTime, relativeTimeAt, utcTime } from '../../src/app/time';

const NOW = Date.parse('2026-06-12T10:00:00Z');
const at = (seconds: number) => new Date(NOW + seconds * 1000).toISOString();

test('relative times: under a minute, minutes, hours, then days, past and ahead', () => {
  // Nothing finer than a minute, so a fresh time does not change every second.
  assert.equal(relativeTime(at(-12), NOW), 'just now');
  assert.equal(relativeTime(at(-59), NOW), 'just now');
  assert.equal(relativeTime(at(30), NOW), 'in under a minute');
  assert.equal(relativeTime(at(-95), NOW), '1 min ago');
  assert.equal(relativeTime(at(-3 * 3600), NOW), '3 h ago');
  assert.equal(relativeTime(at(-47 * 3600), NOW), '47 h ago');
  assert.equal(relativeTime(at(-3 * 86_400), NOW), '3 days ago');
  assert.equal(relativeTime(at(5 * 60), NOW), 'in 5 min');
  assert.equal(relativeTime(at(5 * 86_400), NOW), 'in 5 days');
  // The service's clock a moment ahead of this one is not the future.
  assert.equal(relativeTime(at(0.5), NOW), 'just now');
  assert.equal(relativeTime(null, NOW), '');
  assert.equal(relativeTime('not a time', NOW), '');
});

test('a relative time says when its text next changes, and it does change then and not before', () => {
  const cases = [-12, -59, -95, -3599, -3 * 3600, -47 * 3600 - 1, -3 * 86_400, 30, 5 * 60, 61, 47 * 3600, 5 * 86_400];
  for (const offset of cases) {
    const { value, changesAt } = relativeTimeAt(at(offset), NOW);
    assert.ok(changesAt !== null && changesAt > NOW, `${offset} s: changes later (${String(changesAt)})`);
    assert.equal(relativeTime(at(offset), changesAt - 1), value, `${offset} s: "${value}" holds until ${changesAt - NOW} ms`);
    assert.notEqual(relativeTime(at(offset), changesAt), value, `${offset} s: "${value}" changes at ${changesAt - NOW} ms`);
  }
  assert.deepEqual(relativeTimeAt(at(-12), NOW), { value: 'just now', changesAt: NOW + 48_000 });
  assert.deepEqual(relativeTimeAt(null, NOW), { value: '', changesAt: null });
});

test('the absolute time is UTC to the minute, whatever the local zone', () => {
  assert.equal(utcTime('2026-06-12T09:59:21.123Z'), '2026-06-12 09:59 UTC');
  assert.equal(utcTime('2026-06-12T11:59:21+02:00'), '2026-06-12 09:59 UTC');
  assert.equal(utcTime('soon'), 'soon');
});

test('days: today, one day, many days, both ways', () => {
  assert.equal(daysUntil('2026-06-17', NOW), 5);
  assert.equal(relativeDay('2026-06-12', NOW), 'today');
  assert.equal(relativeDay('2026-06-13', NOW), 'in 1 day');
  assert.equal(relativeDay('2026-06-17', NOW), 'in 5 days');
  assert.equal(relativeDay('2026-06-11', NOW), '1 day ago');
  assert.equal(relativeDay('2026-06-09', NOW), '3 days ago');
});
