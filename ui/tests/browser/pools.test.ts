// A backend's pools and deleting a backend (from its detail on the Dashboard), in a real browser
// with mocked IPC: the pools that run on it, creating one, switching one here (a refused switch
// still shows what is stored), and a delete that names the pool first and says what is left.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BackendRowDto } from '../../src/ipc/bindings.gen';
import type { MockDashboard } from './mock-backend';
import { startHarness, screenshotDir, type Harness } from './harness';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

const NOW = Date.now();
const row = (name: string, online: boolean, pools: string[]): BackendRowDto => ({
  session: 'prod', name, online, lastHeartbeat: new Date(NOW - (online ? 5000 : 5 * 3600_000)).toISOString(),
  offlineSince: online ? null : new Date(NOW - 5 * 3600_000).toISOString(), version: '6.4.0', k8sNamespace: 'osmo-workflows',
  schedulerType: 'kai', schedulerName: 'kai-scheduler', pools, dashboardUrl: null, grafanaUrl: null, notify: true,
  linked: false, warnings: [],
});
const dashboard = (): MockDashboard => ({
  sessions: [{ session: 'prod', online: 2, offline: 1, total: 3, updatedAt: new Date(NOW).toISOString(), stale: false, error: null, errorCode: null, consecutiveFailures: 0, polls: 3 }],
  rows: [row('gpu-east', true, ['training']), row('gpu-new', true, []), row('gpu-old', false, ['legacy'])],
  refreshSecs: 10, historyError: null, historyNotice: null, notPolled: [], now: new Date(NOW).toISOString(),
});

async function openDetail(name: string) {
  const opened = await harness.open({ dashboard: dashboard() });
  const { page } = opened;
  await page.locator('.bt-data', { hasText: name }).first().click();
  const detail = page.getByRole('dialog', { name: 'Backend detail' });
  await detail.getByRole('region', { name: 'Pools' }).waitFor();
  return { ...opened, detail };
}

test('a backend in no pool says so; a pool is created for it, and another switched to it', async () => {
  const { page, detail, errors, calls } = await openDetail('gpu-new');
  const pools = detail.getByRole('region', { name: 'Pools' });
  await pools.getByText('No pool runs on gpu-new, so no workflow can run on it').waitFor();
  await pools.getByLabel('New pool on gpu-new').fill('gpu-new-pool');
  await pools.getByRole('button', { name: 'Create pool' }).click();
  await pools.getByRole('status').getByText('Pool gpu-new-pool now runs on gpu-new.').waitFor();
  assert.ok(await pools.locator('[data-pool="gpu-new-pool"]').isVisible());
  assert.equal(await pools.getByText('No pool runs on gpu-new').count(), 0);

  await pools.getByLabel('Or switch a pool here').selectOption('training');
  await pools.getByText('training will leave gpu-east').waitFor();
  await pools.getByRole('button', { name: 'Switch to this backend' }).click();
  await pools.getByRole('status').getByText('Pool training now runs on gpu-new. It no longer runs on gpu-east.').waitFor();
  const sent = (await calls()).filter((c) => c.cmd === 'create_pool' || c.cmd === 'switch_pool').map((c) => c.args);
  assert.deepEqual(sent, [
    { backend: { service: 'prod', backend: 'gpu-new' }, pool: 'gpu-new-pool', description: 'Pool on gpu-new' },
    { backend: { service: 'prod', backend: 'gpu-new' }, pool: 'training' },
  ]);
  await page.screenshot({ path: path.join(screenshotDir, 'pools-of-a-backend.png') });
  assert.deepEqual(errors, []);
});

test('deleting an offline backend names its pool first, then says the pool still names it', async () => {
  const { page, detail, errors, calls } = await openDetail('gpu-old');
  await detail.getByRole('button', { name: 'Delete backend…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete backend gpu-old' });
  await dialog.getByText('Pool legacy runs on it').waitFor();
  assert.match(await dialog.innerText(), /It is offline/);
  assert.equal((await calls()).filter((c) => c.cmd === 'delete_backend').length, 0, 'nothing is deleted before the confirmation');
  await page.screenshot({ path: path.join(screenshotDir, 'delete-backend-plan.png') });
  await dialog.getByRole('button', { name: 'Delete gpu-old' }).click();
  await dialog.getByRole('heading', { name: 'Backend gpu-old is deleted' }).waitFor();
  assert.match(await dialog.innerText(), /legacy still names gpu-old/);
  assert.deepEqual((await calls()).find((c) => c.cmd === 'delete_backend')?.args, {
    backend: { service: 'prod', backend: 'gpu-old' },
    choices: { stopOperator: false, unlink: false },
  });
  await dialog.getByRole('button', { name: 'Close' }).click();
  await page.locator('.bt-data', { hasText: 'gpu-old' }).waitFor({ state: 'detached' });
  assert.deepEqual(errors, []);
});

test('deleting an online backend warns that its operator keeps running', async () => {
  const { page, detail } = await openDetail('gpu-east');
  await detail.getByRole('button', { name: 'Delete backend…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete backend gpu-east' });
  const warning = dialog.getByRole('alert');
  await warning.waitFor();
  assert.match(await warning.innerText(), /gpu-east is online:.*operator keeps running/s);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
});
