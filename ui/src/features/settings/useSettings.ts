import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LeftOutSecretsOutcome, SettingsDto, SettingsView } from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';

const KEY = ['settings'] as const;

export function useSettings() {
  return useQuery<SettingsView, IpcError>({ queryKey: KEY, queryFn: () => call('get_settings') });
}

export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation<SettingsView, IpcError, SettingsDto>({
    mutationFn: (settings) => call('update_settings', { settings }),
    onSuccess: (view) => client.setQueryData(KEY, view),
  });
}

export function useDismissSettingsNotice() {
  const client = useQueryClient();
  return useMutation<SettingsView, IpcError>({
    mutationFn: () => call('dismiss_settings_notice'),
    onSuccess: (view) => client.setQueryData(KEY, view),
  });
}

/** Removes (or keeps) the keyring secrets of services left out of the settings file. */
export function useSettleLeftOutSecrets() {
  const client = useQueryClient();
  return useMutation<LeftOutSecretsOutcome, IpcError, { ids: string[]; remove: boolean }>({
    mutationFn: ({ ids, remove }) => call('settle_left_out_secrets', { ids, remove }),
    onSuccess: (outcome) => client.setQueryData(KEY, outcome.view),
  });
}
