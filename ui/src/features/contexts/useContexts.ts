import { useCallback, useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { BackendRef, Commands, ContextTestDto, ContextsView, CurrentContextSet } from '../../ipc/bindings.gen';
import { call, listen, type IpcError } from '../../ipc/client';

export const CONTEXTS_KEY = ['contexts'] as const;

/** Sent by the core when a kubeconfig file changed on disk (it watches them, debounced). */
const KUBECONFIG_CHANGED = 'kubeconfig-changed';

/**
 * The kubeconfig contexts. The core watches the files and says when one changed; the list is then
 * fetched again (a file caught half-written keeps its last good contents).
 */
export function useContexts() {
  const client = useQueryClient();
  useEffect(() => {
    // Every screen using the list listens; one re-read serves them all (no cancel-and-refetch).
    return listen(KUBECONFIG_CHANGED, () => {
      void client.invalidateQueries({ queryKey: CONTEXTS_KEY }, { cancelRefetch: false });
    });
  }, [client]);
  return useQuery<ContextsView, IpcError>({
    queryKey: CONTEXTS_KEY,
    queryFn: () => call('list_contexts'),
  });
}

/** Re-reads the kubeconfig files now. */
export function useReloadContexts() {
  const client = useQueryClient();
  return useCallback(() => client.invalidateQueries({ queryKey: CONTEXTS_KEY }), [client]);
}

export interface TestArgs {
  name: string;
  operatorNamespace?: string;
}

/** Tests one context: version, round trip, permission checklist. One per row, so results stay put. */
export function useTestContext() {
  return useMutation<ContextTestDto, IpcError, TestArgs>({
    mutationFn: (args) => call('test_context', args),
  });
}

export function useAddKubeconfigFile() {
  const client = useQueryClient();
  return useMutation<ContextsView, IpcError, string>({
    mutationFn: (path) => call('add_kubeconfig_file', { path }),
    onSuccess: (view) => client.setQueryData(CONTEXTS_KEY, view),
  });
}

export function useRemoveKubeconfigFile() {
  const client = useQueryClient();
  return useMutation<ContextsView, IpcError, string>({
    mutationFn: (path) => call('remove_kubeconfig_file', { path }),
    onSuccess: (view) => client.setQueryData(CONTEXTS_KEY, view),
  });
}

export function useLinkBackend() {
  const client = useQueryClient();
  return useMutation<ContextsView, IpcError, Commands['link_backend']['args']>({
    mutationFn: (args) => call('link_backend', args),
    onSuccess: (view) => client.setQueryData(CONTEXTS_KEY, view),
  });
}

export function useUnlinkBackend() {
  const client = useQueryClient();
  return useMutation<ContextsView, IpcError, BackendRef>({
    mutationFn: (backend) => call('unlink_backend', { backend }),
    onSuccess: (view) => client.setQueryData(CONTEXTS_KEY, view),
  });
}

/** kubectl's `config use-context`: the one write to the user's kubeconfig, with a backup beside it. */
export function useSetCurrentContext() {
  const client = useQueryClient();
  return useMutation<CurrentContextSet, IpcError, string>({
    mutationFn: (name) => call('set_current_context', { name }),
    onSuccess: (result) => client.setQueryData(CONTEXTS_KEY, result.contexts),
  });
}
