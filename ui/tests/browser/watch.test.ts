// The contexts list follows the core's `kubeconfig-changed` event, without polling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness';

let harness: Harness;
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
    return window.__EMIT__('kubeconfig-changed', {});
  });
  await page.getByRole('table', { name: 'Contexts' }).getByText('added-in-a-terminal').waitFor();
  assert.equal(await listed(), before + 1);
  assert.deepEqual(errors, []);
});

test('a tokens-needing-rotation event from the core shows the nav count and the dashboard banner at once', async () => {
  const { page, calls, errors } = await harness.open();
  const nav = page.getByRole('navigation', { name: 'Screens' });
  await nav.getByRole('button', { name: /^Tokens/ }).waitFor();
  await page.waitForFunction(() => window.__IPC_CALLS__.some((c) => c.cmd === 'tokens_needing_rotation'));
  assert.equal(await nav.getByLabel(/tokens in use need rotating/).count(), 0, 'nothing needs rotating at first');
  const asked = (await calls()).filter((c) => c.cmd === 'tokens_needing_rotation').length;

  // The core's token watch found a token in use that expires soon (a session signed in).
  await page.evaluate(() =>
    window.__EMIT__('tokens-needing-rotation', {
      count: 1,
      errors: [],
      tokens: [{ session: 'lab', owner: 'gpu-token', name: 'gpu-token', usedBy: ['gpu'], badge: 'expires_soon', words: 'expires in 5 days', expiresOn: '2030-01-01' }],
    }),
  );
  await nav.getByLabel('1 tokens in use need rotating').waitFor();
  await page.keyboard.press('Alt+2');
  const banner = page.getByRole('status', { name: 'Tokens needing rotation' });
  assert.match(await banner.innerText(), /gpu-token \(lab\) used by gpu/);
  assert.equal((await calls()).filter((c) => c.cmd === 'tokens_needing_rotation').length, asked, 'taken from the event, not asked again');
  assert.deepEqual(errors, []);
});
