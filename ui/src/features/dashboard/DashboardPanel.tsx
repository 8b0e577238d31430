// The Dashboard: every backend of every signed-in session in one table (virtualized, sortable,
// filterable, searchable, keyboard-driven), with per-session totals and freshness on top.
import { memo, useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { BackendRef, SessionHealthDto } from '../../ipc/bindings.gen';
import { ErrorMessage } from '../../app/ErrorMessage';
import { Modal } from '../../app/Modal';
import { SandboxOffer } from '../sandbox/SandboxPanel';
import { BackendDetail } from './BackendDetail';
import { BackendTable, type SortKey, type Sort } from './BackendTable';
import { SearchField } from '../../app/SearchField';
import { When } from '../../app/time';
import { useDashboard, useRefreshDashboard, useStatusToasts } from './useDashboard';
import type { DashboardRow, Heartbeats } from './rows';
import './dashboard.css';

export type StatusFilter = 'all' | 'online' | 'offline';

const NO_HEARTBEATS: Heartbeats = new Map();

function sortValue(row: DashboardRow, key: SortKey, heartbeats: Heartbeats): string | number {
  switch (key) {
    case 'name':
      return row.name.toLowerCase();
    case 'session':
      return row.session.toLowerCase();
    case 'status':
      return row.online ? 1 : 0;
    case 'heartbeat':
      // Oldest heartbeat first when ascending ("longest silent").
    {
      const heartbeat = heartbeats.get(row);
      return heartbeat ? Date.parse(heartbeat) : 0;
    }
    case 'offlineSince':
      return row.offlineSince ? Date.parse(row.offlineSince) : Number.MAX_SAFE_INTEGER;
    case 'version':
      return row.version;
    case 'namespace':
      return row.k8sNamespace;
    case 'scheduler':
      return `${row.schedulerType} ${row.schedulerName}`;
    case 'pools':
      return row.pools.join(', ');
  }
}

function matches(row: DashboardRow, needle: string): boolean {
  if (!needle) return true;
  return [row.name, row.session, row.version, row.k8sNamespace, row.schedulerType, row.schedulerName, ...row.pools]
    .some((v) => v.toLowerCase().includes(needle));
}

/** The rows shown; `heartbeats` are read only when sorting by them. */
export function visibleRows(
  rows: DashboardRow[],
  heartbeats: Heartbeats,
  filter: StatusFilter,
  search: string,
  sort: Sort,
): DashboardRow[] {
  const needle = search.trim().toLowerCase();
  const kept = rows.filter(
    (r) => (filter === 'all' || (filter === 'online') === r.online) && matches(r, needle),
  );
  const dir = sort.dir === 'asc' ? 1 : -1;
  return kept
    .map((row) => ({ row, key: sortValue(row, sort.key, heartbeats) }))
    .sort((a, b) => {
      if (a.key < b.key) return -dir;
      if (a.key > b.key) return dir;
      return a.row.session.localeCompare(b.row.session) || a.row.name.localeCompare(b.row.name);
    })
    .map((x) => x.row);
}

/** `openBackend`: open this backend's detail on arrival (the command palette's "Open backend …"). */
export function DashboardPanel({
  onOpenConnections,
  openBackend,
}: {
  onOpenConnections: () => void;
  openBackend?: BackendRef | null;
}) {
  const dashboard = useDashboard();
  const refresh = useRefreshDashboard();
  const [filter, setFilter] = useState<StatusFilter>('all');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'name', dir: 'asc' });
  const [open, setOpen] = useState<BackendRef | null>(openBackend ?? null);
  const deferredSearch = useDeferredValue(search);
  const rows = dashboard.data?.rows;
  const heartbeats = dashboard.data?.heartbeats ?? NO_HEARTBEATS;
  // Heartbeats move at nearly every poll: the shown rows follow them only when sorted by them.
  const sortHeartbeats = sort.key === 'heartbeat' ? heartbeats : NO_HEARTBEATS;
  const shown = useMemo(
    () => (rows ? visibleRows(rows, sortHeartbeats, filter, deferredSearch, sort) : []),
    [rows, sortHeartbeats, filter, deferredSearch, sort],
  );
  // Stable, so the table and its rows render again only when what they show changes.
  const toggleSort = useCallback(
    (key: SortKey) =>
      setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' })),
    [],
  );
  const openRow = useCallback((row: DashboardRow) => setOpen({ service: row.session, backend: row.name }), []);

  if (dashboard.error) return <ErrorMessage error={dashboard.error} />;
  const view = dashboard.data;
  if (!view) return <p className="muted">Loading the backends…</p>;

  if (view.sessions.length === 0 && view.notPolled.length === 0) {
    return (
      <>
      <section className="card dashboard-empty" aria-labelledby="dashboard-empty-title">
        <h2 id="dashboard-empty-title">No OSMO service is signed in</h2>
        <p>
          The dashboard shows the backends of every signed-in OSMO service. Add a service and sign in
          on Connections, or start the sandbox to try it with simulated services.
        </p>
        <button type="button" className="primary" onClick={onOpenConnections}>
          Go to Connections
        </button>
      </section>
      <SandboxOffer />
      </>
    );
  }

  // The open backend's row as the latest poll has it (its stored values may have been fixed since).
  const openedRow = open ? view.rows.find((r) => r.session === open.service && r.name === open.backend) : undefined;

  return (
    <section className="dashboard" aria-label="Backends of all sessions">
      <ul className="session-totals" aria-label="Sessions">
        {view.sessions.map((s) => (
          <SessionTotals key={s.session} session={s} />
        ))}
        {view.notPolled.map((s) => (
          <li key={s.session} className="session-total stale" aria-label={s.session}>
            <strong>{s.session}</strong> <span className="badge stale-marker">not polled</span>
            <span className="session-error">{s.reason}</span>
          </li>
        ))}
      </ul>
      {view.historyError ? (
        <p className="warning">Uptime history is off: {view.historyError}</p>
      ) : null}
      {view.historyNotice ? <p className="warning">{view.historyNotice}</p> : null}
      <div className="dashboard-controls">
        <StatusFilterChips filter={filter} onChange={setFilter} />
        <SearchField
          label="Search backends"
          placeholder="Search name, session, version, namespace, scheduler, pool"
          value={search}
          onChange={setSearch}
        />
        {/* Before the count, whose text changes with a search: the button stays put. */}
        <button type="button" onClick={() => refresh.mutate()} disabled={refresh.isPending}>
          Refresh now
        </button>
        <span className="muted" role="status" aria-live="polite">
          {shown.length === view.rows.length
            ? `${view.rows.length} backends`
            : `${shown.length} of ${view.rows.length} backends`}
        </span>
      </div>
      {refresh.error ? <ErrorMessage error={refresh.error} /> : null}
      <BackendTable
        rows={shown}
        all={view.rows}
        heartbeats={view.heartbeats}
        sort={sort}
        onSort={toggleSort}
        onOpen={openRow}
      />
      <Modal open={open !== null} onClose={() => setOpen(null)} label="Backend detail" className="backend-dialog">
        {open ? (
          <BackendDetail
            session={open.service}
            backend={open.backend}
            // The row as the latest poll has it (its stored values may have been fixed since it was opened).
            warnings={openedRow?.warnings ?? []}
            online={openedRow?.online ?? false}
            onClose={() => setOpen(null)}
          />
        ) : null}
      </Modal>
    </section>
  );
}

// The status chips render again only when their own value changes (an input given new props has
// its attributes set again by React, which a poll must not cause).
const StatusFilterChips = memo(function StatusFilterChips({
  filter,
  onChange,
}: {
  filter: StatusFilter;
  onChange: (filter: StatusFilter) => void;
}) {
  return (
    <fieldset className="status-filter">
      <legend className="visually-hidden">Show</legend>
      {(['all', 'online', 'offline'] as const).map((f) => (
        <label key={f} className={filter === f ? 'chip selected' : 'chip'}>
          <input type="radio" name="status-filter" value={f} checked={filter === f} onChange={() => onChange(f)} />
          {f === 'all' ? 'All' : f === 'online' ? 'Online' : 'Offline'}
        </label>
      ))}
    </fieldset>
  );
});

const SessionTotals = memo(function SessionTotals({ session }: { session: SessionHealthDto }) {
  return (
    <li className={session.stale ? 'session-total stale' : 'session-total'} aria-label={session.session}>
      <strong>{session.session}</strong>{' '}
      <span className="badge ok">{session.online} online</span>{' '}
      <span className={session.offline > 0 ? 'badge offline' : 'badge'}>{session.offline} offline</span>{' '}
      <span className="muted">{session.total} total</span>{' '}
      <span className="muted updated">
        {session.updatedAt ? (
          <>
            updated <When iso={session.updatedAt} />
          </>
        ) : (
          'not fetched yet'
        )}
      </span>
      {session.stale ? (
        <>
          {' '}
          <span className="badge stale-marker" title="The last poll failed; these rows are older">
            stale
          </span>
          <span className="session-error" role="alert">
            {session.error}
          </span>
        </>
      ) : null}
    </li>
  );
});

/** Backends going offline or coming back, shown for a few seconds (the app's notifications). */
export function StatusToasts() {
  const { toasts, dismiss } = useStatusToasts();
  if (toasts.length === 0) return null;
  return (
    <div className="toasts" role="status" aria-live="polite" aria-label="Backend notifications">
      {toasts.map((t) => (
        <div key={t.id} className={t.online ? 'toast back' : 'toast down'}>
          <span>{t.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismiss(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
