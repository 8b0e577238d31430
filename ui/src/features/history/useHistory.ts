// The config history of a service's backends or pools: its revisions, a diff between two, tags,
// and a whole-type rollback that is only sent with the preview the user confirmed.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ConfigDiffDto,
  ConfigHistoryView,
  ConfigKindDto,
  RollbackPreviewDto,
  ServiceId,
} from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';
import { DASHBOARD_KEY } from '../dashboard/useDashboard';

const historyKey = (service: ServiceId, kind: ConfigKindDto) => ['config-history', service, kind] as const;

/** The revisions, newest first. */
export function useConfigHistory(service: ServiceId, kind: ConfigKindDto) {
  return useQuery<ConfigHistoryView, IpcError>({
    queryKey: historyKey(service, kind),
    queryFn: () => call('config_history', { service, kind }),
  });
}

/** What changed from revision `first` to `second` (null: nothing compared yet). */
export function useConfigDiff(service: ServiceId, kind: ConfigKindDto, pair: { first: number; second: number } | null) {
  return useQuery<ConfigDiffDto, IpcError>({
    queryKey: ['config-diff', service, kind, pair?.first, pair?.second],
    queryFn: () => call('config_diff', { service, kind, first: pair?.first ?? 0, second: pair?.second ?? 0 }),
    enabled: pair !== null,
  });
}

export interface TagChange {
  revision: number;
  set: string[];
  remove: string[];
}

/** Sets or removes tags; the answer is the history as re-read. */
export function useTagRevision(service: ServiceId, kind: ConfigKindDto) {
  const client = useQueryClient();
  return useMutation<ConfigHistoryView, IpcError, TagChange>({
    mutationFn: ({ revision, set, remove }) => call('tag_revision', { service, kind, revision, set, remove }),
    onSuccess: (view) => client.setQueryData(historyKey(service, kind), view),
  });
}

/** What rolling every backend (or pool) back to `revision` would change, read fresh each time. */
export function useRollbackPreview(service: ServiceId, kind: ConfigKindDto, revision: number) {
  return useQuery<RollbackPreviewDto, IpcError>({
    queryKey: ['rollback-preview', service, kind, revision],
    queryFn: () => call('rollback_preview', { service, kind, revision }),
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

/** The rollback of the confirmed preview; the answer is the history as re-read. Everything that
 * shows backends or pools is read again. */
export function useRollBackConfig(service: ServiceId, kind: ConfigKindDto) {
  const client = useQueryClient();
  return useMutation<ConfigHistoryView, IpcError, { confirmed: RollbackPreviewDto; description: string }>({
    mutationFn: ({ confirmed, description }) => call('roll_back_config', { service, confirmed, description }),
    onSuccess: (view) => {
      client.setQueryData(historyKey(service, kind), view);
      void client.invalidateQueries({ queryKey: DASHBOARD_KEY });
      void client.invalidateQueries({ queryKey: ['pools', service] });
      void client.invalidateQueries({ queryKey: ['backend-detail', service] });
      void client.invalidateQueries({ queryKey: ['scheduler', service] });
    },
  });
}
