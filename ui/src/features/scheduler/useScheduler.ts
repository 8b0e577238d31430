import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  BackendRef,
  SchedulerEditorView,
  SchedulerFormDto,
  SchedulerPreviewDto,
  SchedulerSaveDto,
} from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';

const key = ({ service, backend }: BackendRef) => ['scheduler', service, backend] as const;

/** The editor's data: form, schema, preset, history and the cluster's schedulers. */
export function useSchedulerEditor(backend: BackendRef) {
  return useQuery<SchedulerEditorView, IpcError>({
    queryKey: key(backend),
    queryFn: () => call('load_scheduler', { backend }),
    // The form must start from what the service has now, not from a cached read.
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

export function useReloadScheduler(backend: BackendRef) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: key(backend) });
}

export interface SchedulerChange {
  loaded: SchedulerEditorView['loaded'];
  form: SchedulerFormDto;
}

export function usePreviewScheduler(backend: BackendRef) {
  return useMutation<SchedulerPreviewDto, IpcError, SchedulerChange>({
    mutationFn: ({ loaded, form }) => call('preview_scheduler', { backend, loaded, form }),
  });
}

export function useSaveScheduler(backend: BackendRef) {
  return useMutation<SchedulerSaveDto, IpcError, SchedulerChange & { description: string }>({
    mutationFn: ({ loaded, form, description }) => call('save_scheduler', { backend, loaded, form, description }),
  });
}
