// The command palette with the sandbox's world: every action with the objects it acts on (open
// backend X, rotate the token of X, set up a backend, create a token on a service, sign in to a
// service), each opening the right screen and form; never "Start the sandbox" while it runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { SessionView } from '../../src/ipc/bindings.gen';
import { startHarness, type Harness } from './harness';
import { sandboxWorld } from './sandbox-world';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

/** Opens the palette and lists its commands. */
async function paletteItems(page: Page): Promise<string[]> {
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.locator('[cmdk-item]').first().waitFor();
  return palette.locator('[cmdk-item]').allInnerTexts();
}

/** Types into the palette and runs the only command that matches exactly `label`. */
async function run(page: Page, typed: string, label: string) {
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  if (!(await palette.isVisible())) await page.keyboard.press('Control+k');
  await palette.getByRole('combobox', { name: 'Command' }).fill(typed);
  const item = palette.locator('[cmdk-item]', { hasText: label });
  await item.first().waitFor();
  assert.equal(await item.count(), 1, `one "${label}" for "${typed}"`);
  await item.click();
  await palette.waitFor({ state: 'hidden' });
}

const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText();

test('with the sandbox running: each backend of each service to open and to rotate, a token per service, setup; Stop but no Start', async () => {
  const { page, errors } = await harness.open(sandboxWorld());
  const items = await paletteItems(page);
  for (const service of ['sandbox-6.0', 'sandbox-6.4']) {
    for (const backend of ['gpu-east', 'gpu-west', 'cpu-batch', 'dgx-lab']) {
      assert.ok(items.includes(`Open backend ${backend} (${service})`), `open ${backend} of ${service}: ${items.join(' | ')}`);
      assert.ok(items.includes(`Rotate the token of ${backend} (${service})`), `rotate ${backend} of ${service}`);
    }
    assert.ok(items.includes(`Create a token on ${service}`));
  }
  assert.ok(items.includes('Set up a new backend'));
  assert.ok(items.some((i) => i.startsWith('Stop the sandbox')));
  assert.ok(!items.some((i) => i.startsWith('Start the sandbox')), 'no Start while it runs');
  assert.ok(!items.some((i) => i.startsWith('Sign in to')), 'every service is signed in');
  // "offline" finds the offline backends.
  await page.getByRole('combobox', { name: 'Command' }).fill('offline');
  const offline = await page.locator('[cmdk-item]').allInnerTexts();
  assert.ok(offline.includes('Open backend dgx-lab (sandbox-6.0)') && offline.includes('Open backend dgx-lab (sandbox-6.4)'), offline.join(' | '));
  assert.ok(!offline.includes('Open backend gpu-east (sandbox-6.0)'));
  assert.deepEqual(errors, []);
});

test('open backend X opens its detail on the Dashboard, from any screen', async () => {
  const { page, errors } = await harness.open(sandboxWorld());
  await page.keyboard.press('Alt+3');
  await run(page, 'open backend dgx-lab 6.4', 'Open backend dgx-lab (sandbox-6.4)');
  assert.equal(await heading(page), 'Dashboard');
  const detail = page.getByRole('dialog', { name: 'Backend detail' });
  await detail.getByRole('heading', { name: /dgx-lab \(sandbox-6\.4\)/ }).waitFor();
  // Asked again while the Dashboard is open, it opens the other one.
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'hidden' });
  await run(page, 'open backend gpu-east 6.0', 'Open backend gpu-east (sandbox-6.0)');
  await detail.getByRole('heading', { name: /gpu-east \(sandbox-6\.0\)/ }).waitFor();
  assert.deepEqual(errors, []);
});

test('rotate the token of X and create a token open their forms on Tokens, for that service', async () => {
  const { page, errors } = await harness.open(sandboxWorld());
  await run(page, 'rotate gpu-east 6.4', 'Rotate the token of gpu-east (sandbox-6.4)');
  assert.equal(await heading(page), 'Tokens');
  const rotate = page.getByRole('dialog', { name: 'Rotate a backend’s token' });
  await rotate.getByLabel('Backend', { exact: true }).waitFor();
  assert.equal(await rotate.getByRole('combobox', { name: /^Session/ }).inputValue(), 'sandbox-6.4');
  assert.equal(await rotate.getByLabel('Backend', { exact: true }).inputValue(), 'gpu-east');
  await rotate.getByRole('button', { name: 'Cancel' }).click();
  await rotate.waitFor({ state: 'hidden' });

  // Already on Tokens: the form still opens.
  await run(page, 'create a token on sandbox-6.4', 'Create a token on sandbox-6.4');
  const create = page.getByRole('dialog', { name: 'Create token' });
  await create.getByRole('heading', { name: 'Create token' }).waitFor();
  assert.match(await create.innerText(), /On sandbox-6\.4\./);
  assert.deepEqual(errors, []);
});

test('sign in to a signed-out service opens its sign-in form; set up a new backend opens Setup', async () => {
  const world = sandboxWorld();
  const lab: SessionView = {
    ...world.sessions!.sessions[0]!, id: 'lab', name: 'lab', url: 'https://lab.example.com', forThisRunOnly: false,
    status: { state: 'signed_out' },
  };
  world.sessions!.sessions.push(lab);
  const { page, errors } = await harness.open(world);
  assert.ok((await paletteItems(page)).includes('Sign in to lab'));
  await run(page, 'sign in lab', 'Sign in to lab');
  assert.equal(await heading(page), 'Connections');
  await page.getByRole('dialog', { name: 'Sign in to lab' }).waitFor();
  await page.keyboard.press('Escape');

  await run(page, 'set up', 'Set up a new backend');
  assert.equal(await heading(page), 'Setup');
  assert.deepEqual(errors, []);
});

test('with the sandbox off: Start the sandbox, no Stop; no service, so no backend or token actions', async () => {
  const { page } = await harness.open();
  const items = await paletteItems(page);
  assert.ok(items.some((i) => i.startsWith('Start the sandbox')));
  assert.ok(!items.some((i) => i.startsWith('Stop the sandbox')));
  assert.ok(!items.some((i) => /^(Open backend|Rotate the token|Create a token)/.test(i)), items.join(' | '));
  assert.ok(items.includes('Set up a new backend'));
});
