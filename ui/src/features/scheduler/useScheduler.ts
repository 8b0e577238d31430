import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  SchedulerEditorView,
  SchedulerFormDto,
  SchedulerPreviewDto,
  SchedulerSaveDto,
} from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';

const key = (session: string, backend: string) => ['scheduler', session, backend] as const;

/** The editor's data: form, schema, preset, history and the cluster's schedulers. */
export function useSchedulerEditor(session: string, backend: string) {
  return useQuery<SchedulerEditorView, IpcError>({
    queryKey: key(session, backend),
    queryFn: () => call('load_scheduler', { session, backend }),
    // The form must start from what the service has now, not from a cached read.
    staleTime: 0,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
}

export function useReloadScheduler(session: string, backend: string) {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: key(session, backend) });
}

export interface SchedulerChange {
  loaded: SchedulerEditorView['loaded'];
  form: SchedulerFormDto;
}

export function usePreviewScheduler(session: string, backend: string) {
  return useMutation<SchedulerPreviewDto, IpcError, SchedulerChange>({
    mutationFn: ({ loaded, form }) => call('preview_scheduler', { session, backend, loaded, form }),
  });
}

export function useSaveScheduler(session: string, backend: string) {
  return useMutation<SchedulerSaveDto, IpcError, SchedulerChange & { description: string }>({
    mutationFn: ({ loaded, form, description }) =>
      call('save_scheduler', { session, backend, loaded, form, description }),
  });
}
