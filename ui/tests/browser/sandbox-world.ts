// The running sandbox of default-state.ts as the rest of the app sees it: its two services signed
// in, their backends on the dashboard (the same four names in both), their tokens on the Tokens
// screen (the one a backend uses is named after it) and the tokens in use that need rotating.
// For the tests that look at the whole app rather than one feature (tables, palette, accessibility).
import type {
  BackendRowDto,
  BadgeDto,
  SandboxServiceDto,
  SessionView,
  TokenRowDto,
  TokensView,
} from '../../src/ipc/bindings.gen';
import { DEFAULT_STATE } from './default-state';
import type { MockDashboard, MockState } from './mock-backend';

const DAY_MS = 86_400_000;
const SOON_DAYS = 7;

const dialect = (service: SandboxServiceDto) => (service.version.startsWith('6.0') ? '6.0/6.1' : '6.2+');

function session(service: SandboxServiceDto, now: number): SessionView {
  return {
    id: service.name, name: service.name, url: service.url, hasCustomCa: false, forThisRunOnly: true,
    version: service.version, dialect: dialect(service), dialectEvidence: `Version ${service.version} reported.`,
    methods: { accessToken: true, deviceCode: false, development: true },
    status: {
      state: 'signed_in', user: 'sandbox-admin', roles: ['osmo-admin'], method: 'development',
      since: new Date(now - 20 * 60_000).toISOString(), until: null,
    },
    keyring: { state: 'nothing_to_keep' }, deviceCode: null, deviceCodeError: null,
  };
}

function rows(service: SandboxServiceDto): BackendRowDto[] {
  const kai = dialect(service) === '6.2+';
  return service.backends.map((b) => ({
    session: service.name, name: b.name, online: b.online, lastHeartbeat: b.lastHeartbeat,
    offlineSince: b.online || !b.lastHeartbeat ? null : new Date(Date.parse(b.lastHeartbeat) + 60_000).toISOString(),
    version: service.version, k8sNamespace: 'osmo-workflows',
    schedulerType: kai ? 'kai' : 'default', schedulerName: kai ? 'kai-scheduler' : 'default-scheduler',
    pools: b.name === 'gpu-east' ? ['training', 'inference'] : [`${b.name}-pool`],
    dashboardUrl: null, grafanaUrl: null, notify: true, linked: b.name === 'gpu-east', warnings: [],
  }));
}

function tokenRow(service: SandboxServiceDto, token: SandboxServiceDto['tokens'][number], now: number): TokenRowDto {
  const today = Date.parse(new Date(now).toISOString().slice(0, 10));
  const daysLeft = Math.round((Date.parse(token.expiresAt) - today) / DAY_MS);
  const badge: BadgeDto = daysLeft <= 0 ? 'expired' : daysLeft <= SOON_DAYS ? 'expires_soon' : 'fine';
  const span = `${Math.abs(daysLeft)} day${Math.abs(daysLeft) === 1 ? '' : 's'}`;
  return {
    owner: token.owner, name: token.name, kind: 'service', roles: token.roles, description: 'Backend Operator Token',
    expiresOn: token.expiresAt, daysLeft, badge, words: daysLeft > 0 ? `expires in ${span}` : `expired ${span} ago`,
    usedBy: service.backends.filter((b) => token.name === `${b.name}-token`).map((b) => b.name),
  };
}

function tokensView(service: SandboxServiceDto, now: number): TokensView {
  return {
    session: service.name, dialect: dialect(service), warningDays: SOON_DAYS, today: new Date(now).toISOString().slice(0, 10),
    useNotes: [], backends: service.backends.map((b) => b.name), rows: service.tokens.map((t) => tokenRow(service, t, now)),
  };
}

/** The mock state of an app whose sandbox runs (merge over it what a test needs). */
export function sandboxWorld(now = Date.now()): Partial<MockState> {
  const sandbox = DEFAULT_STATE.sandboxWhenStarted;
  const services = sandbox.services;
  const allRows = services.flatMap(rows);
  const dashboard: MockDashboard = {
    sessions: services.map((s) => {
      const own = allRows.filter((r) => r.session === s.name);
      const online = own.filter((r) => r.online).length;
      return {
        session: s.name, online, offline: own.length - online, total: own.length, updatedAt: new Date(now - 3_000).toISOString(),
        stale: false, error: null, errorCode: null, consecutiveFailures: 0, polls: 4,
      };
    }),
    rows: allRows, refreshSecs: 10, historyError: null, historyNotice: null, notPolled: [], now: new Date(now).toISOString(),
  };
  const views = Object.fromEntries(services.map((s) => [s.name, tokensView(s, now)]));
  const needing = Object.values(views).flatMap((v) =>
    v.rows
      .filter((r) => r.badge !== 'fine' && r.usedBy.length > 0)
      .map((r) => ({ session: v.session, owner: r.owner, name: r.name, usedBy: r.usedBy, badge: r.badge, words: r.words, expiresOn: r.expiresOn })),
  );
  return {
    sandbox,
    sessions: { sessions: services.map((s) => session(s, now)), cliLogin: null, cliLoginError: null },
    dashboard,
    tokens: { views, needing: { count: needing.length, tokens: needing, errors: [] } },
  };
}
