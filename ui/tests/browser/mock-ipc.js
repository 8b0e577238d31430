// Runs in the page before the app's own scripts (bundled to an IIFE by harness.js and injected
// with addInitScript). It installs Tauri's real `mockIPC` with a small in-page backend whose
// starting state the test sets in `window.__IPC_STATE__`, and records every call in `window.__IPC_CALLS__`.
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';
import { handleSessions } from './mocks/sessions.js';
import { handleDashboard } from './mocks/dashboard.js';
import { handleScheduler } from './mocks/scheduler.js';
import { handleTokens } from './mocks/tokens.js';
import { handleSetup } from './mocks/setup.js';

const state = window.__IPC_STATE__;
window.__IPC_CALLS__ = [];

// Lets a test play the core's part in sending an event (`kubeconfig-changed`).
window.__EMIT__ = emit;

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
      const days = args.settings.tokenWarningDays ?? 7;
      if (days < 1 || days > 90) {
        return Promise.reject({
          code: 'invalid_input',
          message: `That setting was not saved: token_warning_days must be between 1 and 90 days, got ${days}.`,
        });
      }
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
    case 'list_contexts':
      // A copy, as the real IPC would deliver: the page never shares the backend's objects.
      return structuredClone(state.contexts);
    case 'test_context': {
      const answer = state.contextTests[args.name];
      if (!answer) return Promise.reject({ code: 'not_found', message: `context "${args.name}" is not defined` });
      if (answer.error) return Promise.reject(answer.error);
      return { ...answer, operatorNamespace: args.operatorNamespace ?? 'osmo-operator' };
    }
    case 'add_kubeconfig_file': {
      if (!args.path.startsWith('/') && !args.path.startsWith('~/')) {
        return Promise.reject({ code: 'invalid_input', message: `path: "${args.path}" is not an absolute path` });
      }
      const path = args.path.replace(/^~\//, '/home/admin/');
      state.contexts = {
        ...state.contexts,
        extraFiles: [...state.contexts.extraFiles, path],
        files: [...state.contexts.files, { path, origin: 'extra', state: 'loaded', error: null, contexts: 0 }],
      };
      return state.contexts;
    }
    case 'remove_kubeconfig_file':
      state.contexts = {
        ...state.contexts,
        extraFiles: state.contexts.extraFiles.filter((p) => p !== args.path),
        files: state.contexts.files.filter((f) => f.path !== args.path),
      };
      return state.contexts;
    case 'link_backend': {
      if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(args.operatorNamespace ?? 'osmo-operator')) {
        return Promise.reject({
          code: 'invalid_input',
          message: `operatorNamespace: "${args.operatorNamespace}" is not a valid namespace name`,
        });
      }
      const link = { operatorNamespace: 'osmo-operator', ...args };
      const others = state.contexts.links.filter((l) => !(l.session === args.session && l.backend === args.backend));
      state.contexts = { ...state.contexts, links: [...others, link] };
      return state.contexts;
    }
    case 'unlink_backend':
      state.contexts = {
        ...state.contexts,
        links: state.contexts.links.filter((l) => !(l.session === args.session && l.backend === args.backend)),
      };
      return state.contexts;
    case 'set_current_context': {
      const file = state.contexts.currentContextSource;
      state.contexts = {
        ...state.contexts,
        currentContext: args.name,
        contexts: state.contexts.contexts.map((c) => ({ ...c, isCurrent: c.name === args.name })),
      };
      return { file, backup: `${file}.bak-20261128T190000Z`, contexts: state.contexts };
    }
    case 'dismiss_settings_notice':
      state.notice = null;
      return view();
    default: {
      // Each feature's commands live in its own module under mocks/ (undefined: not theirs).
      // A rotation's run is stopped by name (`rotation:<backend>`); other operations are the sessions'.
      const handlers = args?.operation?.startsWith?.('rotation:')
        ? [handleTokens, handleSessions]
        : [handleSessions, handleDashboard, handleScheduler, handleTokens, handleSetup];
      for (const handle of handlers) {
        const answer = handle(cmd, args, state);
        if (answer !== undefined) return answer;
      }
      return Promise.reject({ code: 'internal', message: `unknown command ${cmd}` });
    }
  }
}, { shouldMockEvents: true });
