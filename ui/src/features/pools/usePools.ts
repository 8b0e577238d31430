import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BackendRef, PoolWriteDto, PoolsView, ServiceId } from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';
import { DASHBOARD_KEY } from '../dashboard/useDashboard';

const poolsKey = (service: ServiceId) => ['pools', service];

/** Every pool of a service, with the backend each runs on. */
export function usePools(service: ServiceId) {
  return useQuery<PoolsView, IpcError>({
    queryKey: poolsKey(service),
    queryFn: () => call('list_pools', { service }),
  });
}

/** After any pool write the answer carries the pools as re-read: show them, and refresh the
 * dashboard and the backend details (their pool lists). */
function useAfterPoolWrite(service: ServiceId) {
  const client = useQueryClient();
  return (answer: PoolWriteDto) => {
    client.setQueryData<PoolsView>(poolsKey(service), { service, pools: answer.pools });
    void client.invalidateQueries({ queryKey: DASHBOARD_KEY });
    void client.invalidateQueries({ queryKey: ['backend-detail', service] });
  };
}

export function useCreatePool(backend: BackendRef) {
  const after = useAfterPoolWrite(backend.service);
  return useMutation<PoolWriteDto, IpcError, { pool: string; description: string }>({
    mutationFn: ({ pool, description }) => call('create_pool', { backend, pool, description }),
    onSuccess: after,
  });
}

export function useSwitchPool(backend: BackendRef) {
  const after = useAfterPoolWrite(backend.service);
  return useMutation<PoolWriteDto, IpcError, string>({
    mutationFn: (pool) => call('switch_pool', { backend, pool }),
    onSuccess: after,
  });
}

export function useDeletePool(service: ServiceId) {
  const after = useAfterPoolWrite(service);
  return useMutation<PoolWriteDto, IpcError, string>({
    mutationFn: (pool) => call('delete_pool', { service, pool }),
    onSuccess: after,
  });
}
