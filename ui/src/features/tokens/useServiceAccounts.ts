// 6.2+ service accounts: the users holding osmo-backend, the roles a token's user lacks, and
// deleting a user with its last token (asked in the delete dialog, never automatic).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ServiceAccountsView, ServiceId } from '../../ipc/bindings.gen';
import { call, type IpcError } from '../../ipc/client';

export const SERVICE_ACCOUNTS_KEY = ['service-accounts'] as const;

export function useServiceAccounts(service: ServiceId | null) {
  return useQuery<ServiceAccountsView, IpcError>({
    queryKey: [...SERVICE_ACCOUNTS_KEY, service ?? ''],
    queryFn: () => call('list_service_accounts', { service: service ?? '' }),
    enabled: service !== null,
  });
}

/** Gives `user` the roles a token asks for; answers the roles held now. */
export function useAddUserRoles(service: ServiceId) {
  const client = useQueryClient();
  return useMutation<string[], IpcError, { user: string; roles: string[] }>({
    mutationFn: ({ user, roles }) => call('add_user_roles', { service, user, roles }),
    onSuccess: () => client.invalidateQueries({ queryKey: SERVICE_ACCOUNTS_KEY }),
  });
}

export function useDeleteServiceAccount(service: ServiceId) {
  const client = useQueryClient();
  return useMutation<boolean, IpcError, string>({
    mutationFn: (user) => call('delete_service_account', { service, user }),
    onSuccess: () => client.invalidateQueries({ queryKey: SERVICE_ACCOUNTS_KEY }),
  });
}
