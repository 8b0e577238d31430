// The sandbox as a newcomer meets it, in a real browser with mocked IPC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { SandboxView } from '../../src/ipc/bindings.gen';
import { startHarness, screenshotDir, type Harness } from './harness';
import { DEFAULT_STATE } from './default-state';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

test('first start offers the sandbox; starting it labels the app and shows its world', async () => {
  const { page, calls, errors } = await harness.open();
  const offer = page.getByRole('region', { name: 'No OSMO service yet? Try the sandbox' });
  await offer.waitFor();
  assert.equal(await page.locator('.sandbox-label').count(), 0, 'no sandbox label before it runs');
  await page.screenshot({ path: path.join(screenshotDir, 'sandbox-offer.png') });

  await offer.getByRole('button', { name: 'Start the sandbox' }).click();
  await page.locator('.sandbox-label').waitFor();
  assert.match(await page.locator('.sandbox-label').innerText(), /sandbox.*not a real OSMO/is);
  assert.ok((await calls()).some((c) => c.cmd === 'start_sandbox'));
  await offer.waitFor({ state: 'detached' });
  // The Dashboard points to where the sandbox can be seen.
  const pointer = page.getByRole('region', { name: /The sandbox is running/ });
  assert.match(await pointer.innerText(), /2 simulated services with 8 backends \(2 offline\)/);
  await pointer.getByRole('button', { name: 'See the sandbox on Connections' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connections');
  const service = page.getByRole('article', { name: 'sandbox-6.0' });
  await service.waitFor();
  const backends = service.getByRole('table', { name: 'Backends' });
  const rows = await backends.locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 4);
  assert.match(rows[0], /gpu-east\s+online\s+just now\s+simulated: connected, heartbeating/);
  assert.match(rows[3], /dgx-lab\s+offline\s+3 h ago\s+none/);
  const tokens = await service.getByRole('table', { name: 'Service tokens' }).locator('tbody tr').allInnerTexts();
  assert.match(tokens[0], /gpu-east-token.*in 5 days.*expires soon/s);
  assert.match(tokens[1], /gpu-west-token.*in 120 days.*fine/s);
  assert.match(tokens[2], /dgx-lab-token.*3 days ago.*expired/s);
  assert.match(await page.getByRole('region', { name: /Simulated OSMO services/ }).innerText(), /127\.0\.0\.1:40123/);
  await page.screenshot({ path: path.join(screenshotDir, 'sandbox-running.png'), fullPage: true });

  await page.getByRole('button', { name: 'Stop the sandbox' }).click();
  await page.locator('.sandbox-label').waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('the command palette starts the sandbox too', async () => {
  const { page, calls } = await harness.open();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('start the sandbox');
  await page.keyboard.press('Enter');
  await page.locator('.sandbox-label').waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connections');
  assert.ok((await calls()).some((c) => c.cmd === 'start_sandbox'));
});

test('a sandbox that failed to start says why and can be retried', async () => {
  const failed: SandboxView = {
    state: 'failed', error: 'the simulated OSMO 6.0 service could not start: address in use',
    services: [], clusterState: 'absent', clusterServer: null, clusterKubeconfig: null, clusterNote: null,
  };
  const { page } = await harness.open({ sandbox: failed });
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /could not start: address in use/);
  await page.getByRole('button', { name: 'Start the sandbox' }).click();
  await page.locator('.sandbox-label').waitFor();
});

/** The running sandbox of default-state.ts a moment after it started: its cluster still starting. */
function clusterStarting(): SandboxView {
  const running = DEFAULT_STATE.sandboxWhenStarted;
  const waiting = 'starting (waiting for the local cluster)';
  return {
    ...running,
    clusterState: 'starting',
    clusterServer: null,
    clusterKubeconfig: null,
    clusterNote:
      'The local Kubernetes cluster is starting (a few seconds): the simulated operators that will run in it wait for it, and its context osmo-sandbox joins Connections once it runs.',
    services: running.services.map((service) => ({
      ...service,
      operatorWhere: 'gpu-east, dgx-lab: operators waiting for the local cluster, which is starting',
      backends: service.backends.map((b) => {
        // gpu-east is registered by its operator once it connects; dgx-lab was seeded offline.
        if (b.name === 'gpu-east') return { ...b, online: false, lastHeartbeat: null, operatorStatus: waiting };
        if (b.name === 'dgx-lab') return { ...b, operator: 'simulated' as const, operatorStatus: waiting };
        return b;
      }),
    })),
  };
}

test('while its local cluster starts, the sandbox says so, its operators wait, and the cluster shows once it runs', async () => {
  const { page, errors } = await harness.open({ sandbox: clusterStarting() });
  const pointer = page.getByRole('region', { name: /The sandbox is running/ });
  assert.match(await pointer.innerText(), /Its local cluster is starting\./);
  await pointer.getByRole('button', { name: 'See the sandbox on Connections' }).click();
  const panel = page.getByRole('region', { name: /Simulated OSMO services/ });
  const starting = panel.getByRole('status');
  assert.match(await starting.innerText(), /local Kubernetes cluster is starting/);
  const east = panel.getByRole('article', { name: 'sandbox-6.0' }).locator('tbody tr').first();
  assert.match(await east.innerText(), /gpu-east\s+offline\s+never\s+simulated: starting \(waiting for the local cluster\)/);
  const dgx = panel.getByRole('article', { name: 'sandbox-6.0' }).locator('tbody tr').nth(3);
  assert.match(await dgx.innerText(), /dgx-lab\s+offline\s+3 h ago\s+simulated: starting \(waiting for the local cluster\)/);
  await starting.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotDir, 'sandbox-cluster-starting.png') });

  // The cluster runs: the panel, polling, shows it without a click.
  await page.evaluate(() => {
    window.__IPC_STATE__.sandbox = window.__IPC_STATE__.sandboxWhenStarted;
  });
  await panel.getByText(/Local Kubernetes API server at/).waitFor({ timeout: 5000 });
  assert.equal(await starting.count(), 0);
  assert.match(await east.innerText(), /simulated: connected, heartbeating/);
  assert.deepEqual(errors, []);
});
