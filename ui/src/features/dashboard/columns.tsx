// The backends table's columns, each sized to its content: its header never clipped, its widest
// value shown whole when the table has room. When it has not, the widest of the columns that can
// lose width without losing meaning (pools, scheduler, namespace, long backend names) are cut with
// an ellipsis (the full value on hover); the session is never cut, so two services' backends of the
// same name stay apart. A column no backend has a value for is left out.
import { useLayoutEffect, useMemo, useState, type ReactNode, type RefObject } from 'react';
import type { BackendRowDto } from '../../ipc/bindings.gen';
import { When } from '../../app/time';

export type SortKey =
  | 'name'
  | 'session'
  | 'status'
  | 'heartbeat'
  | 'offlineSince'
  | 'version'
  | 'namespace'
  | 'scheduler'
  | 'pools';

/** Measures a text in the table's cell font (`badge`: in a status badge's font). */
type Measure = (text: string, font?: 'cell' | 'badge' | 'header') => number;

export interface Column {
  key: SortKey;
  label: string;
  /** The value's widest form, in px; 0 when the row has none. */
  width: (row: BackendRowDto, measure: Measure) => number;
  cell: (row: BackendRowDto) => ReactNode;
  /** Full value on hover when it may be cut. */
  title?: (row: BackendRowDto) => string;
  /** How far it may shrink (px) when the table is too narrow; absent: never below its content. */
  shrinkTo?: number;
}

/** A relative time's widest usual form ("59 min ago"). */
const AGE_SAMPLE = '59 min ago';
/** A status badge's padding and the bell of a backend whose notifications are off. */
const BADGE_PAD = 18;
const BELL = ' 🔕';

export const COLUMNS: Column[] = [
  {
    key: 'name',
    label: 'Backend',
    width: (r, m) => m(r.name) + (r.warnings.length > 0 ? m('⚠ ') : 0),
    cell: (r) => (
      <>
        {r.warnings.length > 0 ? <StoredValuesMarker warnings={r.warnings} /> : null}
        {r.name}
      </>
    ),
    title: (r) => r.name,
    shrinkTo: 150,
  },
  { key: 'session', label: 'Session', width: (r, m) => m(r.session), cell: (r) => r.session },
  {
    key: 'status',
    label: 'Status',
    width: (r, m) => m(r.online ? 'online' : 'offline', 'badge') + BADGE_PAD + (r.notify ? 0 : m(BELL)),
    cell: (r) => (
      <>
        <span className={r.online ? 'badge ok' : 'badge offline'}>{r.online ? 'online' : 'offline'}</span>
        {r.notify ? null : (
          <span className="muted small" title="Notifications off">
            {BELL}
          </span>
        )}
      </>
    ),
  },
  {
    key: 'heartbeat',
    label: 'Last heartbeat',
    width: (r, m) => m(r.lastHeartbeat ? AGE_SAMPLE : 'never'),
    cell: (r) => <When iso={r.lastHeartbeat} none="never" />,
  },
  {
    key: 'offlineSince',
    label: 'Offline since',
    width: (r, m) => (r.offlineSince ? m(AGE_SAMPLE) : 0),
    cell: (r) => <When iso={r.offlineSince} />,
  },
  { key: 'version', label: 'Version', width: (r, m) => m(r.version), cell: (r) => r.version },
  {
    key: 'namespace',
    label: 'Namespace',
    width: (r, m) => m(r.k8sNamespace),
    cell: (r) => r.k8sNamespace,
    title: (r) => r.k8sNamespace,
    // The usual osmo-workflows stays whole.
    shrinkTo: 120,
  },
  {
    key: 'scheduler',
    label: 'Scheduler',
    width: (r, m) => m(schedulerText(r)),
    cell: (r) => (
      <>
        {r.schedulerType}
        {r.schedulerName ? <span className="muted"> · {r.schedulerName}</span> : null}
      </>
    ),
    title: schedulerText,
    shrinkTo: 64,
  },
  {
    key: 'pools',
    label: 'Pools',
    width: (r, m) => m(r.pools.join(', ')),
    cell: (r) => r.pools.join(', '),
    title: (r) => r.pools.join(', '),
    shrinkTo: 64,
  },
];

function schedulerText(r: BackendRowDto): string {
  return r.schedulerName ? `${r.schedulerType} · ${r.schedulerName}` : r.schedulerType;
}

export interface Layout {
  columns: Column[];
  /** `grid-template-columns` of every row. */
  template: string;
  /** The rows' least width in px (wider than the table: it scrolls sideways). */
  minWidth: number;
}

/**
 * Widths (px) for columns whose content wants `wanted` and whose header needs `header`, in `room` px:
 * extra room is shared in proportion to the wants; missing room is taken from the widest shrinkable
 * column first, never below its header nor its `shrinkTo`.
 */
export function fitWidths(columns: Column[], wanted: number[], header: number[], room: number): number[] {
  const widths = wanted.map((w, i) => Math.max(w, header[i] ?? 0));
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= room) return widths.map((w) => w + ((room - total) * w) / total);
  const floors = columns.map((c, i) =>
    c.shrinkTo === undefined ? (widths[i] ?? 0) : Math.max(header[i] ?? 0, Math.min(widths[i] ?? 0, c.shrinkTo)),
  );
  for (let missing = total - room; missing > 0; missing -= 1) {
    let widest = -1;
    widths.forEach((w, i) => {
      if (w - 1 >= (floors[i] ?? w) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    });
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}

/**
 * The columns that have something to show, sized to `all` rows (not only the shown ones, so filtering
 * does not move them), with room for the sort arrow in the header of the column `sortedBy`.
 */
export function useColumnLayout(all: BackendRowDto[], sortedBy: SortKey, table: RefObject<HTMLDivElement | null>): Layout {
  const [box, setBox] = useState<Box | null>(null);
  const hasRows = all.length > 0;
  useLayoutEffect(() => {
    const el = table.current;
    if (!el) return;
    const measure = () => setBox(measureBox(el));
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [table, hasRows]);

  // Each row's widths per column, measured once per row object and font (equal polls keep the objects).
  const measured = useMemo(() => rowWidths(box), [box]);
  const sized = useMemo(() => {
    const perRow = all.map(measured.of);
    const shown = COLUMNS.flatMap((_, i) => (!hasRows || perRow.some((w) => (w[i] ?? 0) > 0) ? [i] : []));
    // Rounding can cut a cell's last pixel: every width gets a little slack.
    const slack = 4;
    const wanted = shown.map((i) => Math.ceil(perRow.reduce((most, w) => Math.max(most, w[i] ?? 0), 0)) + slack);
    const arrow = measured.measure(' ▲', 'header');
    // The sorted column's header also holds its arrow.
    const header = shown.map((i) => {
      const c = COLUMNS[i]!;
      return Math.ceil(measured.measure(c.label, 'header') + (c.key === sortedBy ? arrow : 0)) + slack;
    });
    return { keys: shown.map((i) => COLUMNS[i]!.key).join(' '), wanted, header };
  }, [all, hasRows, measured, sortedBy]);
  // The same columns keep the same array, so rows need not render again when only widths move.
  const columns = useMemo(() => COLUMNS.filter((c) => sized.keys.split(' ').includes(c.key)), [sized.keys]);
  const gaps = (box?.gap ?? 0) * (columns.length - 1);
  const widths = fitWidths(columns, sized.wanted, sized.header, Math.max(0, (box?.room ?? 0) - gaps)).map(Math.floor);
  const template = widths.map((w) => `${w}px`).join(' ');
  const minWidth = widths.reduce((a, b) => a + b, 0) + gaps;
  return useMemo(() => ({ columns, template, minWidth }), [columns, template, minWidth]);
}

/** Measures texts in the table's fonts, and each row's width per column (kept per row object). */
function rowWidths(box: Box | null) {
  const context = document.createElement('canvas').getContext('2d');
  const measure: Measure = (text, font = 'cell') => {
    if (!context || !box) return text.length * 8;
    context.font = box.fonts[font];
    return context.measureText(text).width;
  };
  const byRow = new WeakMap<BackendRowDto, number[]>();
  const of = (row: BackendRowDto): number[] => {
    const known = byRow.get(row);
    if (known) return known;
    const widths = COLUMNS.map((c) => c.width(row, measure));
    byRow.set(row, widths);
    return widths;
  };
  return { measure, of };
}

interface Box {
  /** The width the columns share (without the rows' padding and the body's scrollbar), in px. */
  room: number;
  /** The gap between two columns, in px. */
  gap: number;
  fonts: { cell: string; badge: string; header: string };
}

function measureBox(table: HTMLElement): Box | null {
  const body = table.querySelector('.bt-body');
  const row = table.querySelector('.bt-head .bt-row');
  if (!body || !row) return null;
  const style = getComputedStyle(row);
  const scrollbar = body.getBoundingClientRect().width - body.clientWidth;
  const font = (selector: string) => getComputedStyle(table.querySelector(selector) ?? body).font;
  return {
    room: table.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - scrollbar,
    gap: parseFloat(style.columnGap) || 0,
    fonts: { cell: getComputedStyle(body).font, badge: font('.bt-body .badge'), header: font('button.sort') },
  };
}

/** The service stored values for this backend that the app did not expect; the row shows them as stored. */
function StoredValuesMarker({ warnings }: { warnings: string[] }) {
  const text = `${STORED_VALUES_INTRO} ${warnings.join('; ')}`;
  return (
    <span className="stored-warning" role="img" aria-label={text} title={text}>
      ⚠{' '}
    </span>
  );
}

export const STORED_VALUES_INTRO = 'The service stored values the app did not expect:';
