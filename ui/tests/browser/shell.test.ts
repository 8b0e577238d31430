// The app shell in a real browser (Debian's chromium) against the built UI, IPC mocked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { startHarness, screenshotDir, type Harness } from './harness';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

const SCREENS = ['Connections', 'Dashboard', 'Tokens', 'Setup', 'History', 'Settings'];

test('navigation lists every screen, and every screen is built (no “not built yet” note)', async () => {
  const { page, errors } = await harness.open();
  const nav = page.getByRole('navigation', { name: 'Screens' });
  assert.deepEqual(await nav.getByRole('button').allInnerTexts(), SCREENS);
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Dashboard');
  await nav.getByRole('button', { name: 'Setup' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Setup');
  assert.equal(await nav.getByRole('button', { name: 'Setup' }).getAttribute('aria-current'), 'page');
  for (const name of SCREENS) {
    await nav.getByRole('button', { name }).click();
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), name);
    assert.equal(await page.getByText(/not built yet/).count(), 0, `${name} says it is (partly) not built yet`);
  }
  assert.deepEqual(errors, []);
});

/** Where the screen (main) and the window are scrolled to, and where the sidebar's first and last controls are. */
async function layout(page: Page) {
  return page.evaluate(() => {
    const main = document.getElementById('main');
    const nav = document.querySelector('nav[aria-label="Screens"]');
    const footer = document.querySelector('.sidebar-footer');
    if (!main || !nav || !footer) throw new Error('the shell has no main, navigation or sidebar footer');
    return {
      mainTop: main.scrollTop,
      mainScrollable: main.scrollHeight > main.clientHeight,
      windowTop: window.scrollY,
      navTop: nav.getBoundingClientRect().top,
      footerBottom: footer.getBoundingClientRect().bottom,
      viewportHeight: window.innerHeight,
    };
  });
}

test('the sidebar stays in place while a screen scrolls, and a screen opens at its top', async () => {
  const { page, errors } = await harness.open();
  await page.setViewportSize({ width: 1024, height: 400 });
  await page.keyboard.press('Alt+1');
  await page.getByRole('region', { name: 'Kubernetes contexts' }).waitFor();
  const before = await layout(page);
  assert.ok(before.mainScrollable, 'Connections is longer than the window (else this test shows nothing)');
  await page.mouse.move(700, 200);
  await page.mouse.wheel(0, 5000);
  await page.waitForFunction(() => (document.getElementById('main')?.scrollTop ?? 0) > 0);
  const scrolled = await layout(page);
  assert.equal(scrolled.windowTop, 0, 'the window itself does not scroll, only the screen');
  assert.equal(scrolled.navTop, before.navTop, 'the navigation did not move');
  assert.ok(scrolled.footerBottom <= scrolled.viewportHeight, 'the sidebar footer stays in view');
  await page.screenshot({ path: path.join(screenshotDir, 'shell-scrolled.png') });

  // Another screen opens at its top, though it is long too.
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Dashboard' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Dashboard');
  const dashboard = await layout(page);
  assert.ok(dashboard.mainScrollable, 'the Dashboard is longer than the window (else this test shows nothing)');
  assert.equal(dashboard.mainTop, 0);
  assert.ok(await page.getByRole('heading', { level: 1 }).isVisible());
  assert.deepEqual(errors, []);
});

test('the page behind a dialog does not scroll', async () => {
  const { page, errors } = await harness.open();
  await page.setViewportSize({ width: 1024, height: 500 });
  await page.keyboard.press('Alt+1');
  await page.getByRole('region', { name: 'Kubernetes contexts' }).waitFor();
  assert.ok((await layout(page)).mainScrollable);
  await page.getByRole('button', { name: 'About', exact: true }).click();
  const about = page.getByRole('dialog', { name: 'About' });
  await about.waitFor();
  // The wheel over the backdrop, beside the dialog.
  await page.mouse.move(1000, 480);
  await page.mouse.wheel(0, 2000);
  await page.waitForTimeout(300);
  assert.equal((await layout(page)).mainTop, 0, 'the screen behind the dialog scrolled');
  const mainOverflow = () => page.locator('#main').evaluate((main) => getComputedStyle(main).overflowY);
  assert.equal(await mainOverflow(), 'hidden', 'the screen cannot be scrolled while the dialog is open');
  await page.keyboard.press('Escape');
  await about.waitFor({ state: 'hidden' });
  assert.equal(await mainOverflow(), 'auto', 'closed: the screen scrolls again');
  assert.deepEqual(errors, []);
});

test('keyboard: Alt+digit jumps to a screen and focus lands on its heading', async () => {
  const { page } = await harness.open();
  await page.keyboard.press('Alt+6');
  const heading = page.getByRole('heading', { level: 1 });
  assert.equal(await heading.innerText(), 'Settings');
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  await page.keyboard.press('Alt+1');
  assert.equal(await heading.innerText(), 'Connections');
  // Tab from the heading reaches the page's controls in order, nothing is mouse-only.
  await page.keyboard.press('Alt+6');
  await page.waitForFunction(() => document.activeElement?.tagName === 'H1');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'theme');
});

test('the command palette lists every action and runs the chosen one', async () => {
  const { page } = await harness.open();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await palette.waitFor();
  const items = await palette.locator('[cmdk-item]').allInnerTexts();
  for (const screen of SCREENS) {
    assert.ok(items.some((item) => item.startsWith(`Go to ${screen}`)), `missing Go to ${screen}: ${items}`);
  }
  assert.ok(items.some((item) => item.startsWith('Use the dark theme')));
  assert.ok(items.some((item) => item.startsWith('About OSMO Backend Admin')));

  await page.keyboard.type('about');
  assert.deepEqual(await palette.locator('[cmdk-item]').allInnerTexts(), ['About OSMO Backend Admin']);
  await page.keyboard.press('Enter');
  const about = page.getByRole('dialog', { name: 'About' });
  await about.waitFor();
  assert.match(await about.getByTestId('about-version').innerText(), /0\.1\.0 \(debug build, Tauri 2\.12\.5\)/);
  assert.equal(
    await about.getByTestId('about-log-dir').innerText(),
    '/home/admin/.local/share/io.github.osmo-backend-admin/logs',
  );
  await page.screenshot({ path: path.join(screenshotDir, 'about.png') });
  await page.keyboard.press('Escape');
  await about.waitFor({ state: 'hidden' });
});

test('themes follow the system, and a chosen theme is saved through IPC', async () => {
  const { page, calls } = await harness.open({}, { colorScheme: 'dark' });
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(await background(), 'rgb(21, 24, 28)', 'dark system theme is followed');

  await page.keyboard.press('Control+k');
  await page.keyboard.type('light theme');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.documentElement.dataset.theme === 'light');
  assert.equal(await background(), 'rgb(246, 247, 249)');
  const update = (await calls()).find((c) => c.cmd === 'update_settings');
  assert.deepEqual(update?.args, { settings: { theme: 'light', dashboardRefreshSecs: 10, tokenWarningDays: 7 } });
});

test('settings: a wrong value shows the core’s error and nothing is saved; a good one is', async () => {
  const { page, calls } = await harness.open();
  await page.keyboard.press('Alt+6');
  const field = page.getByLabel('Dashboard refresh interval (seconds)');
  await field.fill('ten');
  await page.getByRole('button', { name: 'Save settings' }).click();
  assert.match(await page.getByRole('alert').innerText(), /must be a whole number of seconds.*“ten” is not/s);
  assert.equal((await calls()).filter((c) => c.cmd === 'update_settings').length, 0, 'nothing sent');

  await field.fill('1');
  await page.getByRole('button', { name: 'Save settings' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /Check your input/);
  assert.match(await alert.innerText(), /between 2 and 3600 seconds, got 1/);
  await page.screenshot({ path: path.join(screenshotDir, 'settings-error.png') });

  await field.fill('45');
  await page.getByLabel('Dark').check();
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0);
  const updates = (await calls()).filter((c) => c.cmd === 'update_settings');
  assert.deepEqual(updates.at(-1)?.args, { settings: { theme: 'dark', dashboardRefreshSecs: 45, tokenWarningDays: 7 } });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
});

test('a settings file that was moved aside is announced until dismissed', async () => {
  const notice = 'The settings file could not be used (invalid JSON: EOF). It was kept as /cfg/settings.json.corrupt-20261128T000000Z and default settings are in use; saving a setting writes a new file.';
  const { page, calls } = await harness.open({ notice });
  const alert = page.getByRole('alert');
  assert.match(await alert.innerText(), /settings\.json\.corrupt-20261128T000000Z/);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await alert.waitFor({ state: 'detached' });
  assert.ok((await calls()).some((c) => c.cmd === 'dismiss_settings_notice'));
});

test('the saved sign-in of a service left out of the settings is offered for removal from the keyring', async () => {
  const notice = 'Some settings could not be used and are left out: services[1] (invalid type: integer `7`, expected a string). They are kept in /cfg/settings.json.set-aside-20261206T140000Z; every other setting is in use.';
  const { page, calls } = await harness.open({
    notice,
    leftOutSecrets: [{ id: 'k-staging', name: 'staging' }],
    keyringLocked: true,
  });
  const offer = page.getByRole('status', { name: 'Saved sign-ins of services left out' });
  assert.match(await offer.innerText(), /The saved sign-in of staging is still in the OS keyring/);
  // Dismissing the notice keeps the offer: the secrets are still there.
  await page.getByRole('alert').filter({ hasText: 'set-aside' }).getByRole('button', { name: 'Dismiss' }).click();
  assert.match(await offer.innerText(), /staging/);

  // A locked keyring says so, and the offer stays.
  await offer.getByRole('button', { name: 'Remove from the keyring' }).click();
  await offer.getByText('The OS keyring is not available').waitFor();
  await page.evaluate(() => {
    window.__IPC_STATE__.keyringLocked = false;
  });
  await offer.getByRole('button', { name: 'Remove from the keyring' }).click();
  await offer.getByText('Removed from the OS keyring: the saved sign-in of staging.').waitFor();
  assert.equal(await offer.getByRole('button', { name: 'Remove from the keyring' }).count(), 0);
  const settle = (await calls()).filter((c) => c.cmd === 'settle_left_out_secrets');
  assert.deepEqual(settle.at(-1)?.args, { ids: ['k-staging'], remove: true });
});
