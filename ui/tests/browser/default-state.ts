// The mock backend's state when a test sets nothing else: a fresh install with its sandbox off,
// three kubeconfig contexts (one duplicate, one unreachable) and a broken extra kubeconfig file.
import type {
  ContextDto,
  ContextTestDto,
  ContextsView,
  PermissionDto,
  SandboxBackendDto,
  SandboxServiceDto,
  SandboxView,
} from '../../src/ipc/bindings.gen';
import type { MockState } from './mock-backend';

const KUBE = '/home/admin/.kube';

export const DEFAULT_STATE: MockState = {
  about: {
    name: 'OSMO Backend Admin',
    version: '0.1.0',
    tauriVersion: '2.12.5',
    build: 'debug',
    os: 'linux',
    arch: 'x86_64',
    configDir: '/home/admin/.config/io.github.osmo-backend-admin',
    settingsFile: '/home/admin/.config/io.github.osmo-backend-admin/settings.json',
    dataDir: '/home/admin/.local/share/io.github.osmo-backend-admin',
    logDir: '/home/admin/.local/share/io.github.osmo-backend-admin/logs',
  },
  settings: { theme: 'system', dashboardRefreshSecs: 10, tokenWarningDays: 7 },
  notice: null,
  sandbox: {
    state: 'off', error: null, services: [], clusterState: 'absent', clusterServer: null, clusterKubeconfig: null,
    clusterNote: null,
  },
  sandboxWhenStarted: runningSandbox(),
  contexts: kubeContexts(),
  contextTests: {
    'team-a': contextTest('team-a', 'https://a.example.com:6443', []),
    prod: contextTest('prod', 'https://prod.example.com', ['patch deployments.apps', 'create namespaces']),
    dev: {
      error: {
        code: 'unreachable',
        message:
          'cannot connect to https://127.0.0.1:6443 (cluster "dev"): connection refused: check that the address in the kubeconfig is right, that the API server is running, and that your VPN or network is up',
      },
    },
  },
};

/** The contexts as list_contexts reports them: two files in KUBECONFIG, a duplicate, a broken extra file. */
function kubeContexts(): ContextsView {
  const context = (name: string, source: string, fields: Partial<ContextDto>): ContextDto => ({
    name, source, shadowedIn: [], cluster: `${name}-cluster`, server: `https://${name}.example.com`,
    user: `${name}-user`, namespace: null, auth: { kind: 'token' }, isCurrent: false, problems: [], ...fields,
  });
  return {
    contexts: [
      context('team-a', `${KUBE}/config`, {
        server: 'https://a.example.com:6443', user: 'alice', namespace: 'team-a-ns', isCurrent: true,
      }),
      context('prod', `${KUBE}/config`, {
        shadowedIn: [`${KUBE}/prod.yaml`],
        auth: { kind: 'exec', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod'], env: [{ name: 'AWS_PROFILE', value: 'prod' }] },
      }),
      context('dev', `${KUBE}/prod.yaml`, { server: 'https://127.0.0.1:6443', auth: { kind: 'clientCertificate' } }),
    ],
    currentContext: 'team-a',
    currentContextSource: `${KUBE}/config`,
    files: [
      { path: `${KUBE}/config`, origin: 'kubeconfigEnv', state: 'loaded', error: null, contexts: 2 },
      { path: `${KUBE}/prod.yaml`, origin: 'kubeconfigEnv', state: 'loaded', error: null, contexts: 2 },
      {
        path: '/home/admin/broken.yaml', origin: 'extra', state: 'broken', contexts: 0,
        error: {
          code: 'kubeconfig_invalid', line: 9,
          message: '/home/admin/broken.yaml line 9: did not find expected \',\' or \'}\': fix the file (the other kubeconfig files are still used)',
        },
      },
    ],
    extraFiles: ['/home/admin/broken.yaml'],
    kubectlDifferences: [],
    links: [{ service: 'prod-osmo', backend: 'gpu-east', context: 'prod', operatorNamespace: 'osmo-operator' }],
  };
}

/** A test_context report for a reachable cluster where the `denied` permissions ("verb resource") are missing. */
function contextTest(context: string, server: string, denied: string[]): ContextTestDto {
  const ns = 'osmo-operator';
  const needed: [verb: string, resource: string, namespace: string | null, neededFor: string][] = [
    ['create', 'namespaces', null, 'setup'],
    ['create', 'secrets', ns, 'setup'],
    ['get', 'secrets', ns, 'rotation'],
    ['update', 'secrets', ns, 'rotation'],
    ['get', 'deployments.apps', ns, 'rotation'],
    ['patch', 'deployments.apps', ns, 'rotation'],
    ['list', 'pods', ns, 'health'],
    ['list', 'events', ns, 'health'],
  ];
  const permissions = needed.map(([verb, resource, namespace, neededFor]): PermissionDto => {
    const allowed = !denied.includes(`${verb} ${resource}`);
    const missing = allowed
      ? null
      : `cannot ${verb} ${resource}${namespace ? ` in namespace "${namespace}"` : ''}`;
    return { verb, resource, namespace, neededFor, allowed, missing, reason: null };
  });
  return {
    context, server, serverVersion: 'v1.30.2', roundTripMs: 23, firstResponseMs: 140, authenticated: true,
    operatorNamespace: ns, allGranted: denied.length === 0, permissions,
  };
}

/** A running sandbox as the core reports it, with dates relative to now. */
function runningSandbox(now = Date.now()): SandboxView {
  const day = (offset: number) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  const ago = (seconds: number) => new Date(now - seconds * 1000).toISOString();
  const backend = (name: string, online: boolean, seconds: number, operator: SandboxBackendDto['operator'], operatorStatus: string | null): SandboxBackendDto => ({
    name, online, lastHeartbeat: ago(seconds), operator, operatorStatus,
  });
  const service = (name: string, version: string): SandboxServiceDto => ({
    name,
    version,
    url: `http://127.0.0.1:4${version.replaceAll('.', '')}`,
    operatorWhere: 'gpu-east: operator in the local cluster, token from secret osmo-operator/osmo-operator-token key token',
    backends: [
      backend('gpu-east', true, 12, 'simulated', 'connected, heartbeating'),
      backend('gpu-west', true, 5, 'kept_alive', null),
      backend('cpu-batch', true, 8, 'kept_alive', null),
      backend('dgx-lab', false, 3 * 3600, 'none', null),
    ],
    tokens: [
      { owner: 'admin', name: 'gpu-east-token', expiresAt: day(5), roles: ['osmo-backend'] },
      { owner: 'admin', name: 'gpu-west-token', expiresAt: day(120), roles: ['osmo-backend'] },
      { owner: 'admin', name: 'dgx-lab-token', expiresAt: day(-3), roles: ['osmo-backend'] },
    ],
  });
  return {
    state: 'running',
    error: null,
    services: [service('sandbox-6.0', '6.0.0'), service('sandbox-6.4', '6.4.0')],
    clusterState: 'running',
    clusterServer: 'https://127.0.0.1:40123',
    clusterKubeconfig: '/tmp/osmo-cluster/kubeconfig',
    clusterNote: null,
  };
}
