// Runs in the page before the app's own scripts (bundled to an IIFE by harness.ts and injected
// with addInitScript). It installs Tauri's real `mockIPC` with a small in-page backend whose
// starting state the test sets in `window.__IPC_STATE__`, and records every call in `window.__IPC_CALLS__`.
// Each feature's commands live in their own module under mocks/, as one typed handler table.
import { mockIPC } from '@tauri-apps/api/mocks';
import type { Handlers, IpcCall, MockState } from './mock-backend';
import { emitEvent, refuse } from './mock-backend';
import { appCommands } from './mocks/app';
import { contextsCommands } from './mocks/contexts';
import { sessionsCommands } from './mocks/sessions';
import { dashboardCommands } from './mocks/dashboard';
import { poolsCommands } from './mocks/pools';
import { schedulerCommands } from './mocks/scheduler';
import { tokensCommands } from './mocks/tokens';
import { setupCommands } from './mocks/setup';

const handlers: Handlers = {
  ...appCommands,
  ...contextsCommands,
  ...sessionsCommands,
  ...dashboardCommands,
  ...poolsCommands,
  ...schedulerCommands,
  ...tokensCommands,
  ...setupCommands,
};

const state = window.__IPC_STATE__;
window.__IPC_CALLS__ = [];

// Lets a test play the core's part in sending an event (`kubeconfig-changed`).
window.__EMIT__ = emitEvent;

/** A handler with its command's types forgotten: the page's IPC hands over names and arguments untyped. */
type AnyHandler = (args: unknown, state: MockState) => unknown;

mockIPC((cmd, args) => {
  window.__IPC_CALLS__.push({ cmd, args } as IpcCall);
  const handle = handlers[cmd as keyof Handlers] as AnyHandler | undefined;
  if (!handle) return refuse('internal', `the mock backend has no command ${cmd}: add it under tests/browser/mocks/`);
  return handle(args, state);
}, { shouldMockEvents: true });
