// The sandbox as a newcomer meets it, in a real browser with mocked IPC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { SandboxView } from '../../src/ipc/bindings.gen';
import { startHarness, screenshotDir, type Harness } from './harness';

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
    services: [], clusterServer: null, clusterKubeconfig: null, clusterNote: null,
  };
  const { page } = await harness.open({ sandbox: failed });
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /could not start: address in use/);
  await page.getByRole('button', { name: 'Start the sandbox' }).click();
  await page.locator('.sandbox-label').waitFor();
});
