import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SandboxState, SandboxView } from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';

const KEY = ['sandbox'] as const;

/**
 * The sandbox's view; polled every 2 s while it starts or runs, so heartbeats stay live (every
 * second while its local cluster starts, so the cluster shows as soon as it runs).
 */
export function useSandbox() {
  return useQuery<SandboxView, IpcError>(SANDBOX_QUERY);
}

const SANDBOX_QUERY = {
  queryKey: KEY,
  queryFn: () => call('sandbox_status'),
  refetchInterval: (query: { state: { data?: SandboxView } }) => {
    const view = query.state.data;
    if (view?.state === 'running' && view.clusterState === 'starting') return 1000;
    return view?.state === 'running' || view?.state === 'starting' ? 2000 : false;
  },
};

/** Only the sandbox's state and why it failed: its caller re-renders when they change, not on every poll. */
export function useSandboxState(): { state: SandboxState; error: string | null } | undefined {
  return useQuery<SandboxView, IpcError, { state: SandboxState; error: string | null }>({
    ...SANDBOX_QUERY,
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

export function useSandboxSummary(): SandboxSummary | null {
  return (
    useQuery<SandboxView, IpcError, SandboxSummary | null>({ ...SANDBOX_QUERY, select: summarize }).data ?? null
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
