// Two backend rows compared field by field (their lists item by item): how the page tells that a
// poll left a row as it was. Rows are flat, so this is all a comparison needs, and it costs a tenth
// of a generic deep one at 1,000 rows.
import type { BackendRowDto } from '../../ipc/bindings.gen';

/** The rows' times, which move at every heartbeat. */
const TIMES: ReadonlySet<string> = new Set<keyof BackendRowDto>(['lastHeartbeat', 'offlineSince']);

/**
 * Whether `a` and `b` hold the same values. With `times: 'presence'`, their times count only for
 * whether there is one (what a column's width depends on), not for their values.
 */
export function sameRow(a: BackendRowDto, b: BackendRowDto, times: 'value' | 'presence' = 'value'): boolean {
  if (a === b) return true;
  for (const key of Object.keys(a) as (keyof BackendRowDto)[]) {
    const x = a[key];
    const y = b[key];
    if (times === 'presence' && TIMES.has(key) ? (x === null) !== (y === null) : !sameValue(x, y)) return false;
  }
  return true;
}

function sameValue(x: unknown, y: unknown): boolean {
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  return x === y;
}

/** `next` with the rows of `before` that it holds unchanged, or `before` itself when every row is. */
export function keepUnchanged(before: BackendRowDto[], next: BackendRowDto[]): BackendRowDto[] {
  let same = before.length === next.length;
  const kept = next.map((row, i) => {
    const old = before[i];
    if (old !== undefined && sameRow(old, row)) return old;
    same = false;
    return row;
  });
  return same ? before : kept;
}

/**
 * `rows` with the last heartbeats the core sent (`heartbeats`, in the rows' order): a row whose
 * heartbeat moved is a new object, the others stay; `rows` itself when none moved. `null` when the
 * lists do not match (the page then reads every row again).
 */
export function withHeartbeats(rows: BackendRowDto[], heartbeats: (string | null)[]): BackendRowDto[] | null {
  if (rows.length !== heartbeats.length) return null;
  let moved = false;
  const next = rows.map((row, i) => {
    const beat = heartbeats[i] ?? null;
    if (row.lastHeartbeat === beat) return row;
    moved = true;
    return { ...row, lastHeartbeat: beat };
  });
  return moved ? next : rows;
}
