import { useEffect, useState } from 'react';
import { replaceEqualDeep, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BackendDetailDto,
  BackendRef,
  BackendStatusChanged,
  DashboardView,
  DiagnosisDto,
  ServiceId,
} from '../../ipc/bindings.gen';
import { call, listen, type IpcError } from '../../ipc/client';
import { keepHeartbeats, keepUnchanged, splitHeartbeats, type DashboardRow, type Heartbeats } from './rows';

export const DASHBOARD_KEY = ['dashboard'] as const;

/** Sent by the core after polls end, naming the sessions polled (those ending together in one). */
const HEALTH_UPDATED = 'health-updated';
/** Sent by the core when a backend (with notifications on) goes offline or comes back. */
const BACKEND_STATUS_CHANGED = 'backend-status-changed';

/**
 * How long announcements are gathered before the dashboard is read again. The core already
 * announces together the polls that end together; this catches the stragglers of the same round.
 */
const GATHER_POLLS_MS = 100;

/** One session's rows as last read, their heartbeats (in the rows' order), and the tags the core
 * gave them (the rows', heartbeats aside, and the heartbeats'). */
export interface SessionRows {
  session: ServiceId;
  tag: string;
  beats: string;
  rows: DashboardRow[];
  heartbeats: (string | null)[];
}

/** The dashboard as the page holds it: the core's view with every session's rows at hand (and
 * without the core's clock, which would make every read a change). */
export interface Dashboard extends Omit<DashboardView, 'sessionRows' | 'now'> {
  sessionRows: SessionRows[];
  /** Every row of every session, in the sessions' order. */
  rows: DashboardRow[];
  /** Every row's last heartbeat. */
  heartbeats: Heartbeats;
}

const NO_ROWS = (session: ServiceId): SessionRows => ({ session, tag: '', beats: '', rows: [], heartbeats: [] });

/**
 * The core's `view` over what the page had (`before`): a session the core sent without rows (their
 * tag unchanged) keeps its rows, the very same arrays, and takes the heartbeats the core sent, if
 * any; the whole list of rows stays the same array while no session's rows change, so a poll that
 * only moved heartbeats works nothing out again (columns, filter, sort, rows) but the heartbeats.
 * A session whose rows changed keeps the objects of its rows that did not; a read that changed
 * nothing gives `before` itself.
 */
export function mergeDashboard(before: Dashboard | undefined, view: DashboardView): Dashboard {
  const had = new Map(before?.sessionRows.map((s) => [s.session, s]));
  const sessionRows = view.sessionRows.map(({ session, tag, beats, rows, heartbeats }): SessionRows => {
    const old = had.get(session);
    if (rows !== null) {
      const sent = splitHeartbeats(rows);
      return {
        session,
        tag,
        beats,
        rows: old ? keepUnchanged(old.rows, sent.rows) : sent.rows,
        heartbeats: old ? keepHeartbeats(old.heartbeats, sent.heartbeats) : sent.heartbeats,
      };
    }
    // Rows left out are those of the tag the page named; were they not, the next read asks again.
    if (!old || old.tag !== tag) return NO_ROWS(session);
    if (heartbeats === null) return old;
    if (heartbeats.length !== old.rows.length) return NO_ROWS(session);
    return { ...old, beats, heartbeats: keepHeartbeats(old.heartbeats, heartbeats) };
  });
  const aligned = before !== undefined && sessionRows.length === before.sessionRows.length;
  const sameRows = aligned && sessionRows.every((s, i) => s.rows === before.sessionRows[i]?.rows);
  const sameBeats = sameRows && sessionRows.every((s, i) => s.heartbeats === before.sessionRows[i]?.heartbeats);
  const sameSessions = aligned && sessionRows.every((s, i) => s === before.sessionRows[i]);
  const next: Dashboard = {
    // The few other fields, compared deeply: what did not change stays the same objects.
    ...replaceEqualDeep(before && otherFields(before), otherFields(view)),
    sessionRows: sameSessions ? before.sessionRows : sessionRows,
    rows: sameRows ? before.rows : sessionRows.flatMap((s) => s.rows),
    heartbeats: sameBeats ? before.heartbeats : heartbeatsOf(sessionRows),
  };
  const unchanged =
    before !== undefined && (Object.keys(next) as (keyof Dashboard)[]).every((key) => next[key] === before[key]);
  return unchanged ? before : next;
}

/** Every session's rows' heartbeats, by row. */
function heartbeatsOf(sessionRows: SessionRows[]): Heartbeats {
  const beats = new Map<DashboardRow, string | null>();
  for (const { rows, heartbeats } of sessionRows) rows.forEach((row, i) => beats.set(row, heartbeats[i] ?? null));
  return beats;
}

/** What the dashboard holds besides the rows. */
function otherFields({ sessions, notPolled, refreshSecs, historyError, historyNotice }: Omit<Dashboard, 'sessionRows' | 'rows' | 'heartbeats'>) {
  return { sessions, notPolled, refreshSecs, historyError, historyNotice };
}

/** Every backend of every signed-in session; re-read after the polls the core announces. */
export function useDashboard() {
  const client = useQueryClient();
  useEffect(() => {
    const polled = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const reread = () => {
      timer = undefined;
      void client.invalidateQueries({ queryKey: DASHBOARD_KEY });
      // An open detail of a polled session follows too (its badge and primary check); closed ones
      // are only marked stale.
      for (const session of polled) void client.invalidateQueries({ queryKey: ['backend-detail', session] });
      polled.clear();
    };
    const unlisten = listen(HEALTH_UPDATED, ({ sessions }) => {
      for (const { session } of sessions) polled.add(session);
      timer ??= setTimeout(reread, GATHER_POLLS_MS);
    });
    return () => {
      unlisten();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [client]);
  return useQuery<Dashboard, IpcError>({
    queryKey: DASHBOARD_KEY,
    queryFn: async () => {
      // The core sends again only the sessions whose rows changed since these.
      const before = client.getQueryData<Dashboard>(DASHBOARD_KEY);
      const known = before?.sessionRows.map(({ session, tag, beats }) => ({ session, tag, beats })) ?? [];
      return mergeDashboard(before, await call('dashboard_snapshot', { known }));
    },
    // `mergeDashboard` keeps what did not change.
    structuralSharing: false,
    // The events drive refreshes; this only catches a missed one.
    refetchInterval: 30_000,
  });
}

/** Polls every service now; the table follows as each poll is announced. */
export function useRefreshDashboard() {
  const client = useQueryClient();
  return useMutation<null, IpcError, void>({
    mutationFn: () => call('refresh_dashboard'),
    // The sessions signed in since the last read show at once (as not yet polled).
    onSuccess: () => client.invalidateQueries({ queryKey: DASHBOARD_KEY }),
  });
}

export const detailKey = ({ service, backend }: BackendRef) => ['backend-detail', service, backend];

export function useBackendDetail(backend: BackendRef) {
  return useQuery<BackendDetailDto, IpcError>({
    queryKey: detailKey(backend),
    queryFn: () => call('backend_detail', { backend }),
  });
}

export function useDiagnose() {
  const client = useQueryClient();
  return useMutation<DiagnosisDto, IpcError, BackendRef>({
    mutationFn: (backend) => call('diagnose_backend', { backend }),
    // The checks may have seen it come back (or go): the detail and the table follow.
    onSuccess: (_diagnosis, backend) => {
      void client.invalidateQueries({ queryKey: detailKey(backend) });
      void client.invalidateQueries({ queryKey: DASHBOARD_KEY });
    },
  });
}

/** The per-backend notification switch; the detail shows the new state at once (the switch
 * would otherwise spring back until the detail is read again) and goes back if the core refuses. */
export function useSetNotifications() {
  const client = useQueryClient();
  return useMutation<
    boolean,
    IpcError,
    { backend: BackendRef; on: boolean },
    { before: BackendDetailDto | undefined }
  >({
    mutationFn: (args) => call('set_backend_notifications', args),
    onMutate: async ({ backend, on }) => {
      const key = detailKey(backend);
      await client.cancelQueries({ queryKey: key });
      const before = client.getQueryData<BackendDetailDto>(key);
      if (before) client.setQueryData<BackendDetailDto>(key, { ...before, notify: on });
      return { before };
    },
    onError: (_error, { backend }, context) => {
      if (context?.before) client.setQueryData(detailKey(backend), context.before);
    },
    onSettled: (_on, _error, { backend }) => {
      void client.invalidateQueries({ queryKey: DASHBOARD_KEY });
      void client.invalidateQueries({ queryKey: detailKey(backend) });
    },
  });
}

export interface Toast extends BackendStatusChanged {
  id: number;
}

/** The in-app notifications of backends going offline or coming back (each shown for 10 s). */
export function useStatusToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useEffect(() => {
    let next = 0;
    const timers: number[] = [];
    const stop = listen(BACKEND_STATUS_CHANGED, (change) => {
      const id = ++next;
      setToasts((list) => [...list.slice(-4), { ...change, id }]);
      timers.push(window.setTimeout(() => setToasts((list) => list.filter((t) => t.id !== id)), 10_000));
    });
    return () => {
      timers.forEach((t) => window.clearTimeout(t));
      stop();
    };
  }, []);
  const dismiss = (id: number) => setToasts((list) => list.filter((t) => t.id !== id));
  return { toasts, dismiss };
}
