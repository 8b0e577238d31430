// Pools and deleting a backend in the mocked IPC. The pools start from the dashboard rows' pool
// names (`state.pools` once written); like the real service, switching a pool to an unknown
// backend is refused and still stored, so the answer is always the pools as re-read.
import type { BackendRef, PoolDto, PoolWriteDto } from '../../../src/ipc/bindings.gen';
import type { Handlers, MockState } from '../mock-backend';
import { refuse } from '../mock-backend';

function pools(state: MockState, service: string): PoolDto[] {
  state.pools ??= {};
  if (!state.pools[service]) {
    const rows = (state.dashboard?.rows ?? []).filter((r) => r.session === service);
    state.pools[service] = rows.flatMap((r) =>
      r.pools.map((name) => ({ name, description: '', status: r.online ? 'ONLINE' : 'OFFLINE', backend: r.name, backendMissing: false })),
    );
  }
  return state.pools[service];
}

function backendExists(state: MockState, { service, backend }: BackendRef): boolean {
  return (state.dashboard?.rows ?? []).some((r) => r.session === service && r.name === backend);
}

function written(state: MockState, service: string, outcome: string, error: PoolWriteDto['error'] = null): PoolWriteDto {
  return { accepted: error === null, outcome, error, pools: structuredClone(pools(state, service)) };
}

export const poolsCommands: Handlers = {
  list_pools: ({ service }, state) => ({ service, pools: structuredClone(pools(state, service)) }),
  create_pool: ({ backend, pool, description }, state) => {
    const list = pools(state, backend.service);
    if (list.some((p) => p.name === pool)) return refuse('invalid_input', `Pool ${pool} already exists.`);
    list.push({ name: pool, description, status: 'ONLINE', backend: backend.backend, backendMissing: false });
    return written(state, backend.service, `Pool ${pool} now runs on ${backend.backend}.`);
  },
  switch_pool: ({ backend, pool }, state) => {
    const found = pools(state, backend.service).find((p) => p.name === pool);
    if (!found) return refuse('not_found', `Pool ${pool} does not exist.`);
    const left = found.backend;
    found.backend = backend.backend;
    found.backendMissing = !backendExists(state, backend);
    if (found.backendMissing) {
      return written(
        state,
        backend.service,
        `Pool ${pool} now names backend ${backend.backend}, which does not exist. It no longer runs on ${left}.`,
        { code: 'server_error', message: `Internal server error: Backend ${backend.backend} is not found.` },
      );
    }
    return written(state, backend.service, `Pool ${pool} now runs on ${backend.backend}. It no longer runs on ${left}.`);
  },
  delete_pool: ({ service, pool }, state) => {
    state.pools![service] = pools(state, service).filter((p) => p.name !== pool);
    return written(state, service, `Pool ${pool} is deleted.`);
  },
  backend_deletion_plan: ({ backend }, state) => {
    const row = state.dashboard?.rows.find((r) => r.session === backend.service && r.name === backend.backend);
    if (!row) return refuse('not_found', `Backend ${backend.backend} is not found.`);
    return {
      backend,
      online: row.online,
      pools: pools(state, backend.service).filter((p) => p.backend === backend.backend).map((p) => p.name),
      link: row.linked
        ? { context: 'lab', operatorNamespace: 'osmo-operator', uninstallCommand: 'helm uninstall osmo-operator --namespace osmo-operator --kube-context lab' }
        : null,
    };
  },
  delete_backend: ({ backend }, state) => {
    const dashboard = state.dashboard;
    if (!dashboard) return refuse('not_found', 'no dashboard');
    dashboard.rows = dashboard.rows.filter((r) => !(r.session === backend.service && r.name === backend.backend));
    const naming = pools(state, backend.service).filter((p) => p.backend === backend.backend).map((p) => p.name);
    return {
      gone: true,
      done: [`Deleted backend ${backend.backend} from ${backend.service}.`],
      left: naming.length ? [`${naming.join(', ')} still names ${backend.backend}: switch it to another backend, or delete it.`] : [],
    };
  },
};
