// The shape of the in-page mock backend: its state (each part typed by the generated IPC types,
// so a field renamed in Rust breaks the fixtures here), its handler table (one typed handler per
// command), the calls it records, and the page globals the tests reach it by.
import type {
  AboutInfo,
  Commands,
  ContextTestDto,
  ContextsView,
  BackendRowDto,
  DashboardView,
  ErrorCode,
  PoolDto,
  IpcError,
  LeftOutSecrets,
  SandboxView,
  SessionsView,
  SettingsDto,
} from '../../src/ipc/bindings.gen';
import type { Events } from '../../src/ipc/bindings.gen';
import { emit } from '@tauri-apps/api/event';
import type { HistoryMock } from './mocks/history';
import type { OsmoService } from './mocks/sessions';
import type { SchedulerMock } from './mocks/scheduler';
import type { SetupMock } from './mocks/setup';
import type { TokensMock } from './mocks/tokens';

/** What the mocked core knows of the dashboard: every session's rows in one list (the snapshot
 * command sends them per session, as the core does). */
export type MockDashboard = Omit<DashboardView, 'sessionRows'> & { rows: BackendRowDto[] };

export type MockState = {
  about: AboutInfo;
  settings: SettingsDto;
  notice: string | null;
  /** Services left out of the settings whose keyring secrets are offered for removal. */
  leftOutSecrets?: LeftOutSecrets[];
  /** The keyring refuses (locked) when secrets are removed. */
  keyringLocked?: boolean;
  sandbox: SandboxView;
  /** What start_sandbox makes of the sandbox. */
  sandboxWhenStarted: SandboxView;
  contexts: ContextsView;
  /** What test_context answers, per context name: a report, or the error it rejects with. */
  contextTests: Record<string, ContextTestDto | { error: IpcError }>;
  sessions?: SessionsView;
  /** What each service URL answers when it is added or signed in to. */
  osmoServices?: Record<string, OsmoService>;
  dashboard?: MockDashboard;
  /** Pools per service, once read (made from the dashboard rows' pool names). */
  pools?: Record<string, PoolDto[]>;
  scheduler?: SchedulerMock;
  tokens?: TokensMock;
  setup?: SetupMock;
  history?: HistoryMock;
};

/** One mocked command per name: its generated arguments in, its generated result (or a rejection) out. */
export type Handlers = {
  [K in keyof Commands]?: (
    args: Commands[K]['args'],
    state: MockState,
  ) => Commands[K]['result'] | Promise<Commands[K]['result']>;
};

/** A recorded call, narrowed by its command name (`c.cmd === 'x'` types `c.args`). */
export type IpcCall = { [K in keyof Commands]: { cmd: K; args: Commands[K]['args'] } }[keyof Commands];

/** The core's refusal of a command, as the real IPC rejects. */
export function refuse(code: ErrorCode, message: string): Promise<never> {
  const error: IpcError = { code, message };
  return Promise.reject(error);
}

/** Sends an event as the core does, its payload typed by the generated `Events` map. */
export function emitEvent<E extends keyof Events>(event: E, payload: Events[E]): Promise<void> {
  return emit(event, payload);
}

declare global {
  interface Window {
    __IPC_STATE__: MockState;
    __IPC_CALLS__: IpcCall[];
    /** Plays the core's part in sending an event. */
    __EMIT__: <E extends keyof Events>(event: E, payload: Events[E]) => Promise<void>;
    /** Set by tests that time or watch the page. */
    __FIRST_ROWS_AT__?: number;
    /** Canvas text measurements made so far, where a test counts them. */
    __MEASURED__?: number;
    __CLIPBOARD__: string[];
  }
}
