// The server's token rules as hints while typing (osmo-api.md §2.3). The core checks them again
// and is the authority: its field errors come back from `create_token` and are shown per field.

export const NAME_PATTERN = /^[a-zA-Z]([a-zA-Z0-9_-]*[a-zA-Z0-9])?$/;
export const MAX_LIFETIME_DAYS = 365;
export const BACKEND_ROLE = 'osmo-backend';

export type TokenField = 'owner' | 'name' | 'expiresAt' | 'roles';
export type FieldHints = Partial<Record<TokenField, string>>;

/** Today's date in UTC, `YYYY-MM-DD` (the service's notion of today). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** `date` plus `days`, both `YYYY-MM-DD` in UTC. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export interface TokenFormValues {
  owner: string;
  name: string;
  expiresAt: string;
  roles: string[];
  forOperator: boolean;
}

/** The rules the form can check by itself; empty when it looks fine. */
export function hints(form: TokenFormValues, needsOwner: boolean, today: string): FieldHints {
  const out: FieldHints = {};
  if (needsOwner && form.owner.trim() === '') out.owner = 'Choose the service account (user) the token belongs to.';
  if (!NAME_PATTERN.test(form.name)) {
    out.name = 'Start with a letter, end with a letter or digit, and use only letters, digits, _ and - in between.';
  }
  const last = addDays(today, MAX_LIFETIME_DAYS);
  if (!validDate(form.expiresAt)) out.expiresAt = 'Use a date in YYYY-MM-DD format (e.g. 2027-01-15).';
  else if (form.expiresAt <= today) out.expiresAt = `Choose a date after today (${today}, UTC): a token is refused from its expiry date on.`;
  else if (form.expiresAt > last) out.expiresAt = `Choose a date at most ${MAX_LIFETIME_DAYS} days away, on or before ${last}.`;
  const roles = form.roles.map((r) => r.trim()).filter(Boolean);
  if (roles.length === 0) out.roles = 'Choose at least one role.';
  else if (form.forOperator && !roles.includes(BACKEND_ROLE)) out.roles = `A backend operator’s token needs the role ${BACKEND_ROLE}.`;
  return out;
}

/** The new token's name derived from the old one: `backend-token` → `backend-token-20270115`. */
export function derivedName(old: string, expiresAt: string): string {
  const date = expiresAt.replaceAll('-', '');
  const stem = /^(.*)-\d{8}$/.exec(old)?.[1] ?? old;
  const name = `${stem}-${date}`;
  return NAME_PATTERN.test(name) ? name : `backend-token-${date}`;
}
