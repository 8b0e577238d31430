// Accessibility of every screen and every dialog, in the light and the dark theme: axe-core finds no
// serious or critical violation (contrast, names, roles, ...), Tab reaches nothing whose focus ring is
// missing or cut off, and no date is written the locale's way ("12/6/2026, 9:59:21 AM") instead of
// the app's ("3 h ago" with the UTC time on hover). Each scene reuses the fixtures of its feature's
// tests; a screenshot of each is saved as a11y-<scene>-<theme>.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { RotationView, SessionView } from '../../src/ipc/bindings.gen';
import { axeViolations } from './axe';
import * as historyFixtures from './fixtures/history';
import * as schedulerFixtures from './fixtures/scheduler';
import * as setupFixtures from './fixtures/setup';
import { startHarness, screenshotDir, type Harness } from './harness';
import type { MockState } from './mock-backend';
import { sandboxWorld } from './sandbox-world';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

/** The sandbox's world with the session states the Connections screen can show besides "signed in". */
function connections(): Partial<MockState> {
  const world = sandboxWorld();
  const base = world.sessions!.sessions[0]!;
  const other = (name: string, fields: Partial<SessionView>): SessionView => ({
    ...base, id: name, name, url: `https://${name}.example.com`, forThisRunOnly: false, ...fields,
  });
  world.sessions!.sessions.push(
    other('prod', {}),
    other('lab', { status: { state: 'signed_out' } }),
    other('expired', { status: { state: 'sign_in_again', reason: 'the access token expired on 2026-11-20.' }, keyring: { state: 'saved' } }),
    other('down', { status: { state: 'unreachable', code: 'unreachable', message: 'Could not reach the OSMO service: connection refused.' } }),
    other('sso', {
      status: { state: 'signed_out' },
      deviceCode: { userCode: 'WXYZ-1234', verificationUri: 'https://idp.example.com/device', verificationUriComplete: null, message: null, expiresAt: new Date(Date.now() + 600_000).toISOString() },
    }),
  );
  world.sessions!.cliLogin = { path: '/home/admin/.config/osmo/login.yaml', url: 'https://cli.example.com', user: 'alice', method: 'access_token', existingService: null };
  return world;
}

/** The sandbox's world with a failed rotation of gpu-east and sandbox-6.4's service accounts. */
function tokens(): Partial<MockState> {
  const world = sandboxWorld();
  const failed: RotationView = {
    id: 'gpu-east-1', backend: 'gpu-east', session: 'sandbox-6.0', context: 'osmo-sandbox',
    secret: 'osmo-operator/osmo-operator-token key token', newToken: 'gpu-east-token-20270126', oldToken: 'gpu-east-token',
    status: 'failed', rollingBack: false, running: false,
    steps: [
      { step: 'create_token', title: 'Create the new token', state: 'done', message: null },
      { step: 'write_secret', title: 'Write it into the secret', state: 'failed', message: 'secrets "osmo-operator-token" is forbidden' },
      { step: 'restart_operator', title: 'Restart the operator', state: 'pending', message: null },
    ],
    words: 'Failed at writing the secret: the new token exists, the secret still holds the old one.',
    failure: 'secrets "osmo-operator-token" is forbidden', canRetry: true, canRollBack: true,
    startedAt: new Date(Date.now() - 60_000).toISOString(), updatedAt: new Date(Date.now() - 50_000).toISOString(), setAside: null, now: null,
  };
  world.tokens = { ...world.tokens!, rotations: [failed], accounts: { 'sandbox-6.4': [{ id: 'admin', createdBy: 'ana', createdAt: '2026-01-05T10:00:00Z' }] } };
  return world;
}

const setupState = (): Partial<MockState> => ({ sessions: setupFixtures.sessions, setup: { steps: setupFixtures.STEPS, runs: setupFixtures.runs } });
const historyState = (): Partial<MockState> => ({ sessions: historyFixtures.sessions, history: historyFixtures.history() });
const schedulerState = (): Partial<MockState> => ({
  dashboard: schedulerFixtures.dashboard,
  scheduler: { views: { 'gpu-east': schedulerFixtures.view }, stored: { 'gpu-east': { scheduler_type: 'default', scheduler_name: '', coscheduling: false, scheduler_timeout: 30 } } },
});

async function openSetup(page: Page) {
  await page.keyboard.press('Alt+4');
  await page.getByLabel('Backend name', { exact: true }).fill('gpu-east');
  await page.getByRole('button', { name: 'Fill in the form' }).click();
  await page.getByRole('button', { name: 'Test and check' }).click();
  await page.locator('.setup-step').first().waitFor();
}

async function openDetail(page: Page, backend: string) {
  await page.keyboard.press('Alt+2');
  await page.locator('.bt-data', { hasText: backend }).first().click();
  const detail = page.getByRole('dialog', { name: 'Backend detail' });
  await detail.getByRole('region', { name: 'Config history' }).waitFor();
  return detail;
}

async function dialog(page: Page, name: string) {
  const shown = page.getByRole('dialog', { name, exact: true });
  await shown.waitFor();
  // Let the dialog's own reads land.
  await page.waitForTimeout(200);
  return shown;
}

type Scene = { name: string; state: () => Partial<MockState>; reach: (page: Page) => Promise<unknown> };

const SCREENS: Scene[] = [
  {
    name: 'connections',
    state: connections,
    reach: async (page) => {
      await page.keyboard.press('Alt+1');
      await page.getByRole('button', { name: 'Test prod' }).click();
      await page.getByRole('region', { name: 'Test of prod' }).getByRole('list', { name: 'Permissions' }).waitFor();
    },
  },
  { name: 'dashboard', state: sandboxWorld, reach: (page) => page.keyboard.press('Alt+2').then(() => page.locator('.bt-data').first().waitFor()) },
  { name: 'tokens', state: tokens, reach: (page) => page.keyboard.press('Alt+3').then(() => page.locator('.tokens-table').waitFor()) },
  { name: 'setup', state: setupState, reach: openSetup },
  {
    name: 'history',
    state: historyState,
    reach: async (page) => {
      await page.keyboard.press('Alt+5');
      await page.getByLabel('Compare from r1').check();
      await page.getByRole('button', { name: 'Compare r1 → r3' }).click();
      await page.locator('.history-changes').first().waitFor();
    },
  },
  { name: 'settings', state: () => ({}), reach: (page) => page.keyboard.press('Alt+6').then(() => page.getByRole('radio').first().waitFor()) },
];

const DIALOGS: Scene[] = [
  { name: 'command-palette', state: sandboxWorld, reach: (page) => page.keyboard.press('Control+k').then(() => dialog(page, 'Command palette')) },
  { name: 'about', state: () => ({}), reach: (page) => page.getByRole('button', { name: 'About' }).click().then(() => dialog(page, 'About')) },
  {
    name: 'backend-detail',
    state: sandboxWorld,
    reach: async (page) => {
      const detail = await openDetail(page, 'dgx-lab');
      await detail.getByRole('button', { name: 'Why is it offline?' }).click();
      await detail.getByRole('list', { name: 'Checks' }).waitFor();
    },
  },
  {
    name: 'scheduler-settings',
    state: schedulerState,
    reach: async (page) => {
      const detail = await openDetail(page, 'gpu-east');
      await detail.getByRole('button', { name: 'Scheduler settings…' }).click();
      await (await dialog(page, 'Scheduler settings of gpu-east')).getByLabel('Scheduler type').waitFor();
    },
  },
  {
    name: 'delete-backend',
    state: sandboxWorld,
    reach: async (page) => {
      const detail = await openDetail(page, 'dgx-lab');
      await detail.getByRole('button', { name: 'Delete backend…' }).click();
      await dialog(page, 'Delete backend dgx-lab');
    },
  },
  {
    name: 'add-service',
    state: connections,
    reach: async (page) => {
      await page.keyboard.press('Alt+1');
      await page.getByRole('button', { name: 'Add service' }).click();
      await dialog(page, 'Add an OSMO service');
    },
  },
  {
    name: 'sign-in',
    state: connections,
    reach: async (page) => {
      await page.keyboard.press('Alt+1');
      await page.getByRole('listitem', { name: 'OSMO service lab' }).getByRole('button', { name: 'Sign in' }).click();
      await dialog(page, 'Sign in to lab');
    },
  },
  {
    name: 'sign-out',
    state: connections,
    reach: async (page) => {
      await page.keyboard.press('Alt+1');
      await page.getByRole('listitem', { name: 'OSMO service prod' }).getByRole('button', { name: 'Sign out' }).click();
      await dialog(page, 'Sign out of prod');
    },
  },
  {
    name: 'create-token',
    state: tokens,
    reach: async (page) => {
      await page.keyboard.press('Alt+3');
      await page.getByRole('button', { name: 'Create token' }).click();
      await dialog(page, 'Create token');
    },
  },
  {
    name: 'delete-token',
    state: tokens,
    reach: async (page) => {
      await page.keyboard.press('Alt+3');
      await page.locator('tr[data-token="gpu-east-token"]').getByRole('button', { name: 'Delete' }).click();
      await dialog(page, 'Delete token');
    },
  },
  {
    name: 'rotate-token',
    state: tokens,
    reach: async (page) => {
      await page.keyboard.press('Alt+3');
      await page.locator('tr[data-token="gpu-east-token"]').getByRole('button', { name: 'Rotate gpu-east…' }).click();
      await dialog(page, 'Rotate a backend’s token');
    },
  },
  {
    name: 'setup-confirm',
    state: setupState,
    reach: async (page) => {
      await openSetup(page);
      await page.locator('.setup-step[data-step="cluster"]').getByRole('button', { name: 'Run' }).click();
      await dialog(page, 'Confirm the change');
    },
  },
  {
    name: 'history-rollback',
    state: historyState,
    reach: async (page) => {
      await page.keyboard.press('Alt+5');
      await page.getByRole('button', { name: 'Roll back all backends to r2…' }).click();
      await (await dialog(page, 'Roll back all backends to r2')).getByRole('checkbox').first().waitFor();
    },
  },
];

/** Texts written the locale's way (toLocaleString) rather than the app's. */
const localeDates = (page: Page) =>
  page.evaluate(() => document.body.innerText.match(/\b\d{1,2}\/\d{1,2}\/\d{4}\b|\b\d{1,2}:\d{2}:\d{2}\s?[AP]M\b/g) ?? []);

/** `<time>` elements without their absolute time on hover or beside them. */
const timesWithoutAbsolute = (page: Page) =>
  page.locator('time').evaluateAll((times) =>
    times
      .filter((t) => !/^\d{4}-\d\d-\d\d( \d\d:\d\d UTC| \(UTC\))$/.test(t.getAttribute('title') ?? ''))
      .map((t) => `${t.textContent} (title ${t.getAttribute('title')})`),
  );

/**
 * Tabs through up to `tabs` stops and names each whose focus ring is missing (no outline, no box
 * shadow) or cut off by an ancestor that clips its overflow.
 */
async function focusRingProblems(page: Page, tabs: number): Promise<string[]> {
  const problems = new Set<string>();
  for (let i = 0; i < tabs; i++) {
    await page.keyboard.press('Tab');
    const problem = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const name = `${el.tagName.toLowerCase()} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}"`;
      const style = getComputedStyle(el);
      const width = style.outlineStyle === 'none' ? 0 : parseFloat(style.outlineWidth);
      if (width < 2 && style.boxShadow === 'none') return `${name}: no focus ring`;
      const reach = Math.max(0, width + (parseFloat(style.outlineOffset) || 0));
      const box = el.getBoundingClientRect();
      const ring = { left: box.left - reach, right: box.right + reach, top: box.top - reach, bottom: box.bottom + reach };
      for (let a = el.parentElement; a; a = a.parentElement) {
        const s = getComputedStyle(a);
        if (s.overflowX === 'visible' && s.overflowY === 'visible' && s.contain !== 'strict' && s.contain !== 'paint') continue;
        const clip = a.getBoundingClientRect();
        // A scrolled container may hide what is scrolled away; only a ring cut at a visible edge counts.
        const cut =
          (ring.left < clip.left - 0.5 && box.left >= clip.left) ||
          (ring.right > clip.right + 0.5 && box.right <= clip.right) ||
          (ring.top < clip.top - 0.5 && box.top >= clip.top) ||
          (ring.bottom > clip.bottom + 0.5 && box.bottom <= clip.bottom);
        if (cut) return `${name}: focus ring cut by ${a.tagName.toLowerCase()}.${[...a.classList].join('.')}`;
      }
      return null;
    });
    if (problem) problems.add(problem);
  }
  return [...problems];
}

for (const theme of ['light', 'dark'] as const) {
  for (const scene of [...SCREENS, ...DIALOGS]) {
    test(`${scene.name} (${theme}): no serious or critical axe violation, focus rings whole, dates the app's way`, async () => {
      const { page, errors } = await harness.open(scene.state(), { colorScheme: theme });
      await scene.reach(page);
      await page.screenshot({ path: path.join(screenshotDir, `a11y-${scene.name}-${theme}.png`) });
      assert.deepEqual(await axeViolations(page), [], 'axe');
      assert.deepEqual(await localeDates(page), [], 'no locale-formatted date');
      assert.deepEqual(await timesWithoutAbsolute(page), [], 'every relative time has its absolute UTC time');
      assert.deepEqual(await focusRingProblems(page, 40), [], 'focus rings');
      assert.deepEqual(errors, []);
    });
  }
}
