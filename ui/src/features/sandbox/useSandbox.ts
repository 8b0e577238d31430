import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SandboxView } from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';

const KEY = ['sandbox'] as const;

/** The sandbox's state; polled every 2 s while it starts or runs, so heartbeats tick live. */
export function useSandbox() {
  return useQuery<SandboxView, IpcError>({
    queryKey: KEY,
    queryFn: () => call('sandbox_status'),
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      return state === 'running' || state === 'starting' ? 2000 : false;
    },
  });
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
