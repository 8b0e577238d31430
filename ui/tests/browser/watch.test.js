// The contexts list follows the core's `kubeconfig-changed` event, without polling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness } from './harness.js';

let harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

test('a kubeconfig-changed event from the core refreshes the contexts list', async () => {
  const { page, calls, errors } = await harness.open();
  await page.keyboard.press('Alt+1');
  await page.getByRole('table', { name: 'Contexts' }).waitFor();
  const listed = async () => (await calls()).filter((c) => c.cmd === 'list_contexts').length;
  const before = await listed();
  await page.waitForTimeout(1500);
  assert.equal(await listed(), before, 'no polling while nothing changes');

  // The core re-read the files and found a new context.
  await page.evaluate(() => {
    const state = window.__IPC_STATE__;
    const first = state.contexts.contexts[0];
    state.contexts.contexts.push({ ...first, name: 'added-in-a-terminal', isCurrent: false });
    return window.__EMIT__('kubeconfig-changed');
  });
  await page.getByRole('table', { name: 'Contexts' }).getByText('added-in-a-terminal').waitFor();
  assert.equal(await listed(), before + 1);
  assert.deepEqual(errors, []);
});
