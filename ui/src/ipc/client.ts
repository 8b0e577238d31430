// The only door from the UI to Rust. Every call is typed by the generated `Commands` map, and
// every failure arrives as an `IpcError { code, message }` the screens can branch on.
import { invoke } from '@tauri-apps/api/core';
import type { Commands, ErrorCode, IpcError } from './bindings.gen';
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
