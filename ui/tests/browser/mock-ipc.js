// Runs in the page before the app's own scripts (bundled to an IIFE by harness.js and injected
// with addInitScript). It installs Tauri's real `mockIPC` with a small in-page backend whose
// starting state the test sets in `window.__IPC_STATE__`, and records every call in `window.__IPC_CALLS__`.
import { mockIPC } from '@tauri-apps/api/mocks';

const state = window.__IPC_STATE__;
window.__IPC_CALLS__ = [];

const view = () => ({ settings: { ...state.settings }, notice: state.notice });

mockIPC((cmd, args) => {
  window.__IPC_CALLS__.push({ cmd, args });
  switch (cmd) {
    case 'about':
      return state.about;
    case 'get_settings':
      return view();
    case 'update_settings': {
      const secs = args.settings.dashboardRefreshSecs;
      if (secs < 2 || secs > 3600) {
        return Promise.reject({
          code: 'invalid_input',
          message: `That setting was not saved: dashboard_refresh_secs must be between 2 and 3600 seconds, got ${secs}.`,
        });
      }
      state.settings = { ...args.settings };
      state.notice = null;
      return view();
    }
    case 'sandbox_status':
      return state.sandbox;
    case 'start_sandbox':
      state.sandbox = state.sandboxWhenStarted;
      return state.sandbox;
    case 'stop_sandbox':
      state.sandbox = { ...state.sandboxWhenStarted, state: 'off', services: [] };
      return state.sandbox;
    case 'dismiss_settings_notice':
      state.notice = null;
      return view();
    default:
      return Promise.reject({ code: 'internal', message: `unknown command ${cmd}` });
  }
});
