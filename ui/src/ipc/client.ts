// The only door between the UI and Rust. Every call is typed by the generated `Commands` map,
// every failure arrives as an `IpcError { code, message }` the screens can branch on, and every
// event the core sends is heard through `listen`, typed by the `Events` map.
import { invoke } from '@tauri-apps/api/core';
import { listen as tauriListen } from '@tauri-apps/api/event';
import type { Commands, ErrorCode, Events, IpcError } from './bindings.gen';
import { ERROR_CODES } from './bindings.gen';

export type { Events, IpcError };

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

/** Calls `handler` with the payload of every `event` the core sends; the returned function stops. */
export function listen<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): () => void {
  const listening = tauriListen<Events[E]>(event, (received) => handler(received.payload));
  // Stopping before the listener is registered still removes it once it is; a failure to
  // remove one (the window is gone) leaves nothing to clean up.
  return () => {
    void listening.then((unlisten) => unlisten()).catch(() => {});
  };
}
