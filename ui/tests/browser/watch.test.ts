// The contexts list follows the core's `kubeconfig-changed` event, without polling.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHarness, screenshotDir, type Harness } from './harness';

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
  assert.match(await banner.innerText(), /gpu-token \(lab\): expires in 5 days.*; used by gpu/);
  assert.equal((await calls()).filter((c) => c.cmd === 'tokens_needing_rotation').length, asked, 'taken from the event, not asked again');
  assert.deepEqual(errors, []);
});

test('the tokens banner keeps one line as more tokens are found: the dashboard under it does not move', async () => {
  const { page, errors } = await harness.open();
  await page.keyboard.press('Alt+2');
  const token = (session: string, name: string, words: string, expiresOn: string) => ({
    session, owner: name, name, usedBy: [`${name}-backend`], badge: 'expires_soon' as const, words, expiresOn,
  });
  const emit = (tokens: ReturnType<typeof token>[]) =>
    page.evaluate((t) => window.__EMIT__('tokens-needing-rotation', { count: t.length, errors: [], tokens: t }), tokens);
  await emit([token('lab', 'gpu-token', 'expires in 5 days', '2030-01-06')]);
  const banner = page.getByRole('status', { name: 'Tokens needing rotation' });
  await banner.waitFor();
  const search = page.getByRole('searchbox', { name: 'Search backends' }).or(page.getByText('No OSMO service is signed in'));
  const before = { banner: (await banner.boundingBox())?.height, below: (await search.first().boundingBox())?.y };

  // The sandbox's cluster comes up: three more, one of them expired.
  await emit([
    token('lab', 'gpu-token', 'expires in 5 days', '2030-01-06'),
    token('lab', 'cpu-token', 'expires in 6 days', '2030-01-07'),
    token('prod', 'dgx-token', 'expired 2 days ago', '2029-12-30'),
    token('prod', 'old-token', 'expires today', '2030-01-01'),
  ]);
  await banner.getByText('4 tokens in use need rotating').waitFor();
  assert.equal((await banner.boundingBox())?.height, before.banner, 'the banner keeps its height');
  assert.equal((await search.first().boundingBox())?.y, before.below, 'what is under it stays where it was');
  // The most urgent first; every token behind "Show all 4", which opens over the page.
  assert.match(await banner.innerText(), /dgx-token \(prod\): expired 2 days ago.*; used by dgx-token-backend/);
  await banner.getByText('Show all 4').click();
  const rows = banner.locator('details li');
  assert.deepEqual(
    (await rows.allInnerTexts()).map((t) => t.split(':')[0]),
    ['dgx-token (prod)', 'old-token (prod)', 'gpu-token (lab)', 'cpu-token (lab)'],
  );
  assert.equal((await banner.boundingBox())?.height, before.banner, 'the open list does not push the page down');
  assert.equal(await rows.getByRole('button', { name: 'Rotate now' }).count(), 4);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-banner-more.png') });
  // Escape closes it, as a click elsewhere does.
  await page.keyboard.press('Escape');
  await rows.first().waitFor({ state: 'hidden' });
  await banner.getByText('Show all 4').click();
  await rows.first().waitFor();
  await page.getByRole('heading', { level: 1 }).click();
  await rows.first().waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
});
