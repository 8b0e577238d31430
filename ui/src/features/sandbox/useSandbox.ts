import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SandboxState, SandboxView } from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';

const KEY = ['sandbox'] as const;

/**
 * The sandbox's whole view (its panel on Connections, the sessions list, the palette): polled every
 * 2 s while it starts or runs, so the panel's heartbeats stay live. Only mounted where shown.
 */
export function useSandbox() {
  return useQuery<SandboxView, IpcError>({ ...SANDBOX_QUERY, refetchInterval: pollWhile(['starting', 'running'], 2000) });
}

const SANDBOX_QUERY = {
  queryKey: KEY,
  queryFn: () => call('sandbox_status'),
};

/**
 * A refetch interval of `ms` while the sandbox is in one of `states`, none otherwise; every second
 * while its local cluster starts, so the cluster shows as soon as it runs.
 */
function pollWhile(states: SandboxState[], ms: number) {
  return (query: { state: { data?: SandboxView } }) => {
    const view = query.state.data;
    if (!view || !states.includes(view.state)) return false;
    return view.state === 'running' && view.clusterState === 'starting' ? Math.min(ms, 1000) : ms;
  };
}

/**
 * Only the sandbox's state and why it failed (mounted on every screen): polled only while it starts,
 * since starting and stopping from the UI set the state themselves. Its caller re-renders when they
 * change, not on every poll.
 */
export function useSandboxState(): { state: SandboxState; error: string | null } | undefined {
  return useQuery<SandboxView, IpcError, { state: SandboxState; error: string | null }>({
    ...SANDBOX_QUERY,
    refetchInterval: pollWhile(['starting'], 1000),
    select: ({ state, error }) => ({ state, error }),
  }).data;
}

/** What the running sandbox holds, in counts (null when it does not run): equal polls keep the same object. */
export interface SandboxSummary {
  services: number;
  backends: number;
  offline: number;
  hasCluster: boolean;
  /** Its local cluster is still starting. */
  clusterStarting: boolean;
}

/** Read on the working screens: counts that change rarely, so re-read every 30 s (and by every poll of the full view). */
export function useSandboxSummary(): SandboxSummary | null {
  return (
    useQuery<SandboxView, IpcError, SandboxSummary | null>({
      ...SANDBOX_QUERY,
      refetchInterval: pollWhile(['starting', 'running'], 30_000),
      select: summarize,
    }).data ?? null
  );
}

function summarize(view: SandboxView): SandboxSummary | null {
  if (view.state !== 'running') return null;
  const backends = view.services.flatMap((s) => s.backends);
  return {
    services: view.services.length,
    backends: backends.length,
    offline: backends.filter((b) => !b.online).length,
    hasCluster: view.clusterServer !== null && view.clusterServer !== '',
    clusterStarting: view.clusterState === 'starting',
  };
}

export function useStartSandbox() {
  const client = useQueryClient();
  return useMutation<SandboxView, IpcError>({
    mutationFn: () => call('start_sandbox'),
    onMutate: () => {
      const current = client.getQueryData<SandboxView>(KEY);
      if (current) client.setQueryData(KEY, { ...current, state: 'starting' });
    },
    onSettled: (view) => {
      if (view) client.setQueryData(KEY, view);
      else void client.invalidateQueries({ queryKey: KEY });
    },
  });
}

export function useStopSandbox() {
  const client = useQueryClient();
  return useMutation<SandboxView, IpcError>({
    mutationFn: () => call('stop_sandbox'),
    onSuccess: (view) => client.setQueryData(KEY, view),
  });
}
