// The dashboard's commands in the mocked IPC, over `state.dashboard` (a DashboardView). A backend's
// detail is made from its row; its diagnosis is always a heartbeat failure.
import type { BackendDetailDto, BackendRef, BackendRowDto, CheckDto, DashboardView, DiagnosisDto } from '../../../src/ipc/bindings.gen';
import type { Handlers, MockState } from '../mock-backend';
import { refuse } from '../mock-backend';

function dashboard(state: MockState): DashboardView {
  state.dashboard ??= { sessions: [], notPolled: [], rows: [], refreshSecs: 10, historyError: null, historyNotice: null, now: new Date().toISOString() };
  return state.dashboard;
}

function withRow<T>(state: MockState, { service, backend }: BackendRef, then: (row: BackendRowDto) => T): T | Promise<never> {
  const row = dashboard(state).rows.find((r) => r.session === service && r.name === backend);
  return row ? then(row) : refuse('not_found', `Backend ${backend} is not found in ${service}.`);
}

function detailFor(row: BackendRowDto): BackendDetailDto {
  const now = Date.now();
  const week = 7 * 24 * 3600 * 1000;
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
    uptime: {
      lastDay: row.online ? 1 : 0.75, lastWeek: 0.96, since: new Date(now - week).toISOString(), stateAtSince: true,
      changes: row.online ? [] : [{ online: false, at: new Date(now - 6 * 3600_000).toISOString() }],
      now: new Date(now).toISOString(), error: null,
    },
    link: null,
    cluster: null,
    clusterError: null,
    dashboardUrl: row.dashboardUrl,
    grafanaUrl: row.grafanaUrl,
    notify: row.notify,
  };
}

function diagnosisFor(session: string, backend: string): DiagnosisDto {
  const check = (kind: string, title: string, verdict: CheckDto['verdict'], finding: string, nextStep: string | null = null): CheckDto =>
    ({ kind, title, verdict, finding, nextStep });
  return {
    session, backend,
    checks: [
      check('ServiceReachable', 'OSMO service reachable', 'pass', 'The service answered in 40 ms.'),
      check('BackendKnown', 'Backend known to the service', 'pass', `${backend} is registered.`),
      check('Heartbeat', 'Last heartbeat', 'fail', 'The last heartbeat was 2 h ago.',
        'Check that the backend operator is running in its cluster.'),
      check('ClusterReachable', 'Cluster reachable', 'skipped', 'No Kubernetes context is linked.'),
    ],
    firstFailure: 2,
    summary: `${backend} is offline: the last heartbeat was 2 h ago.`,
    linked: false,
    clusterError: null,
  };
}

export const dashboardCommands: Handlers = {
  dashboard_snapshot: (_, state) => structuredClone(dashboard(state)),
  refresh_dashboard: (_, state) => structuredClone(dashboard(state)),
  backend_detail: ({ backend }, state) => withRow(state, backend, detailFor),
  diagnose_backend: ({ backend }, state) => withRow(state, backend, (row) => diagnosisFor(row.session, row.name)),
  set_backend_notifications: ({ backend, on }, state) =>
    withRow(state, backend, (row) => {
      row.notify = on;
      return on;
    }),
};
