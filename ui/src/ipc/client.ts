// The only door between the UI and Rust. Every call is typed by the generated `Commands` map,
// every failure arrives as an `IpcError { code, message }` the screens can branch on, and every
// event the core sends is heard through `listen`, typed by the `Events` map.
import { invoke } from '@tauri-apps/api/core';
import { listen as tauriListen } from '@tauri-apps/api/event';
import type {
  BackendStatusChanged,
  Commands,
  ErrorCode,
  HealthUpdated,
  IpcError,
  RotationProgress,
  SetupLogDto,
  SetupStepFinishedDto,
  TokensNeedingRotationView,
} from './bindings.gen';
import { ERROR_CODES } from './bindings.gen';

export type { IpcError };

export async function call<K extends keyof Commands>(
  command: K,
  ...args: Commands[K]['args'] extends Record<string, never> ? [] : [Commands[K]['args']]
): Promise<Commands[K]['result']> {
  try {
    return await invoke<Commands[K]['result']>(command, args[0] ?? {});
  } catch (rejection) {
    throw toIpcError(rejection);
  }
}

export function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof message === 'string' && ERROR_CODES.includes(code as ErrorCode);
}

/** Anything a command can reject with, as an `IpcError` (a bare string becomes `internal`). */
export function toIpcError(rejection: unknown): IpcError {
  if (isIpcError(rejection)) return rejection;
  const message = rejection instanceof Error ? rejection.message : String(rejection);
  return { code: 'internal', message: `Unexpected answer from the app core: ${message}` };
}

/**
 * Every event the core sends, by name, with its payload (`null`: the core sends `()`).
 * Written by hand until bindings.gen.ts generates this map from the Rust event constants.
 */
export type Events = {
  'kubeconfig-changed': null;
  'sessions-changed': null;
  'health-updated': HealthUpdated;
  'backend-status-changed': BackendStatusChanged;
  'tokens-needing-rotation': TokensNeedingRotationView;
  'rotation-progress': RotationProgress;
  'rotations-changed': { id: string };
  'setup-log': SetupLogDto;
  'setup-step-finished': SetupStepFinishedDto;
};

/** Calls `handler` with the payload of every `event` the core sends; the returned function stops. */
export function listen<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): () => void {
  const listening = tauriListen<Events[E]>(event, (received) => handler(received.payload));
  // Stopping before the listener is registered still removes it once it is; a failure to
  // remove one (the window is gone) leaves nothing to clean up.
  return () => {
    void listening.then((unlisten) => unlisten()).catch(() => {});
  };
}
