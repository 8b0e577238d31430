import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Commands, DeviceCodePrompt, OperationId, RequestId, ServiceId, SessionsView } from '../../ipc/bindings.gen';
import { call, listen, type IpcError } from '../../ipc/client';

export const SESSIONS_KEY = ['sessions'] as const;

/** Sent by the core after any change of any session (added, signed in or out, resumed). */
const SESSIONS_CHANGED = 'sessions-changed';

/** The OSMO services and their sessions; re-read when the core says something changed. */
export function useSessions() {
  const client = useQueryClient();
  useEffect(() => {
    return listen(SESSIONS_CHANGED, () => {
      void client.invalidateQueries({ queryKey: SESSIONS_KEY });
    });
  }, [client]);
  return useQuery<SessionsView, IpcError>({
    queryKey: SESSIONS_KEY,
    queryFn: () => call('list_sessions'),
    // A session can also end on its own (a token revoked mid-run shows up on its next call).
    refetchInterval: 15_000,
  });
}

/** After a mutation the list is read again (the event may arrive before or after the answer). */
function useRefreshing<TArgs, TResult>(run: (args: TArgs) => Promise<TResult>) {
  const client = useQueryClient();
  return useMutation<TResult, IpcError, TArgs>({
    mutationFn: run,
    onSettled: () => client.invalidateQueries({ queryKey: SESSIONS_KEY }),
  });
}

let operations = 0;
/** A name for a long call, so its Cancel button can stop it. */
export function operationName(what: string): RequestId {
  operations += 1;
  return `${what}-${operations}`;
}

/** Stops a running operation: a long call by its name, or a backend's rotation or setup step. */
export function cancelOperation(operation: OperationId) {
  return call('cancel_operation', { operation });
}

export interface AddServiceArgs {
  name: string;
  url: string;
  customCaPem: string | null;
  operation: RequestId;
}

export function useAddService() {
  return useRefreshing((args: AddServiceArgs) => call('add_service', args));
}

export function useSignInWithToken() {
  return useRefreshing((args: Commands['sign_in_with_token']['args']) => call('sign_in_with_token', args));
}

export function useSignInDevelopment() {
  return useRefreshing((args: Commands['sign_in_development']['args']) => call('sign_in_development', args));
}

export function useStartDeviceCode() {
  return useRefreshing<Commands['start_device_code']['args'], DeviceCodePrompt>((args) =>
    call('start_device_code', args),
  );
}

export function useCancelDeviceCode() {
  return useRefreshing((service: ServiceId) => call('cancel_device_code', { service }));
}

export function useSignOut() {
  return useRefreshing((args: Commands['sign_out']['args']) => call('sign_out', args));
}

export function useRetryService() {
  return useRefreshing((service: ServiceId) =>
    call('retry_service', { service, operation: operationName('retry') }),
  );
}

export function useImportCliLogin() {
  return useRefreshing((args: Commands['import_cli_login']['args']) => call('import_cli_login', args));
}

export function openInBrowser(url: string) {
  return call('open_in_browser', { url });
}
