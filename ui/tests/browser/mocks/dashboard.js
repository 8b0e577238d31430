// The dashboard's commands in the mocked IPC, over `state.dashboard` (a DashboardView),
// `state.backendDetails` ("session/backend" → BackendDetailDto, else one is made from the row) and
// `state.diagnosis` (a DiagnosisDto, else a heartbeat failure is made up).
// Returns undefined for commands that are not its own.
function emptyView() {
  return { sessions: [], notPolled: [], rows: [], refreshSecs: 10, historyError: null, now: new Date().toISOString() };
}

function findRow(state, session, backend) {
  return state.dashboard.rows.find((r) => r.session === session && r.name === backend);
}

function notFound(session, backend) {
  return Promise.reject({ code: 'not_found', message: `Backend ${backend} is not found in ${session}.` });
}

function detailFor(row) {
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

function diagnosisFor(session, backend) {
  const check = (kind, title, verdict, finding, nextStep = null) => ({ kind, title, verdict, finding, nextStep });
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

export function handleDashboard(cmd, args, state) {
  state.dashboard ??= emptyView();
  switch (cmd) {
    case 'dashboard_snapshot':
    case 'refresh_dashboard':
      return structuredClone(state.dashboard);
    case 'backend_detail': {
      const row = findRow(state, args.session, args.backend);
      if (!row) return notFound(args.session, args.backend);
      return structuredClone(state.backendDetails?.[`${args.session}/${args.backend}`] ?? detailFor(row));
    }
    case 'diagnose_backend':
      if (!findRow(state, args.session, args.backend)) return notFound(args.session, args.backend);
      return structuredClone(state.diagnosis ?? diagnosisFor(args.session, args.backend));
    case 'set_backend_notifications': {
      const row = findRow(state, args.session, args.backend);
      if (!row) return notFound(args.session, args.backend);
      row.notify = args.on;
      return args.on;
    }
    default:
      return undefined;
  }
}
