// Ages and dates in the words admins use: "12 s ago", "in 5 days", "3 days ago".

export function ageText(iso: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 90) return `${seconds} s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 36) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

export type ExpiryBadge = 'expired' | 'soon' | 'fine';

/** Days from today (UTC) to a `YYYY-MM-DD` UTC date; negative when past. */
export function daysUntil(date: string, now: number = Date.now()): number {
  const today = new Date(now);
  const todayUtc = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  return Math.round((Date.parse(`${date}T00:00:00Z`) - todayUtc) / 86_400_000);
}

/** OSMO treats a token as expired on its expiry day. */
export function expiryBadge(date: string, soonDays = 7, now: number = Date.now()): ExpiryBadge {
  const days = daysUntil(date, now);
  if (days <= 0) return 'expired';
  return days <= soonDays ? 'soon' : 'fine';
}

export function expiryText(date: string, now: number = Date.now()): string {
  const days = daysUntil(date, now);
  if (days === 0) return 'today';
  if (days > 0) return days === 1 ? 'in 1 day' : `in ${days} days`;
  return days === -1 ? '1 day ago' : `${-days} days ago`;
}
