// The OSMO sessions' commands in the mocked IPC, over `state.sessions` (a SessionsView) and
// `state.osmoServices` (what each URL answers: version, dialect, methods, the token it accepts).
import type { ServiceId, SessionView, SessionsView, SignInMethods } from '../../../src/ipc/bindings.gen';
import type { Handlers, MockState } from '../mock-backend';
import { refuse } from '../mock-backend';

/** An OSMO service as the mock knows it: what it reports and the one token it accepts. */
export type OsmoService = {
  version: string;
  dialect: string;
  methods: SignInMethods;
  token: string;
  user: string;
  roles: string[];
};

function sessions(state: MockState): SessionsView {
  state.sessions ??= { sessions: [], cliLogin: null, cliLoginError: null };
  return state.sessions;
}

function withSession<T>(state: MockState, service: ServiceId, then: (session: SessionView) => T): T | Promise<never> {
  const session = sessions(state).sessions.find((s) => s.id === service);
  return session ? then(session) : refuse('not_found', `There is no OSMO service named "${service}".`);
}

export const sessionsCommands: Handlers = {
  list_sessions: (_, state) => structuredClone(sessions(state)),
  add_service: (args, state) => {
    const url = args.url.trim().replace(/\/$/, '');
    if (!/^https?:\/\//.test(url)) {
      return refuse('invalid_input', `"${url}" is not a service URL: enter one like https://osmo.example.com.`);
    }
    const service = state.osmoServices?.[url];
    if (!service) {
      return refuse('server_error', `GET ${url}/api/version failed: the service answered HTTP 200 with an HTML page instead of the OSMO API.`);
    }
    const list = sessions(state).sessions;
    // A service is named by its name, trimmed.
    const id = args.name.trim();
    list.push({
      id, name: id, url, hasCustomCa: Boolean(args.customCaPem), forThisRunOnly: false,
      version: service.version, dialect: service.dialect, dialectEvidence: null, methods: service.methods,
      status: { state: 'signed_out' }, keyring: { state: 'nothing_to_keep' }, deviceCode: null, deviceCodeError: null,
    });
    return id;
  },
  sign_in_with_token: ({ service: id, token }, state) =>
    withSession(state, id, (session) => {
      const service = state.osmoServices?.[session.url];
      if (!service || token !== service.token) {
        return refuse(
          'unauthorized',
          `Could not sign in to ${session.name}: the service does not know this access token. Check that you copied all of it, or create a new one.`,
        );
      }
      session.status = {
        state: 'signed_in', user: service.user, roles: service.roles, method: 'access_token',
        since: '2026-11-28T20:00:00Z', until: '2026-11-28T20:05:00Z',
      };
      session.keyring = { state: 'saved' };
      return null;
    }),
  sign_out: ({ service: id, keepListed }, state) =>
    withSession(state, id, () => {
      const list = sessions(state);
      if (keepListed) {
        list.sessions = list.sessions.map((s) =>
          s.id === id ? { ...s, status: { state: 'signed_out' }, keyring: { state: 'nothing_to_keep' } } : s,
        );
      } else {
        list.sessions = list.sessions.filter((s) => s.id !== id);
      }
      return null;
    }),
  retry_service: ({ service }, state) => withSession(state, service, () => null),
  cancel_device_code: ({ service }, state) => withSession(state, service, () => null),
  open_in_browser: () => null,
};
