import { useEffect, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BackendDetailDto,
  BackendRef,
  BackendStatusChanged,
  DashboardView,
  DiagnosisDto,
} from '../../ipc/bindings.gen';
import { call, listen, type IpcError } from '../../ipc/client';

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
  return useQuery<DashboardView, IpcError>({
    queryKey: DASHBOARD_KEY,
    queryFn: () => call('dashboard_snapshot'),
    // The events drive refreshes; this only catches a missed one.
    refetchInterval: 30_000,
  });
}

export function useRefreshDashboard() {
  const client = useQueryClient();
  return useMutation<DashboardView, IpcError, void>({
    mutationFn: () => call('refresh_dashboard'),
    onSuccess: (view) => client.setQueryData(DASHBOARD_KEY, view),
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
