// The dashboard's rows as the page holds them: each backend's values without its last heartbeat,
// which moves at nearly every poll and is held apart (a poll that only moves heartbeats leaves the
// rows, their filter, sort and column widths as they were, and re-renders only the heartbeat cells
// in view). Rows are compared field by field (their lists item by item): how the page tells that a
// poll left a row as it was. Rows are flat, so this is all a comparison needs, and it costs a tenth
// of a generic deep one at 1,000 rows.
import type { BackendRowDto } from '../../ipc/bindings.gen';

/** A backend's row without its last heartbeat (see `Heartbeats`). */
export type DashboardRow = Omit<BackendRowDto, 'lastHeartbeat'>;

/** Every shown row's last heartbeat (`null`: never), looked up by the row itself. */
export type Heartbeats = ReadonlyMap<DashboardRow, string | null>;

/** Whether `a` and `b` hold the same values. With `times: 'presence'`, their offline times count
 * only for whether there is one (what a column's width depends on), not for their values. */
export function sameRow(a: DashboardRow, b: DashboardRow, times: 'value' | 'presence' = 'value'): boolean {
  if (a === b) return true;
  for (const key of Object.keys(a) as (keyof DashboardRow)[]) {
    const x = a[key];
    const y = b[key];
    if (times === 'presence' && key === 'offlineSince' ? (x === null) !== (y === null) : !sameValue(x, y)) return false;
  }
  return true;
}

function sameValue(x: unknown, y: unknown): boolean {
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  return x === y;
}

/** Rows as the core sends them, split into the rows and their heartbeats (in the rows' order). */
export function splitHeartbeats(sent: BackendRowDto[]): { rows: DashboardRow[]; heartbeats: (string | null)[] } {
  const heartbeats: (string | null)[] = [];
  const rows = sent.map(({ lastHeartbeat, ...row }) => {
    heartbeats.push(lastHeartbeat);
    return row;
  });
  return { rows, heartbeats };
}

/** `next` with the rows of `before` that it holds unchanged, or `before` itself when every row is. */
export function keepUnchanged(before: DashboardRow[], next: DashboardRow[]): DashboardRow[] {
  let same = before.length === next.length;
  const kept = next.map((row, i) => {
    const old = before[i];
    if (old !== undefined && sameRow(old, row)) return old;
    same = false;
    return row;
  });
  return same ? before : kept;
}

/** `next`, or `before` itself when it holds the same heartbeats. */
export function keepHeartbeats(before: (string | null)[], next: (string | null)[]): (string | null)[] {
  return before.length === next.length && next.every((beat, i) => beat === before[i]) ? before : next;
}
