// The app's one way of writing times: relative ("3 h ago", "in 5 days"), with the absolute UTC time
// on hover (an instant) or beside it (a day, such as a token's expiry). Every screen uses these.
import { useCallback, useSyncExternalStore } from 'react';

const SECOND = 1_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
/** The longest wait a browser timer takes (about 24.8 days); a later change is waited for in steps. */
const LONGEST_TIMER = 2_147_483_647;

/** A text that depends on the time, and the instant from which it may read differently (null: never). */
export interface Timed<T> {
  value: T;
  changesAt: number | null;
}

/**
 * `at(key, now)` for the current time, kept up to date: each caller waits for the instant its own
 * value changes (not a page-wide tick), so a "3 min ago" re-renders once a minute, and only itself.
 */
function useTimed<T extends string | number>(key: string, at: (key: string, now: number) => Timed<T>): T {
  const subscribe = useCallback(
    (changed: () => void) => {
      let timer: number | undefined;
      const wait = () => {
        const next = at(key, Date.now()).changesAt;
        if (next === null) return;
        timer = window.setTimeout(
          () => {
            changed();
            wait();
          },
          Math.min(LONGEST_TIMER, Math.max(0, next - Date.now())),
        );
      };
      wait();
      return () => window.clearTimeout(timer);
    },
    [key, at],
  );
  return useSyncExternalStore(subscribe, () => at(key, Date.now()).value);
}

/** Spans of time in the words of relative times, longest first: from `from` ms on, counted in `unit`s. */
const SPANS = [
  { from: 48 * HOUR, unit: DAY, words: (n: number) => `${n} days` },
  { from: HOUR, unit: HOUR, words: (n: number) => `${n} h` },
  { from: MINUTE, unit: MINUTE, words: (n: number) => `${n} min` },
] as const;

/**
 * The relative form of `iso` at `now` ("just now", "3 min ago", "2 h ago", "4 days ago"; "in 5 min",
 * "in 3 days"; '' when not a time) and when it next reads differently. Nothing finer than a minute:
 * under a minute is "just now" (or "in under a minute"), so a fresh heartbeat does not tick.
 */
export function relativeTimeAt(iso: string | null | undefined, now: number): Timed<string> {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return { value: '', changesAt: null };
  // A second ahead is clock skew between the service and this machine, not the future.
  if (t - now > SECOND) {
    const left = t - now;
    const span = SPANS.find((s) => left >= s.from);
    if (!span) return { value: 'in under a minute', changesAt: t - SECOND };
    const n = Math.floor(left / span.unit);
    // The count drops as soon as less than n units are left.
    return { value: `in ${span.words(n)}`, changesAt: t - n * span.unit + 1 };
  }
  const past = Math.max(0, now - t);
  const span = SPANS.find((s) => past >= s.from);
  if (!span) return { value: 'just now', changesAt: t + MINUTE };
  const n = Math.floor(past / span.unit);
  return { value: `${span.words(n)} ago`, changesAt: t + (n + 1) * span.unit };
}

/** `relativeTimeAt`'s text alone. */
export function relativeTime(iso: string | null | undefined, now: number): string {
  return relativeTimeAt(iso, now).value;
}

/** The start (ms) of today in UTC at `now`, until the next UTC midnight. */
function todayAt(_key: string, now: number): Timed<number> {
  const start = Math.floor(now / DAY) * DAY;
  return { value: start, changesAt: start + DAY };
}

/** The start of today (UTC) in ms, changing at midnight UTC: for what counts days. */
export function useToday(): number {
  return useTimed('', todayAt);
}

/** "2026-06-12T09:59Z": the minute of an instant (a valid HTML time); the text itself when it is not a time. */
function utcMinute(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16)}Z`;
}

/** "2026-06-12 09:59 UTC"; the text itself when it is not a time. */
export function utcTime(iso: string): string {
  const minute = utcMinute(iso);
  return minute === iso ? iso : `${minute.slice(0, 16).replace('T', ' ')} UTC`;
}

/** Days from today (UTC) to a `YYYY-MM-DD` UTC date; negative when past. */
export function daysUntil(date: string, now: number): number {
  const today = new Date(now);
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - todayUtc) / DAY);
}

/** "today", "in 1 day", "in 5 days", "3 days ago" for a `YYYY-MM-DD` UTC date. */
export function relativeDay(date: string, now: number): string {
  const days = daysUntil(date, now);
  if (days === 0) return 'today';
  const n = Math.abs(days);
  const span = n === 1 ? '1 day' : `${n} days`;
  return days > 0 ? `in ${span}` : `${span} ago`;
}

/**
 * An instant: its relative time, kept current, with the UTC time on hover. `none` when there is no
 * time. Nothing finer than the minute reaches the DOM, so a heartbeat heard again within the same
 * minute changes nothing on screen.
 */
export function When({ iso, none = '' }: { iso: string | null | undefined; none?: string }) {
  const text = useTimed(iso ?? '', relativeTimeAt);
  if (!iso || !text) return <>{none}</>;
  return (
    <time className="when" dateTime={utcMinute(iso)} title={utcTime(iso)}>
      {text}
    </time>
  );
}

/**
 * A day (`YYYY-MM-DD`, UTC): relative, with the date beside it. `words` replaces the relative part
 * when the core already said it ("expires in 5 days").
 */
export function Day({ date, words }: { date: string; words?: string }) {
  const today = useToday();
  return (
    <time className="when-day" dateTime={date} title={`${date} (UTC)`}>
      <span className="when-part">{words ?? relativeDay(date, today)}</span>{' '}
      <span className="when-part muted">({date})</span>
    </time>
  );
}

/** An uptime ratio as a percentage ("99.5 %"). */
export function percent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined) return 'unknown';
  return `${(ratio * 100).toFixed(ratio >= 0.9995 || ratio === 0 ? 0 : 1)} %`;
}

/** A length of time: "45 s", "2 min", "5 h", "3 days". */
export function duration(secs: number): string {
  const s = Math.max(0, Math.round(secs));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} days`;
}
