// The app's one way of writing times: relative ("3 h ago", "in 5 days"), with the absolute UTC time
// on hover (an instant) or beside it (a day, such as a token's expiry). Every screen uses these.
import { useSyncExternalStore } from 'react';

const SECOND = 1_000;
const DAY = 86_400_000;

// One clock for the whole page, ticking every second while something shows a time.
let clockNow = Date.now();
const listeners = new Set<() => void>();
let timer: number | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === undefined) {
    clockNow = Date.now();
    timer = window.setInterval(() => {
      clockNow = Date.now();
      listeners.forEach((l) => l());
    }, SECOND);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      window.clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time in ms, updated every second (for "12 s ago" that ticks). */
export function useNow(): number {
  return useSyncExternalStore(subscribe, () => clockNow);
}

/** "12 s ago", "3 min ago", "2 h ago", "4 days ago"; "in 5 min", "in 3 days" for a time ahead; '' when not a time. */
export function relativeTime(iso: string | null | undefined, now: number): string {
  const t = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(t)) return '';
  // A second ahead is clock skew between the service and this machine, not the future.
  const ahead = t - now > SECOND;
  const span = spanWords(Math.floor(Math.abs(now - t) / SECOND));
  return ahead ? `in ${span}` : `${span} ago`;
}

function spanWords(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/** "2026-06-12 09:59 UTC"; the text itself when it is not a time. */
export function utcTime(iso: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
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

/** An instant: its relative time, ticking, with the UTC time on hover. `none` when there is no time. */
export function When({ iso, none = '' }: { iso: string | null | undefined; none?: string }) {
  const now = useNow();
  const text = relativeTime(iso, now);
  if (!iso || !text) return <>{none}</>;
  return (
    <time className="when" dateTime={iso} title={utcTime(iso)}>
      {text}
    </time>
  );
}

/**
 * A day (`YYYY-MM-DD`, UTC): relative, with the date beside it. `words` replaces the relative part
 * when the core already said it ("expires in 5 days").
 */
export function Day({ date, words }: { date: string; words?: string }) {
  const now = useNow();
  return (
    <time className="when-day" dateTime={date} title={`${date} (UTC)`}>
      <span className="when-part">{words ?? relativeDay(date, now)}</span>{' '}
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
