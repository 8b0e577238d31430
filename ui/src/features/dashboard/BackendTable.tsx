// The backends table, virtualized: only the rows in view (plus a few) are in the DOM, so 1,000+
// backends scroll smoothly. Arrow keys move the selected row, Enter opens its detail. A row renders
// again only when its backend's values, its heartbeat, its place or its selection change (a poll
// that changes one backend re-renders that row alone).
import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import { SORT_ARROW, useColumnLayout, type Column, type SortKey } from './columns';
import type { DashboardRow, Heartbeats } from './rows';

export type { SortKey };
export interface Sort {
  key: SortKey;
  dir: 'asc' | 'desc';
}

const OVERSCAN = 6;

const rowId = (r: DashboardRow) => `backend-${r.session}-${r.name}`.replace(/[^A-Za-z0-9_-]/g, '_');

interface Props {
  /** The rows shown (filtered and sorted). */
  rows: DashboardRow[];
  /** Every row, which the columns are sized to. */
  all: DashboardRow[];
  /** Every row's last heartbeat. */
  heartbeats: Heartbeats;
  sort: Sort;
  onSort: (key: SortKey) => void;
  onOpen: (row: DashboardRow) => void;
}

export const BackendTable = memo(function BackendTable({ rows, all, heartbeats, sort, onSort, onOpen }: Props) {
  const table = useRef<HTMLDivElement>(null);
  const scroller = useRef<HTMLDivElement>(null);
  const layout = useColumnLayout(all, sort.key, table);
  const { rowHeight } = layout;
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(480);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const selectedIndex = selectedKey === null ? -1 : rows.findIndex((r) => rowId(r) === selectedKey);
  const selectedRow = selectedIndex >= 0 ? rows[selectedIndex] : undefined;

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || 480);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const select = useCallback(
    (index: number) => {
      const row = rows[index];
      if (!row) return;
      setSelectedKey(rowId(row));
      const el = scroller.current;
      if (!el) return;
      const top = index * rowHeight;
      if (top < el.scrollTop) el.scrollTop = top;
      else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    },
    [rows, rowHeight],
  );

  // Keep the scroll position within the (possibly shorter) filtered list.
  useEffect(() => {
    const el = scroller.current;
    if (el && el.scrollTop > rows.length * rowHeight) el.scrollTop = 0;
  }, [rows.length, rowHeight]);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const page = Math.max(1, Math.floor(height / rowHeight) - 1);
    const from = selectedIndex < 0 ? -1 : selectedIndex;
    let next: number | null = null;
    if (e.key === 'ArrowDown') next = Math.min(rows.length - 1, from + 1);
    else if (e.key === 'ArrowUp') next = Math.max(0, from - 1);
    else if (e.key === 'PageDown') next = Math.min(rows.length - 1, from + page);
    else if (e.key === 'PageUp') next = Math.max(0, from - page);
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = rows.length - 1;
    else if (e.key === 'Enter' && selectedRow) {
      e.preventDefault();
      onOpen(selectedRow);
      return;
    }
    if (next !== null && rows.length > 0) {
      e.preventDefault();
      select(next);
    }
  };

  const pick = useCallback(
    (row: DashboardRow) => {
      setSelectedKey(rowId(row));
      onOpen(row);
    },
    [onOpen],
  );

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const windowRows = rows.slice(first, last);
  const activeId = selectedRow ? rowId(selectedRow) : undefined;

  return (
    <div
      ref={table}
      className="backend-table"
      role="table"
      aria-label="Backends"
      aria-rowcount={rows.length + 1}
      style={
        {
          '--bt-columns': layout.template,
          '--bt-min-width': `${layout.minWidth}px`,
          '--bt-row-height': `${rowHeight}px`,
        } as CSSProperties
      }
    >
      <div className="bt-head" role="rowgroup">
        <div className="bt-row" role="row" aria-rowindex={1}>
          {layout.columns.map((c) => (
            <div
              key={c.key}
              role="columnheader"
              className="bt-cell"
              aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            >
              <button type="button" className="sort" onClick={() => onSort(c.key)}>
                {c.label}
                <span aria-hidden="true">{sort.key === c.key ? SORT_ARROW[sort.dir] : ''}</span>
              </button>
            </div>
          ))}
        </div>
      </div>
      <div
        ref={scroller}
        className="bt-body"
        role="rowgroup"
        tabIndex={0}
        aria-label="Backend rows: arrow keys select, Enter opens the detail"
        aria-activedescendant={activeId}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        onKeyDown={onKeyDown}
      >
        {rows.length === 0 ? <p className="muted bt-none">No backend matches.</p> : null}
        <div className="bt-spacer" style={{ height: rows.length * rowHeight }}>
          {windowRows.map((row, i) => {
            const id = rowId(row);
            return (
              <BackendRow
                key={id}
                id={id}
                row={row}
                heartbeat={heartbeats.get(row) ?? null}
                index={first + i}
                selected={id === activeId}
                columns={layout.columns}
                rowHeight={rowHeight}
                onPick={pick}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
});

interface RowProps {
  id: string;
  row: DashboardRow;
  heartbeat: string | null;
  /** The row's place among the shown rows (0 first). */
  index: number;
  selected: boolean;
  columns: Column[];
  rowHeight: number;
  onPick: (row: DashboardRow) => void;
}

const BackendRow = memo(function BackendRow({ id, row, heartbeat, index, selected, columns, rowHeight, onPick }: RowProps) {
  return (
    <div
      id={id}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={selected ? 'bt-row bt-data selected' : 'bt-row bt-data'}
      style={{ transform: `translateY(${index * rowHeight}px)` }}
      onClick={() => onPick(row)}
    >
      {columns.map((c) => (
        <div key={c.key} role="cell" className={`bt-cell bt-${c.key}${c.words ? ' bt-wrap' : ''}`} title={c.title?.(row)}>
          {c.cell(row, heartbeat)}
        </div>
      ))}
    </div>
  );
});
