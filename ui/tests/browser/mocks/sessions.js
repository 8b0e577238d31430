// The OSMO sessions commands in the mocked IPC, over `state.sessions` (a SessionsView) and
// `state.osmoServices` (what each URL answers: version, dialect, methods, the token it accepts).
// Returns undefined for commands that are not its own.
const NOT_OSMO = (url) => ({
  code: 'server_error',
  message: `GET ${url}/api/version failed: the service answered HTTP 200 with an HTML page instead of the OSMO API.`,
});

function emptyView() {
  return { sessions: [], cliLogin: null, cliLoginError: null };
}

function find(state, id) {
  return state.sessions.sessions.find((s) => s.id === id);
}

function unknown(id) {
  return Promise.reject({ code: 'not_found', message: `There is no OSMO service with the id "${id}".` });
}

export function handleSessions(cmd, args, state) {
  state.sessions ??= emptyView();
  state.osmoServices ??= {};
  switch (cmd) {
    case 'list_sessions':
      return structuredClone(state.sessions);
    case 'add_service': {
      const name = args.name.trim();
      const url = args.url.trim().replace(/\/$/, '');
      if (!name) return Promise.reject({ code: 'invalid_input', message: 'Name the service.' });
      if (!/^https?:\/\/[^/]+/.test(url)) {
        return Promise.reject({
          code: 'invalid_input',
          message: `"${url}" is not a service URL: enter one like https://osmo.example.com.`,
        });
      }
      if (state.sessions.sessions.some((s) => s.name === name)) {
        return Promise.reject({ code: 'invalid_input', message: `A service named "${name}" is already listed; choose another name.` });
      }
      const service = state.osmoServices[url];
      if (!service) return Promise.reject(NOT_OSMO(url));
      const id = `svc-${state.sessions.sessions.length + 1}`;
      state.sessions.sessions.push({
        id, name, url, hasCustomCa: Boolean(args.customCaPem), sandbox: false,
        version: service.version, dialect: service.dialect, methods: service.methods,
        status: { state: 'signed_out' }, keyring: { state: 'nothing_to_keep' },
        deviceCode: null, deviceCodeError: null,
      });
      return id;
    }
    case 'sign_in_with_token': {
      const session = find(state, args.id);
      if (!session) return unknown(args.id);
      const service = state.osmoServices[session.url];
      if (args.token !== service.token) {
        return Promise.reject({
          code: 'unauthorized',
          message: `Could not sign in to ${session.name}: the service does not know this access token. Check that you copied all of it, or create a new one.`,
        });
      }
      session.status = {
        state: 'signed_in', user: service.user, roles: service.roles, method: 'access_token',
        since: '2026-11-28T20:00:00Z', until: '2026-11-28T20:05:00Z',
      };
      session.keyring = state.keyringLocked
        ? { state: 'not_saved', message: 'Signed in for this run only: The system keyring is not available (locked). Unlock it. Then sign in again to be remembered.' }
        : { state: 'saved' };
      return null;
    }
    case 'sign_in_development': {
      const session = find(state, args.id);
      if (!session) return unknown(args.id);
      session.status = {
        state: 'signed_in', user: args.user, roles: [], method: 'development', since: '2026-11-28T20:00:00Z', until: null,
      };
      return null;
    }
    case 'sign_out': {
      const session = find(state, args.id);
      if (!session) return unknown(args.id);
      if (args.keepListed) {
        session.status = { state: 'signed_out' };
        session.keyring = { state: 'nothing_to_keep' };
      } else {
        state.sessions.sessions = state.sessions.sessions.filter((s) => s.id !== args.id);
      }
      return null;
    }
    case 'retry_service':
    case 'cancel_device_code':
      return find(state, args.id) ? null : unknown(args.id);
    case 'cancel_operation':
      return false;
    case 'open_in_browser':
      state.opened = [...(state.opened ?? []), args.url];
      return null;
    default:
      return undefined;
  }
}
