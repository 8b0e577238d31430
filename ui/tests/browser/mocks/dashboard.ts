// The dashboard's commands in the mocked IPC, over `state.dashboard`: every row in one list, sent
// per session with a tag of their content, and left out for a session whose tag the page names
// in `known` (as the core does). A backend's
// detail is made from its row (linked as `state.contexts.links` say). Its checks: an online backend
// is healthy as far as checked; an offline one's token expired 3 days ago, and without a link the
// link comes first, with one "Rotate now".
import type {
  BackendDetailDto, BackendRef, BackendRowDto, CheckDto, CheckKindDto, DashboardView, DiagnosisDto, KnownRows, UptimeDto,
} from '../../../src/ipc/bindings.gen';
import type { Handlers, MockDashboard, MockState } from '../mock-backend';
import { refuse } from '../mock-backend';

function dashboard(state: MockState): MockDashboard {
  state.dashboard ??= { sessions: [], notPolled: [], rows: [], refreshSecs: 10, historyError: null, historyNotice: null, now: new Date().toISOString() };
  return state.dashboard;
}

function withRow<T>(state: MockState, { service, backend }: BackendRef, then: (row: BackendRowDto) => T): T | Promise<never> {
  const row = dashboard(state).rows.find((r) => r.session === service && r.name === backend);
  return row ? then(row) : refuse('not_found', `Backend ${backend} is not found in ${service}.`);
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** An online row: watched for the last 2 minutes (the last hour drawn). An offline one: watched for
 * 3 days, online until 6 h ago, offline since (the last 7 days drawn, 4 of them unknown). */
function uptimeFor(row: BackendRowDto, now: number): UptimeDto {
  const at = (ms: number) => new Date(now - ms).toISOString();
  const seg = (from: number, to: number, online: boolean | null) => ({ from: at(from), to: at(to), online });
  return row.online
    ? {
        observedSince: at(2 * MIN), observedSecs: 120, lastDay: 1, lastWeek: 1, since: at(HOUR),
        segments: [seg(HOUR, 2 * MIN, null), seg(2 * MIN, 0, true)], now: at(0), error: null,
      }
    : {
        observedSince: at(3 * DAY), observedSecs: 3 * 24 * 3600, lastDay: 0.75, lastWeek: 66 / 72, since: at(7 * DAY),
        segments: [seg(7 * DAY, 3 * DAY, null), seg(3 * DAY, 6 * HOUR, true), seg(6 * HOUR, 0, false)],
        now: at(0), error: null,
      };
}

function linkOf(state: MockState, row: BackendRowDto) {
  return state.contexts.links.find((l) => l.service === row.session && l.backend === row.name) ?? null;
}

function detailFor(state: MockState, row: BackendRowDto): BackendDetailDto {
  const now = Date.now();
  return {
    session: row.session,
    backend: row.name,
    online: row.online,
    fields: [
      { name: 'name', value: row.name },
      { name: 'version', value: row.version },
      { name: 'k8s_namespace', value: row.k8sNamespace },
      { name: 'scheduler_settings.scheduler_type', value: row.schedulerType },
      { name: 'dashboard_url', value: row.dashboardUrl ?? '' },
    ],
    pools: row.pools,
    poolsError: null,
    configHistory: [
      {
        revision: 7, username: 'ana', createdAt: new Date(now - 3600_000).toISOString(),
        description: 'Switch to KAI', about: row.name,
        changes: [{ field: 'scheduler_settings.scheduler_type', before: 'default', after: row.schedulerType }],
      },
    ],
    configHistoryError: null,
    uptime: uptimeFor(row, now),
    link: linkOf(state, row),
    cluster: null,
    clusterError: null,
    dashboardUrl: row.dashboardUrl,
    grafanaUrl: row.grafanaUrl,
    notify: row.notify,
  };
}

function diagnosisFor(state: MockState, row: BackendRowDto): DiagnosisDto {
  const check = (kind: CheckKindDto, title: string, verdict: CheckDto['verdict'], finding: string, nextStep: string | null = null): CheckDto =>
    ({ kind, title, verdict, finding, nextStep });
  const backend = row.name;
  const link = linkOf(state, row);
  const token = `${backend}-token`;
  const linkStep = `Link ${backend} to the Kubernetes context of its cluster and the namespace of its operator, then check again: the operator's Secret, Deployments and pods are read from there.`;
  const rotate = `Rotate now: create a new token for ${backend}, write it into the operator's Secret and restart the operator.`;
  const checks = [
    check('ServiceReachable', 'OSMO service reachable', 'pass', `${row.session} answered`),
    check('BackendKnown', 'Backend known to the service', 'pass', `${row.session} knows backend ${backend}`),
    row.online
      ? check('Heartbeat', 'Last heartbeat', 'pass', 'online; last heartbeat 12 s ago')
      : check('Heartbeat', 'Last heartbeat', 'fail', 'offline: last heartbeat 2 h ago (online means within 2 minutes)'),
    link
      ? check('ContextLinked', 'Kubernetes context linked', 'pass', `context ${link.context}, operator namespace ${link.operatorNamespace}`)
      : row.online
        ? check('ContextLinked', 'Kubernetes context linked', 'skipped', 'no Kubernetes context is linked, so the cluster side is not checked', `Link ${backend} to the Kubernetes context of its cluster and the namespace of its operator to check the cluster side too.`)
        : check('ContextLinked', 'Kubernetes context linked', 'fail', `no Kubernetes context is linked to ${backend}, so its cluster cannot be checked`, linkStep),
    link
      ? check('ClusterReachable', 'Cluster reachable', 'pass', 'the API server answered (Kubernetes 1.20)')
      : check('ClusterReachable', 'Cluster reachable', 'skipped', 'no Kubernetes context is linked'),
    row.online
      ? check('TokenExpiry', 'Token not expired', 'pass', `${backend} uses token ${token} (it is named for the backend); it expires in 120 days`)
      : check('TokenExpiry', 'Token not expired', 'fail', `${backend} uses token ${token} (it is named for the backend); it expired 3 days ago, so the service refuses it`, link ? rotate : null),
  ];
  const firstFailure = row.online ? null : link ? 5 : 3;
  const first = firstFailure === null ? null : checks[firstFailure];
  return {
    session: row.session, backend, checks, firstFailure,
    summary: first
      ? `${backend}: ${first.title} failed: ${first.finding}. Next: ${first.nextStep ?? ''}`
      : `${backend} is healthy as far as checked: every check that ran passed.`,
    healthy: row.online,
    linked: link !== null,
    clusterError: null,
  };
}

/** A tag of a list's content (FNV-1a of its JSON). */
function tagOf(rows: unknown[]): string {
  let hash = 0x811c9dc5;
  for (const ch of JSON.stringify(rows)) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** The view as the core sends it: rows per session (in `sessions`' order), tagged apart from their
 * heartbeats; rows of a tag named in `known` left out, their heartbeats sent alone when they moved. */
function snapshot(state: MockState, known: KnownRows[]): DashboardView {
  const { rows, ...view } = dashboard(state);
  const order = [...new Set([...view.sessions.map((s) => s.session), ...rows.map((r) => r.session)])];
  const sessionRows = order.map((session) => {
    const own = rows.filter((r) => r.session === session);
    const heartbeats = own.map((r) => r.lastHeartbeat);
    const tag = tagOf(own.map((r) => ({ ...r, lastHeartbeat: null })));
    const beats = tagOf(heartbeats);
    const had = known.find((k) => k.session === session);
    if (had?.tag !== tag) return { session, tag, beats, rows: structuredClone(own), heartbeats: null };
    return { session, tag, beats, rows: null, heartbeats: had.beats === beats ? null : heartbeats };
  });
  return { ...structuredClone(view), sessionRows };
}

export const dashboardCommands: Handlers = {
  dashboard_snapshot: ({ known }, state) => snapshot(state, known ?? []),
  refresh_dashboard: () => null,
  backend_detail: ({ backend }, state) => withRow(state, backend, (row) => detailFor(state, row)),
  diagnose_backend: ({ backend }, state) => withRow(state, backend, (row) => diagnosisFor(state, row)),
  set_backend_notifications: ({ backend, on }, state) =>
    withRow(state, backend, (row) => {
      row.notify = on;
      return on;
    }),
};
