import { useEffect } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Commands,
  CreateTokenDto,
  NewTokenDto,
  RotationRequestDto,
  RotationView,
  TokenKindDto,
  TokensNeedingRotationView,
  ServiceId,
  TokensView,
} from '../../ipc/bindings.gen';
import { call, listen, type IpcError } from '../../ipc/client';
import { SERVICE_ACCOUNTS_KEY } from './useServiceAccounts';

export const ROTATION_PROGRESS = 'rotation-progress';
export const ROTATIONS_CHANGED = 'rotations-changed';
/** Sent by the core's token watch with a fresh {@link TokensNeedingRotationView}. */
export const TOKENS_NEEDING_ROTATION = 'tokens-needing-rotation';

const tokensKey = (service: ServiceId) => ['tokens', service] as const;
const ROTATIONS_KEY = ['rotations'] as const;
const NEEDING_KEY = ['tokens-needing-rotation'] as const;

export function useTokens(service: ServiceId | null) {
  return useQuery<TokensView, IpcError>({
    queryKey: tokensKey(service ?? ''),
    queryFn: () => call('list_tokens', { service: service ?? '' }),
    enabled: service !== null,
  });
}

/** Tokens in use that need rotating, for the nav badge and the dashboard: pushed by the core's
 * token watch when sessions sign in or out, and read again every 5 minutes. */
export function useTokensNeedingRotation() {
  const client = useQueryClient();
  useEffect(() => {
    return listen(TOKENS_NEEDING_ROTATION, (needing) => {
      client.setQueryData(NEEDING_KEY, needing);
    });
  }, [client]);
  return useQuery<TokensNeedingRotationView, IpcError>({
    queryKey: NEEDING_KEY,
    queryFn: () => call('tokens_needing_rotation'),
    refetchInterval: 300_000,
    refetchOnWindowFocus: false,
  });
}

function useInvalidateTokens() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ['tokens'] });
    void client.invalidateQueries({ queryKey: NEEDING_KEY });
    // Creating a token may create its user; the accounts list counts tokens per user.
    void client.invalidateQueries({ queryKey: SERVICE_ACCOUNTS_KEY });
  };
}

export function useCreateToken(service: ServiceId) {
  const invalidate = useInvalidateTokens();
  return useMutation<CreateTokenDto, IpcError, NewTokenDto>({
    mutationFn: (form) => call('create_token', { service, form }),
    onSuccess: (answer) => {
      if (answer.outcome === 'created') invalidate();
    },
  });
}

export function useDeleteToken(service: ServiceId) {
  const invalidate = useInvalidateTokens();
  return useMutation<boolean, IpcError, { owner: string; name: string; kind: TokenKindDto }>({
    mutationFn: ({ owner, name, kind }) => call('delete_token', { service, owner, name, kind }),
    onSuccess: invalidate,
  });
}

/** Every rotation of this run and the interrupted ones, kept fresh by the core's events. */
export function useRotations() {
  const client = useQueryClient();
  const invalidate = useInvalidateTokens();
  useEffect(() => {
    const stopProgress = listen(ROTATION_PROGRESS, () => {
      void client.invalidateQueries({ queryKey: ROTATIONS_KEY });
    });
    const stopChanged = listen(ROTATIONS_CHANGED, () => {
      void client.invalidateQueries({ queryKey: ROTATIONS_KEY });
      invalidate();
    });
    return () => {
      stopProgress();
      stopChanged();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client]);
  return useQuery<RotationView[], IpcError>({
    queryKey: ROTATIONS_KEY,
    queryFn: () => call('list_rotations'),
    // The events drive refreshes; this catches a missed one while something runs.
    refetchInterval: (query) => (query.state.data?.some((r) => r.running) ? 2_000 : false),
  });
}

function useRotationAction<TArgs>(run: (args: TArgs) => Promise<RotationView>) {
  const client = useQueryClient();
  return useMutation<RotationView, IpcError, TArgs>({
    mutationFn: run,
    onSettled: () => client.invalidateQueries({ queryKey: ROTATIONS_KEY }),
  });
}

export function useStartRotation() {
  return useRotationAction((request: RotationRequestDto) => call('start_rotation', { request }));
}

export function useRetryRotation() {
  return useRotationAction((args: Commands['retry_rotation']['args']) => call('retry_rotation', args));
}

export function useRollBackRotation() {
  return useRotationAction((args: Commands['roll_back_rotation']['args']) => call('roll_back_rotation', args));
}

/** Reads what the cluster and the service show now for every interrupted rotation. */
export function useCheckRotations() {
  const client = useQueryClient();
  return useMutation<RotationView[], IpcError, void>({
    mutationFn: () => call('check_rotations'),
    onSuccess: (list) => client.setQueryData(ROTATIONS_KEY, list),
  });
}

/** "I have checked: forget it" for a set-aside journal (the file stays on disk). */
export function useResolveRotation() {
  const client = useQueryClient();
  return useMutation<RotationView[], IpcError, string>({
    mutationFn: (id) => call('resolve_rotation', { id }),
    onSuccess: (list) => client.setQueryData(ROTATIONS_KEY, list),
  });
}
