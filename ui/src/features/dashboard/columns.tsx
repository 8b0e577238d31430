// The backends table's columns, each sized to its content: its header never clipped, its widest
// value shown whole on one line when the table has room. When it has not, the widest columns that
// may wrap (scheduler, pools, the times) take two lines, broken only between words, and headers
// break between their words; only when that is not enough are the columns that can lose width
// without losing meaning (pools, scheduler, namespace, long backend names) cut with an ellipsis
// (the full value on hover). The session is never cut, so two services' backends of the same name
// stay apart. A column no backend has a value for is left out.
import { Fragment, useLayoutEffect, useMemo, useState, type ReactNode, type RefObject } from 'react';
import { When } from '../../app/time';
import { sameRow, type DashboardRow } from './rows';

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
  /** The value's widest form on one line, in px; 0 when the row has none. */
  width: (row: DashboardRow, measure: Measure) => number;
  /** A column whose cells may take two lines: the value's words, each kept whole (a line breaks
   * only between two). Scheduler and pools cells show exactly these words (`Words`); a time's are
   * those of its widest usual form. */
  words?: (row: DashboardRow) => string[];
  /** The cell of `row`, whose last heartbeat is `heartbeat`. */
  cell: (row: DashboardRow, heartbeat: string | null) => ReactNode;
  /** Full value on hover when it may be cut. */
  title?: (row: DashboardRow) => string;
  /** How far it may shrink (px) when the table is too narrow; absent: never below its content. */
  shrinkTo?: number;
}

/** The sorted column's arrow after its header, kept with the header's last word. */
export const SORT_ARROW = { asc: '\u00a0▲', desc: '\u00a0▼' } as const;

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
    // Sized for an age whether or not the row has had a heartbeat yet: the rows' widths do not
    // depend on their heartbeats, which move at nearly every poll.
    width: (_, m) => Math.max(m(AGE_SAMPLE), m('never')),
    words: () => AGE_SAMPLE.split(' '),
    cell: (_, heartbeat) => <When iso={heartbeat} none="never" />,
  },
  {
    key: 'offlineSince',
    label: 'Offline since',
    width: (r, m) => (r.offlineSince ? m(AGE_SAMPLE) : 0),
    words: (r) => (r.offlineSince ? AGE_SAMPLE.split(' ') : []),
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
    width: (r, m) => m(schedulerWords(r).join(' ')),
    words: schedulerWords,
    // The scheduler's name, after its type, is muted.
    cell: (r) => <Words words={schedulerWords(r)} mutedFrom={1} />,
    title: (r) => schedulerWords(r).join(' '),
    shrinkTo: 64,
  },
  {
    key: 'pools',
    label: 'Pools',
    width: (r, m) => m(poolWords(r).join(' ')),
    words: poolWords,
    cell: (r) => <Words words={poolWords(r)} />,
    title: (r) => poolWords(r).join(' '),
    shrinkTo: 64,
  },
];

/** `kai ·`, `kai-scheduler`: the type and its separator stay together. */
function schedulerWords(r: DashboardRow): string[] {
  return r.schedulerName ? [`${r.schedulerType} ·`, r.schedulerName] : [r.schedulerType];
}

/** `training,`, `inference`: a pool name is never broken. */
function poolWords(r: DashboardRow): string[] {
  return r.pools.map((p, i) => (i < r.pools.length - 1 ? `${p},` : p));
}

/** Words separated by spaces, each kept on one line: a cell breaks only between two. */
function Words({ words, mutedFrom }: { words: string[]; mutedFrom?: number }) {
  return (
    <>
      {words.map((w, i) => (
        <Fragment key={i}>
          {i > 0 ? ' ' : ''}
          <span className={mutedFrom !== undefined && i >= mutedFrom ? 'bt-word muted' : 'bt-word'}>{w}</span>
        </Fragment>
      ))}
    </>
  );
}

/** The least width (px) at which `words` take at most two lines, broken only between words. */
function twoLineWidth(words: string[], measure: (text: string) => number): number {
  let least = measure(words.join(' '));
  for (let k = 1; k < words.length; k += 1) {
    least = Math.min(least, Math.max(measure(words.slice(0, k).join(' ')), measure(words.slice(k).join(' '))));
  }
  return least;
}

export interface Layout {
  columns: Column[];
  /** `grid-template-columns` of every row. */
  template: string;
  /** The rows' least width in px (wider than the table: it scrolls sideways). */
  minWidth: number;
  /** Every row's height in px: taller when a column takes two lines. */
  rowHeight: number;
}

/** A row's height in px with everything on one line, and with a column on two lines. */
const ROW_HEIGHT = { oneLine: 34, twoLines: 40 } as const;

/** What a column needs (px): its content and header on one line, and the least widths at which
 * both stay whole (on two lines where the column wraps) and at which it may be cut. */
export interface Needs {
  wanted: number;
  whole: number;
  cut: number;
}

/**
 * Widths (px) for columns with `needs`, in `room` px: extra room is shared in proportion to the
 * wants; missing room is taken from the widest column first, first down to its `whole` width (two
 * lines where it wraps, nothing cut), and only then down to its `cut` width.
 */
export function fitWidths(needs: Needs[], room: number): number[] {
  const widths = needs.map((n) => n.wanted);
  const total = widths.reduce((a, b) => a + b, 0);
  if (total <= room) return widths.map((w) => w + ((room - total) * w) / total);
  let missing = total - room;
  for (const floor of [needs.map((n) => n.whole), needs.map((n) => n.cut)]) {
    for (; missing > 0; missing -= 1) {
      let widest = -1;
      widths.forEach((w, i) => {
        if (w - 1 >= (floor[i] ?? w) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
      });
      if (widest < 0) break;
      widths[widest] = (widths[widest] ?? 0) - 1;
    }
  }
  return widths;
}

/** A column's needs from its values' widest `line` and `whole` widths, with `slack` px added to
 * each width, and its header's words. */
function needsOf(column: Column, values: { line: number; whole: number }, label: string[], measure: Measure, slack: number): Needs {
  const header = (text: string) => measure(text, 'header');
  const headerLine = Math.ceil(header(label.join(' '))) + slack;
  // Headers break between their words.
  const headerWhole = Math.ceil(twoLineWidth(label, header)) + slack;
  const line = Math.ceil(values.line) + slack;
  const valueWhole = Math.ceil(values.whole) + slack;
  const wanted = Math.max(line, headerLine);
  const whole = Math.max(valueWhole, headerWhole);
  const cut = column.shrinkTo === undefined ? whole : Math.min(whole, Math.max(headerWhole, Math.min(wanted, column.shrinkTo)));
  return { wanted, whole, cut };
}

/** One row's values in every column of `COLUMNS`: at `2i` the width on one line, at `2i + 1` the
 * least width at which it stays whole (on two lines where the column wraps). */
type RowWidths = Float64Array;

function rowWidths(row: DashboardRow, measure: Measure): RowWidths {
  const widths = new Float64Array(COLUMNS.length * 2);
  COLUMNS.forEach((c, i) => {
    const line = c.width(row, measure);
    widths[2 * i] = line;
    widths[2 * i + 1] = c.words ? twoLineWidth(c.words(row), (t) => measure(t)) : line;
  });
  return widths;
}

/**
 * Every row's widths, remembered while the fonts stay: the columns are sized again at every poll
 * that changes a row, over every row, and most rows take the widths they took before (a row whose
 * offline time moved takes its earlier widths, found by its session and name).
 */
function widthsIn(measure: Measure) {
  const byRow = new WeakMap<DashboardRow, RowWidths>();
  let byName = new Map<string, { row: DashboardRow; widths: RowWidths }>();
  return (rows: DashboardRow[]) => {
    const line = new Float64Array(COLUMNS.length);
    const whole = new Float64Array(COLUMNS.length);
    // Backends deleted long ago are forgotten.
    if (byName.size > 2 * rows.length + 100) byName = new Map();
    for (const row of rows) {
      let widths = byRow.get(row);
      if (!widths) {
        const name = `${row.session}\u0000${row.name}`;
        const before = byName.get(name);
        widths = before && sameRow(before.row, row, 'presence') ? before.widths : rowWidths(row, measure);
        byRow.set(row, widths);
        byName.set(name, { row, widths });
      }
      for (let i = 0; i < COLUMNS.length; i += 1) {
        line[i] = Math.max(line[i] ?? 0, widths[2 * i] ?? 0);
        whole[i] = Math.max(whole[i] ?? 0, widths[2 * i + 1] ?? 0);
      }
    }
    return COLUMNS.map((_, i) => ({ line: line[i] ?? 0, whole: whole[i] ?? 0 }));
  };
}

/**
 * The columns that have something to show, sized to `all` rows (not only the shown ones, so filtering
 * does not move them), with room for the sort arrow in the header of the column `sortedBy`.
 */
export function useColumnLayout(all: DashboardRow[], sortedBy: SortKey, table: RefObject<HTMLDivElement | null>): Layout {
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

  // The measuring canvas follows the table's fonts, and so do the rows' widths.
  const measure = useMemo(() => measureIn(box), [box]);
  const widthsOf = useMemo(() => widthsIn(measure), [measure]);
  const sized = useMemo(() => {
    const values = widthsOf(all);
    const shown = COLUMNS.filter((_, i) => !hasRows || (values[i]?.line ?? 0) > 0);
    // Rounding can cut a cell's last pixel: every width gets a little slack.
    const slack = 4;
    // The sorted column's header also holds its arrow, kept with the last word.
    const label = (c: Column) => (c.key === sortedBy ? `${c.label}${SORT_ARROW.asc}` : c.label).split(' ');
    const needs = shown.map((c) => needsOf(c, values[COLUMNS.indexOf(c)] ?? { line: 0, whole: 0 }, label(c), measure, slack));
    const gaps = (box?.gap ?? 0) * (shown.length - 1);
    const widths = fitWidths(needs, Math.max(0, (box?.room ?? 0) - gaps)).map(Math.floor);
    const twoLines = widths.some((w, i) => w < (needs[i]?.wanted ?? 0));
    return {
      keys: shown.map((c) => c.key).join(' '),
      template: widths.map((w) => `${w}px`).join(' '),
      minWidth: widths.reduce((a, b) => a + b, 0) + gaps,
      rowHeight: twoLines ? ROW_HEIGHT.twoLines : ROW_HEIGHT.oneLine,
    };
  }, [all, hasRows, box, measure, widthsOf, sortedBy]);
  // The same columns keep the same array, so rows need not render again when only widths move.
  const columns = useMemo(() => COLUMNS.filter((c) => sized.keys.split(' ').includes(c.key)), [sized.keys]);
  const { template, minWidth, rowHeight } = sized;
  return useMemo(() => ({ columns, template, minWidth, rowHeight }), [columns, template, minWidth, rowHeight]);
}

/** How many measured texts are remembered before the memory starts over (a few per row and column). */
const MEASURED_TEXTS_KEPT = 20_000;

/**
 * Measures texts in the table's fonts (`box`), or roughly before the table is laid out. Every width
 * is remembered while the fonts stay: the columns are sized again at every poll, over every row, and
 * most texts (names, versions, pools) are the same as at the last poll.
 */
function measureIn(box: Box | null): Measure {
  const context = document.createElement('canvas').getContext('2d');
  const measured = new Map<string, number>();
  let font: string | undefined;
  return (text, kind = 'cell') => {
    if (!context || !box) return text.length * 8;
    const key = `${kind}\u0000${text}`;
    const known = measured.get(key);
    if (known !== undefined) return known;
    if (font !== box.fonts[kind]) {
      font = box.fonts[kind];
      context.font = font;
    }
    const width = context.measureText(text).width;
    if (measured.size >= MEASURED_TEXTS_KEPT) measured.clear();
    measured.set(key, width);
    return width;
  };
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
