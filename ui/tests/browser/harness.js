// Serves the built UI (ui/dist) with Vite's preview server and opens it in Debian's chromium
// through playwright-core, with Tauri's IPC mocked in the page.
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build, preview } from 'vite';
import { chromium } from 'playwright-core';

const uiDir = fileURLToPath(new URL('../..', import.meta.url));
export const screenshotDir = path.join(uiDir, 'tests', 'browser', 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

async function bundleMock() {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: uiDir,
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(uiDir, 'tests/browser/mock-ipc.js'), formats: ['iife'], name: 'mockIpc' },
    },
  });
  const outputs = Array.isArray(result) ? result : [result];
  return outputs[0].output[0].code;
}

const KUBE = '/home/admin/.kube';

export const DEFAULT_STATE = {
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
  settings: { theme: 'system', dashboardRefreshSecs: 10 },
  notice: null,
  sandbox: {
    state: 'off', error: null, services: [], clusterServer: null, clusterKubeconfig: null, clusterNote: null,
  },
  sandboxWhenStarted: runningSandbox(),
  contexts: kubeContexts(),
  // What test_context answers, per context name: a report, or `{ error: IpcError }`.
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
export function kubeContexts() {
  const context = (name, source, fields) => ({
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
        auth: { kind: 'exec', command: 'aws', args: ['eks', 'get-token', '--cluster-name', 'prod'] },
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
    links: [{ session: 'prod-osmo', backend: 'gpu-east', context: 'prod', operatorNamespace: 'osmo-operator' }],
  };
}

/** A test_context report for a reachable cluster where the `denied` permissions ("verb resource") are missing. */
export function contextTest(context, server, denied) {
  const ns = 'osmo-operator';
  const needed = [
    ['create', 'namespaces', null, 'setup'],
    ['create', 'secrets', ns, 'setup'],
    ['get', 'secrets', ns, 'rotation'],
    ['update', 'secrets', ns, 'rotation'],
    ['get', 'deployments.apps', ns, 'rotation'],
    ['patch', 'deployments.apps', ns, 'rotation'],
    ['list', 'pods', ns, 'health'],
    ['list', 'events', ns, 'health'],
  ];
  const permissions = needed.map(([verb, resource, namespace, neededFor]) => {
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
export function runningSandbox(now = Date.now()) {
  const day = (offset) => new Date(now + offset * 86_400_000).toISOString().slice(0, 10);
  const ago = (seconds) => new Date(now - seconds * 1000).toISOString();
  const service = (name, version) => ({
    name,
    version,
    url: `http://127.0.0.1:4${version.replaceAll('.', '')}`,
    operatorWhere: 'gpu-east: operator in the local cluster, token from secret osmo-operator/osmo-operator-token key token',
    backends: [
      { name: 'gpu-east', online: true, lastHeartbeat: ago(12), operator: 'simulated', operatorStatus: 'connected, heartbeating' },
      { name: 'gpu-west', online: true, lastHeartbeat: ago(5), operator: 'kept_alive', operatorStatus: null },
      { name: 'cpu-batch', online: true, lastHeartbeat: ago(8), operator: 'kept_alive', operatorStatus: null },
      { name: 'dgx-lab', online: false, lastHeartbeat: ago(3 * 3600), operator: 'none', operatorStatus: null },
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
    clusterServer: 'https://127.0.0.1:40123',
    clusterKubeconfig: '/tmp/osmo-cluster/kubeconfig',
    clusterNote: null,
  };
}

export async function startHarness() {
  if (!existsSync(path.join(uiDir, 'dist', 'index.html'))) {
    throw new Error('ui/dist is missing: run `npm run build` in ui/ first');
  }
  mkdirSync(screenshotDir, { recursive: true });
  const mock = await bundleMock();
  const server = await preview({ root: uiDir, logLevel: 'silent', preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls.local[0];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

  /** A fresh page with the given IPC state; `colorScheme` emulates the system theme. */
  async function open(state = {}, { colorScheme = 'light' } = {}) {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1200, height: 780 } });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const full = structuredClone({ ...DEFAULT_STATE, ...state });
    await page.addInitScript(`window.__IPC_STATE__ = ${JSON.stringify(full)};`);
    await page.addInitScript(mock);
    await page.goto(url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return { page, errors, calls: () => page.evaluate(() => window.__IPC_CALLS__) };
  }

  async function stop() {
    await browser.close();
    await new Promise((resolve) => server.httpServer.close(resolve));
  }

  return { open, stop };
}
