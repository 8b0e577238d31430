// The app's own commands in the mocked IPC: about, settings (over `state.settings` and
// `state.notice`) and the sandbox (`state.sandbox`, which start_sandbox turns into `state.sandboxWhenStarted`).
import type { MockState, Handlers } from '../mock-backend';
import { refuse } from '../mock-backend';

const view = (state: MockState) => ({
  settings: { ...state.settings },
  notice: state.notice,
  leftOutSecrets: [...(state.leftOutSecrets ?? [])],
});

export const appCommands: Handlers = {
  about: (_, state) => state.about,
  get_settings: (_, state) => view(state),
  update_settings: ({ settings }, state) => {
    // The one refusal a test plays: a refresh interval under the core's lower bound.
    if (settings.dashboardRefreshSecs < 2) {
      return refuse(
        'invalid_input',
        `That setting was not saved: dashboard_refresh_secs must be between 2 and 3600 seconds, got ${settings.dashboardRefreshSecs}.`,
      );
    }
    state.settings = { ...settings };
    state.notice = null;
    return view(state);
  },
  dismiss_settings_notice: (_, state) => {
    state.notice = null;
    return view(state);
  },
  settle_left_out_secrets: ({ ids, remove }, state) => {
    if (remove && state.keyringLocked) {
      return refuse('keyring_unavailable', 'The system keyring is not available (it is locked). Unlock it and try again.');
    }
    const settled = (state.leftOutSecrets ?? []).filter((s) => ids.includes(s.id));
    state.leftOutSecrets = (state.leftOutSecrets ?? []).filter((s) => !ids.includes(s.id));
    return { removed: remove ? settled.map((s) => s.name) : [], view: view(state) };
  },
  // A fresh copy each time, as the real IPC decodes one.
  sandbox_status: (_, state) => structuredClone(state.sandbox),
  start_sandbox: (_, state) => {
    state.sandbox = state.sandboxWhenStarted;
    return state.sandbox;
  },
  stop_sandbox: (_, state) => {
    state.sandbox = {
      ...state.sandboxWhenStarted,
      state: 'off',
      services: [],
      clusterState: 'absent',
      clusterServer: null,
      clusterKubeconfig: null,
      clusterNote: null,
    };
    return state.sandbox;
  },
};
