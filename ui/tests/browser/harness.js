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
};

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
      { owner: 'admin', name: 'gpu-east-token', expiresAt: day(120), roles: ['osmo-backend'] },
      { owner: 'admin', name: 'gpu-west-token', expiresAt: day(3), roles: ['osmo-backend'] },
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
