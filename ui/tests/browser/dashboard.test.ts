// The Dashboard in a real browser with mocked IPC: 1,000 backends from two sessions, virtualized.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { BackendRowDto, DashboardView, SessionHealthDto, TokensView } from '../../src/ipc/bindings.gen';
import { mergeDashboard } from '../../src/features/dashboard/useDashboard';
import { startHarness, screenshotDir, type Harness } from './harness';
import type { MockDashboard } from './mock-backend';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

/** 500 backends in `alpha` (every 10th offline) and 500 in `beta` (stale: its last poll failed). */
function thousandBackends(now = Date.now()): MockDashboard {
  const rows: BackendRowDto[] = [];
  const make = (session: string, prefix: string, i: number): BackendRowDto => {
    const online = i % 10 !== 3;
    const n = String(i).padStart(4, '0');
    return {
      session, name: `${prefix}-${n}`, online,
      lastHeartbeat: new Date(now - (online ? 12_000 : 3 * 3600_000)).toISOString(),
      offlineSince: online ? null : new Date(now - 3 * 3600_000 + 120_000).toISOString(),
      version: i % 2 ? '6.4.0' : '6.2.1', k8sNamespace: 'osmo-workflows',
      schedulerType: 'kai', schedulerName: 'kai-scheduler', pools: [`pool-${i % 7}`],
      dashboardUrl: `https://${prefix}.example.com/d/${n}`, grafanaUrl: null, notify: true, linked: false,
      warnings: [],
    };
  };
  for (let i = 0; i < 500; i++) rows.push(make('alpha', 'a-gpu', i));
  for (let i = 0; i < 500; i++) rows.push(make('beta', 'b-node', i));
  const session = (name: string, stale: boolean): SessionHealthDto => ({
    session: name, online: 450, offline: 50, total: 500,
    updatedAt: new Date(now - (stale ? 95_000 : 3_000)).toISOString(), stale,
    error: stale ? 'GET https://beta.example.com/api/configs/backend did not answer within 15 s: check the service.' : null,
    errorCode: stale ? 'timeout' : null, consecutiveFailures: stale ? 3 : 0, polls: 12,
  });
  return {
    sessions: [session('alpha', false), session('beta', true)], rows, refreshSecs: 10, historyError: null, historyNotice: null,
    notPolled: [{ session: 'gamma', reason: 'Sign in again on Connections: the access token was revoked.' }],
    now: new Date(now).toISOString(),
  };
}

const dataRows = (page: Page) => page.locator('.bt-data');

async function openDashboard() {
  const opened = await harness.open({ dashboard: thousandBackends() });
  await opened.page.getByRole('table', { name: 'Backends' }).waitFor();
  await dataRows(opened.page).first().waitFor();
  return opened;
}

test('1,000 backends of two sessions: totals, stale marker, only a window of rows in the DOM, scroll to the last', async () => {
  const { page, errors } = await openDashboard();
  const alpha = page.getByRole('listitem', { name: 'alpha' });
  assert.match(await alpha.innerText(), /alpha\s+450 online\s+50 offline\s+500 total\s+updated just now/);
  assert.doesNotMatch(await alpha.innerText(), /stale/);
  const beta = page.getByRole('listitem', { name: 'beta' });
  assert.match(await beta.innerText(), /updated 1 min ago\s+stale/);
  assert.match(await beta.getByRole('alert').innerText(), /did not answer within 15 s/);
  assert.match(await page.getByRole('status').first().innerText(), /1000 backends/);
  assert.match(await page.getByRole('listitem', { name: 'gamma' }).innerText(), /gamma\s+not polled\s*Sign in again on Connections: the access token was revoked\./);

  const inDom = await dataRows(page).count();
  assert.ok(inDom > 5 && inDom < 80, `only a window of rows is rendered (${inDom})`);
  const first = await dataRows(page).first().innerText();
  assert.match(first, /a-gpu-0000\s+alpha\s+online\s+just now\s+6\.2\.1\s+osmo-workflows\s+kai · kai-scheduler\s+pool-0/);
  await page.screenshot({ path: path.join(screenshotDir, 'dashboard.png'), fullPage: true });

  await page.locator('.bt-body').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await page.getByRole('row', { name: /b-node-0499/ }).waitFor();
  assert.ok((await dataRows(page).count()) < 80);
  assert.equal(await page.getByRole('row', { name: /a-gpu-0000/ }).count(), 0);
  assert.deepEqual(errors, []);
});

test('filter, search and sort', async () => {
  const { page, errors } = await openDashboard();
  const count = page.locator('.dashboard-controls [role=status]');
  await page.getByText('Offline', { exact: true }).click();
  assert.equal(await count.innerText(), '100 of 1000 backends');
  const texts = await dataRows(page).allInnerTexts();
  assert.ok(texts.every((t) => /offline/.test(t) && !/\bonline\b/.test(t)), 'only offline rows');
  assert.match(texts[0], /a-gpu-0003\s+alpha\s+offline\s+3 h ago\s+2 h ago/);

  await page.getByText('All', { exact: true }).click();
  await page.getByRole('searchbox', { name: 'Search backends' }).fill('b-node-012');
  await page.waitForFunction(() => document.querySelector('.dashboard-controls [role=status]')?.textContent === '10 of 1000 backends');
  assert.equal(await dataRows(page).count(), 10);

  await page.getByRole('searchbox', { name: 'Search backends' }).fill('');
  await page.waitForFunction(() => document.querySelector('.dashboard-controls [role=status]')?.textContent === '1000 backends');
  const header = page.getByRole('columnheader', { name: /Backend/ });
  assert.equal(await header.getAttribute('aria-sort'), 'ascending');
  await header.getByRole('button').click();
  assert.equal(await header.getAttribute('aria-sort'), 'descending');
  assert.match(await dataRows(page).first().innerText(), /b-node-0499/);
  await page.getByRole('button', { name: /Status/ }).click();
  assert.match(await dataRows(page).first().innerText(), /offline/);
  assert.deepEqual(errors, []);
});

test('keyboard: arrows select, Enter opens the detail of an offline backend: uptime as observed, "Why is it offline?" lists the checks', async () => {
  const { page, errors, calls } = await openDashboard();
  await page.locator('.bt-body').focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  assert.match(await page.locator('.bt-data.selected').innerText(), /a-gpu-0003/);
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'Backend detail' });
  await dialog.getByRole('heading', { name: /a-gpu-0003/ }).waitFor();
  await dialog.getByRole('region', { name: 'Config history' }).waitFor();
  assert.match(await dialog.innerText(), /r7 ana .*Switch to KAI/);
  assert.match(await dialog.innerText(), /scheduler_settings\.scheduler_type: default → kai/);
  // Uptime over the time the app watched: 3 days of the 7 drawn, the 4 before unknown.
  const uptime = dialog.getByRole('region', { name: 'Uptime' });
  assert.match(await uptime.innerText(), /Observed for 3 days \(since .+\): online 91\.7 % of that time · last 24 h: 75\.0 %/);
  assert.doesNotMatch(await uptime.innerText(), /last 7 days/);
  const timeline = uptime.getByRole('img', { name: 'Status over the last 7 days' });
  assert.deepEqual(
    await timeline.locator('.seg').evaluateAll((segs) => segs.map((s) => `${s.className} ${Math.round(parseFloat((s as HTMLElement).style.width))}`)),
    ['seg unknown 57', 'seg up 39', 'seg down 4'],
  );
  assert.match(await timeline.locator('.seg').first().getAttribute('title') ?? '', /^unknown \(not watched\) from /);
  assert.match(await dialog.getByRole('region', { name: 'Pools' }).innerText(), /pool-3/);

  assert.equal(await dialog.getByRole('button', { name: 'Check its health' }).count(), 0, 'an offline backend is asked why');
  await dialog.getByRole('button', { name: 'Why is it offline?' }).click();
  const checks = dialog.getByRole('region', { name: 'Why is it offline' }).getByRole('list', { name: 'Checks' }).getByRole('listitem');
  await checks.first().waitFor();
  const items = await checks.allInnerTexts();
  assert.equal(items.length, 6);
  assert.match(items[0], /✓\s*OSMO service reachable pass/);
  assert.match(items[2], /✗\s*Last heartbeat fail: offline: last heartbeat 2 h ago/);
  assert.equal(await checks.nth(3).getAttribute('aria-current'), 'step');
  assert.match(items[3], /✗\s*Kubernetes context linked fail: no Kubernetes context is linked to a-gpu-0003.*\s*Next step: Link a-gpu-0003 to the Kubernetes context/);
  assert.match(items[5], /Token not expired fail: a-gpu-0003 uses token a-gpu-0003-token .*expired 3 days ago/);
  assert.ok((await calls()).some((c) => c.cmd === 'diagnose_backend' && c.args.backend.backend === 'a-gpu-0003' && c.args.backend.service === 'alpha'));
  await page.screenshot({ path: path.join(screenshotDir, 'dashboard-detail.png') });

  await dialog.getByRole('button', { name: 'Open dashboard' }).click();
  assert.ok((await calls()).some((c) => c.cmd === 'open_in_browser' && c.args.url === 'https://a-gpu.example.com/d/0003'));
  await dialog.getByRole('checkbox', { name: /Notify when/ }).uncheck();
  await page.waitForFunction(() => window.__IPC_CALLS__.some((c) => c.cmd === 'set_backend_notifications' && c.args.on === false));
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
});

async function openBackend(page: Page, name: string) {
  await page.getByRole('searchbox', { name: 'Search backends' }).fill(name);
  await page.waitForFunction(() => document.querySelector('.dashboard-controls [role=status]')?.textContent === '1 of 1000 backends');
  await dataRows(page).first().click();
  const dialog = page.getByRole('dialog', { name: 'Backend detail' });
  await dialog.getByRole('region', { name: 'Uptime' }).waitFor();
  return dialog;
}

test('"Why is it offline?" without a link: link it in place, then the expired token comes first with "Rotate now", which opens the rotate form for it', async () => {
  const tokens: TokensView = {
    session: 'alpha', dialect: '6.0/6.1', warningDays: 7, today: new Date().toISOString().slice(0, 10), useNotes: [],
    backends: ['a-gpu-0000', 'a-gpu-0003'],
    rows: [{
      owner: 'a-gpu-0003-token', name: 'a-gpu-0003-token', kind: 'service', roles: ['osmo-backend'], description: '',
      expiresOn: '2026-12-03', daysLeft: -3, badge: 'expired', words: 'expired 3 days ago', usedBy: ['a-gpu-0003'],
    }],
  };
  const opened = await harness.open({ dashboard: thousandBackends(), tokens: { views: { alpha: tokens } } });
  const { page, errors, calls } = opened;
  await dataRows(page).first().waitFor();
  const dialog = await openBackend(page, 'a-gpu-0003');
  await dialog.getByRole('button', { name: 'Why is it offline?' }).click();
  const form = dialog.getByRole('form', { name: 'Link a-gpu-0003 to a context' });
  await form.waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Rotate now' }).count(), 0, 'linking comes first');
  await form.getByRole('combobox', { name: 'Context' }).selectOption('prod');
  await form.getByRole('textbox', { name: 'Operator namespace' }).fill('gpu-ops');
  await form.getByRole('button', { name: 'Link and check again' }).click();
  const rotate = dialog.getByRole('button', { name: 'Rotate now' });
  await rotate.waitFor();
  const link = (await calls()).find((c) => c.cmd === 'link_backend');
  assert.deepEqual(link?.args, { backend: { service: 'alpha', backend: 'a-gpu-0003' }, context: 'prod', operatorNamespace: 'gpu-ops' });
  assert.equal((await calls()).filter((c) => c.cmd === 'diagnose_backend').length, 2, 'checked again after linking');
  const first = dialog.locator('ol[aria-label=Checks] [aria-current=step]');
  assert.match(await first.innerText(), /Token not expired fail: .*expired 3 days ago[\s\S]*Next step: Rotate now: create a new token for a-gpu-0003/);
  assert.match(await dialog.getByRole('region', { name: 'Cluster side' }).innerText(), /Linked to context prod, operator namespace gpu-ops/);
  await page.screenshot({ path: path.join(screenshotDir, 'dashboard-why-offline-rotate.png') });

  await rotate.click();
  const rotateDialog = page.getByRole('dialog', { name: 'Rotate a backend’s token' });
  await rotateDialog.getByText('It uses a-gpu-0003-token (a-gpu-0003-token), expired 3 days ago.').waitFor();
  assert.equal(await rotateDialog.getByRole('combobox', { name: 'Backend' }).inputValue(), 'a-gpu-0003');
  assert.equal(await rotateDialog.getByRole('textbox', { name: 'Secret namespace' }).inputValue(), 'gpu-ops');
  await rotateDialog.getByRole('button', { name: 'Cancel' }).click();
  await rotateDialog.waitFor({ state: 'hidden' });
  await page.waitForFunction(() => window.__IPC_CALLS__.filter((c) => c.cmd === 'diagnose_backend').length === 3);
  assert.ok(await dialog.isVisible(), 'the detail stays open under the rotate form');
  assert.deepEqual(errors, []);
});

test('an online backend offers a health check, healthy as far as checked, and its uptime says it was observed for 2 minutes', async () => {
  const { page, errors, calls } = await openDashboard();
  const dialog = await openBackend(page, 'a-gpu-0000');
  const uptime = dialog.getByRole('region', { name: 'Uptime' });
  assert.match(await uptime.innerText(), /Observed for 2 min \(since .+\): online 100 % of that time/);
  assert.doesNotMatch(await uptime.innerText(), /7 days|last 24 h/);
  const timeline = uptime.getByRole('img', { name: 'Status over the last 1 h' });
  assert.deepEqual(await timeline.locator('.seg').evaluateAll((segs) => segs.map((s) => s.className)), ['seg unknown', 'seg up']);
  // The online stretch is drawn, however short next to the unknown hour.
  assert.ok((await timeline.locator('.seg.up').boundingBox())!.width >= 3);
  assert.match(await uptime.innerText(), /1 h ago/);

  assert.equal(await dialog.getByRole('button', { name: 'Why is it offline?' }).count(), 0);
  await dialog.getByRole('button', { name: 'Check its health' }).click();
  const result = dialog.getByRole('region', { name: 'Health check' });
  await result.waitFor();
  assert.match(await result.innerText(), /a-gpu-0000 is healthy as far as checked/);
  assert.equal(await result.locator('[aria-current=step]').count(), 0);
  // Linking is offered, not pressed on it.
  assert.equal(await result.getByRole('form').count(), 0);
  await result.getByRole('button', { name: 'Link a context…' }).click();
  await result.getByRole('form', { name: 'Link a-gpu-0000 to a context' }).waitFor();
  assert.ok((await calls()).some((c) => c.cmd === 'diagnose_backend' && c.args.backend.backend === 'a-gpu-0000'));
  assert.deepEqual(errors, []);
});

test('a backend whose stored values were odd shows a warning marker, its row as usual, and the list in its detail', async () => {
  const view = thousandBackends();
  const odd = view.rows.find((r) => r.name === 'a-gpu-0005');
  assert.ok(odd);
  odd.warnings = [
    'scheduler_settings.scheduler_timeout (stored: -1): a negative number of seconds; shown as stored',
    'scheduler_settings.scheduler_type (stored: "fifo"): not a scheduler type this app knows; shown as stored',
  ];
  const { page, errors } = await harness.open({ dashboard: view });
  const row = page.getByRole('row', { name: /a-gpu-0005/ });
  await row.waitFor();
  const marker = row.getByRole('img', { name: /The service stored values the app did not expect:/ });
  const expected = `The service stored values the app did not expect: ${odd.warnings.join('; ')}`;
  assert.equal(await marker.getAttribute('aria-label'), expected);
  assert.equal(await marker.getAttribute('title'), expected);
  assert.match(await row.innerText(), /a-gpu-0005\s+alpha\s+online\s+just now\s+6\.4\.0\s+osmo-workflows\s+kai · kai-scheduler\s+pool-5/);
  // Only that row carries a marker.
  assert.equal(await page.locator('.bt-data .stored-warning').count(), 1);
  assert.equal(await page.getByRole('row', { name: /a-gpu-0004/ }).getByRole('img').count(), 0);
  await page.screenshot({ path: path.join(screenshotDir, 'dashboard-stored-values-row.png') });

  await row.click();
  const dialog = page.getByRole('dialog', { name: 'Backend detail' });
  const stored = dialog.getByRole('region', { name: 'Unexpected stored values' });
  await stored.waitFor();
  assert.match(await stored.innerText(), /^The service stored values the app did not expect:/);
  assert.deepEqual(await stored.getByRole('listitem').allInnerTexts(), odd.warnings);
  // The rest of the detail shows as usual.
  await dialog.getByRole('region', { name: 'Config history' }).waitFor();
  assert.match(await dialog.getByRole('region', { name: 'Pools' }).innerText(), /pool-5/);
  await page.screenshot({ path: path.join(screenshotDir, 'dashboard-stored-values.png') });
  await page.keyboard.press('Escape');

  // A backend without warnings has no such section.
  await page.getByRole('row', { name: /a-gpu-0004/ }).click();
  await dialog.getByRole('region', { name: 'Config history' }).waitFor();
  assert.equal(await dialog.getByRole('region', { name: 'Unexpected stored values' }).count(), 0);
  assert.deepEqual(errors, []);
});

test('health-updated refreshes the table and a status change shows a notification', async () => {
  const { page, errors, calls } = await openDashboard();
  const before = (await calls()).filter((c) => c.cmd === 'dashboard_snapshot').length;
  await page.evaluate(() => window.__EMIT__('health-updated', { sessions: [{ session: 'alpha', stale: false }] }));
  await page.waitForFunction((n) => window.__IPC_CALLS__.filter((c) => c.cmd === 'dashboard_snapshot').length > n, before);
  await page.evaluate(() =>
    window.__EMIT__('backend-status-changed', {
      session: 'alpha', backend: 'a-gpu-0007', online: false, message: 'Backend a-gpu-0007 (alpha) went offline',
    }),
  );
  const toasts = page.getByRole('status', { name: 'Backend notifications' });
  await toasts.waitFor();
  assert.match(await toasts.innerText(), /a-gpu-0007 \(alpha\) went offline/);
  assert.deepEqual(errors, []);
});

test('no signed-in session: the empty state points to Connections and the sandbox', async () => {
  const { page, errors } = await harness.open();
  const empty = page.getByRole('region', { name: 'No OSMO service is signed in' });
  await empty.waitFor();
  await page.getByRole('region', { name: /No OSMO service yet\? Try the sandbox/ }).waitFor();
  await empty.getByRole('button', { name: 'Go to Connections' }).click();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connections');
  assert.deepEqual(errors, []);
});

test('an uptime history that was not read from its file is told above the table', async () => {
  const historyNotice = 'The uptime history /data/health.sqlite was written by a newer version of the app (schema 2, this one reads 1).';
  const { page, errors } = await harness.open({ dashboard: { ...thousandBackends(), historyNotice } });
  await page.getByText(historyNotice).waitFor();
  assert.equal(await page.locator('p.warning', { hasText: 'newer version' }).count(), 1);
  assert.deepEqual(errors, []);
});

test('benchmark: time to first render of 1,000 rows (printed, not asserted)', async () => {
  const { page } = await openDashboard();
  // Cold: a reload, from the page's start to the first rows on screen (includes loading the app).
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('.bt-data')) {
        window.__FIRST_ROWS_AT__ = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.reload();
  await dataRows(page).first().waitFor();
  const cold = await page.evaluate(() => window.__FIRST_ROWS_AT__);
  assert.ok(cold !== undefined, 'the first rows were seen');
  // Warm: from clicking Dashboard (on another screen) to the rows painted.
  await page.keyboard.press('Alt+1');
  await page.getByRole('heading', { level: 1, name: 'Connections' }).waitFor();
  const warm = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const t0 = performance.now();
        const observer = new MutationObserver(() => {
          if (document.querySelector('.bt-data')) {
            observer.disconnect();
            requestAnimationFrame(() => resolve(performance.now() - t0));
          }
        });
        observer.observe(document, { childList: true, subtree: true });
        [...document.querySelectorAll<HTMLButtonElement>('nav button')].find((b) => b.textContent?.startsWith('Dashboard'))?.click();
      }),
  );
  console.log(
    `dashboard render, 1,000 backends: ${cold.toFixed(0)} ms from page start to first rows (cold, incl. app load and IPC); ${warm.toFixed(0)} ms from navigating to the rows painted`,
  );
});

test('a poll of 1,000 changed rows sizes the columns again without measuring every text again', async () => {
  const { page, errors } = await harness.open(
    { dashboard: thousandBackends() },
    {
      // Counts the canvas measurements the column layout makes.
      beforeLoad: async (p) => {
        await p.addInitScript(() => {
          const measure = CanvasRenderingContext2D.prototype.measureText;
          window.__MEASURED__ = 0;
          CanvasRenderingContext2D.prototype.measureText = function (text: string) {
            window.__MEASURED__ = (window.__MEASURED__ ?? 0) + 1;
            return measure.call(this, text);
          };
        });
      },
    },
  );
  await dataRows(page).first().waitFor();
  const first = await page.evaluate(() => window.__MEASURED__ ?? 0);
  assert.ok(first > 1000, `the first layout measures the rows' texts (${first})`);
  const again = await page.evaluate(async () => {
    // The core's next poll: every heartbeat moved, as when every backend heartbeats.
    const view = JSON.parse(JSON.stringify(window.__IPC_STATE__.dashboard)) as MockDashboard;
    view.rows.forEach((r) => {
      r.lastHeartbeat = new Date(Date.parse(r.lastHeartbeat ?? '') + 5_000).toISOString();
    });
    window.__IPC_STATE__.dashboard = view;
    const reads = () => window.__IPC_CALLS__.filter((c) => c.cmd === 'dashboard_snapshot').length;
    const before = { reads: reads(), measured: window.__MEASURED__ ?? 0 };
    window.__EMIT__('health-updated', { sessions: [{ session: 'alpha', stale: false }] });
    while (reads() === before.reads) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return (window.__MEASURED__ ?? 0) - before.measured;
  });
  assert.ok(again < 100, `a poll that changed only heartbeats measured ${again} texts again (the first layout: ${first})`);
  assert.deepEqual(errors, []);
});

test('a poll that changed one session reads only its rows again; the other keeps the rows it had', async () => {
  const { page, errors, calls } = await openDashboard();
  const status = page.locator('.dashboard-controls [role=status]');
  await page.evaluate(async () => {
    const row = window.__IPC_STATE__.dashboard?.rows.find((r) => r.name === 'b-node-0000');
    if (!row) throw new Error('no row b-node-0000');
    row.online = false;
    row.offlineSince = new Date().toISOString();
    window.__EMIT__('health-updated', { sessions: [{ session: 'beta', stale: false }] });
  });
  await page.getByRole('searchbox').fill('b-node-0000');
  const row = page.locator('#backend-beta-b-node-0000');
  await row.getByText('offline', { exact: true }).waitFor();
  const reads = (await calls()).filter((c) => c.cmd === 'dashboard_snapshot');
  const last = reads.at(-1)?.args as { known?: { session: string; tag: string }[] } | undefined;
  assert.deepEqual(last?.known?.map((k) => k.session), ['alpha', 'beta'], 'the read named the rows the page had');
  // alpha's rows came from the page's own copy (the core sent none): all still there.
  await page.getByRole('searchbox').fill('a-gpu-');
  await page.waitForFunction(() => document.querySelector('.dashboard-controls [role=status]')?.textContent === '500 of 1000 backends');
  assert.equal(await status.textContent(), '500 of 1000 backends');
  assert.deepEqual(errors, []);
});

test('a poll that moved only heartbeats gets them alone, and the rows show them', async () => {
  const { page, errors, calls } = await openDashboard();
  const row = page.locator('#backend-alpha-a-gpu-0000');
  await row.getByText('just now').waitFor();
  await page.evaluate(() => {
    const moved = window.__IPC_STATE__.dashboard?.rows.find((r) => r.name === 'a-gpu-0000');
    if (!moved) throw new Error('no row a-gpu-0000');
    // Still online (a heartbeat within 2 minutes): only the heartbeat moved.
    moved.lastHeartbeat = new Date(Date.now() - 90_000).toISOString();
    window.__EMIT__('health-updated', { sessions: [{ session: 'alpha', stale: false }] });
  });
  await row.getByText('1 min ago').waitFor();
  const reads = (await calls()).filter((c) => c.cmd === 'dashboard_snapshot');
  const known = (reads.at(-1)?.args as { known?: { session: string; tag: string; beats: string }[] }).known;
  assert.deepEqual(known?.map((k) => [k.session, k.tag !== '', k.beats !== '']), [['alpha', true, true], ['beta', true, true]], 'the read named the rows and heartbeats the page had');
  // The other rows are as they were.
  assert.match(await dataRows(page).nth(1).innerText(), /just now/);
  assert.deepEqual(errors, []);
});

test('sorted by last heartbeat, a poll that moved only heartbeats puts the longest silent backend first', async () => {
  const { page, errors } = await openDashboard();
  await page.getByRole('button', { name: /Last heartbeat/ }).click();
  // Oldest first: the offline backends, heard from 3 h ago, then the others.
  assert.match(await dataRows(page).first().innerText(), /a-gpu-0003/);
  await page.evaluate(() => {
    for (const r of window.__IPC_STATE__.dashboard?.rows ?? []) {
      // Still online, but silent the longest of all: only its heartbeat moved.
      if (r.name === 'b-node-0250') r.lastHeartbeat = new Date(Date.now() - 5 * 3600_000).toISOString();
    }
    window.__EMIT__('health-updated', { sessions: [{ session: 'beta', stale: false }] });
  });
  await page.waitForFunction(() => document.querySelector('.bt-data')?.textContent?.includes('b-node-0250'));
  assert.match(await dataRows(page).first().innerText(), /b-node-0250\s+beta\s+online\s+5 h ago/);
  assert.deepEqual(errors, []);
});

/** One session's view as the core sends it, its rows in full (`rows`) or only their heartbeats. */
function sentView(sessions: { session: string; tag: string; beats: string; rows?: BackendRowDto[]; heartbeats?: (string | null)[] }[]): DashboardView {
  return {
    sessions: [], notPolled: [], refreshSecs: 10, historyError: null, historyNotice: null, now: new Date().toISOString(),
    sessionRows: sessions.map((s) => ({ session: s.session, tag: s.tag, beats: s.beats, rows: s.rows ?? null, heartbeats: s.heartbeats ?? null })),
  };
}

test('a read that moved only heartbeats keeps every row, the same objects in the same arrays, and only the heartbeats follow', () => {
  const rows = thousandBackends().rows;
  const alpha = rows.filter((r) => r.session === 'alpha');
  const beta = rows.filter((r) => r.session === 'beta');
  const first = mergeDashboard(undefined, sentView([
    { session: 'alpha', tag: 'a1', beats: 'b1', rows: alpha },
    { session: 'beta', tag: 'a2', beats: 'b2', rows: beta },
  ]));
  assert.equal(first.rows.length, 1000);
  assert.ok(first.rows.every((r) => !('lastHeartbeat' in r)), 'the rows hold no heartbeat');
  assert.equal(first.heartbeats.get(first.rows[0]!), alpha[0]?.lastHeartbeat);

  const moved = alpha.map((r, i) => (i === 7 ? '2026-12-07T10:00:00.000Z' : r.lastHeartbeat));
  const second = mergeDashboard(first, sentView([
    { session: 'alpha', tag: 'a1', beats: 'b3', heartbeats: moved },
    { session: 'beta', tag: 'a2', beats: 'b2' },
  ]));
  assert.equal(second.rows, first.rows, 'the same list of rows');
  assert.equal(second.heartbeats.get(first.rows[7]!), '2026-12-07T10:00:00.000Z');
  assert.equal(second.heartbeats.get(first.rows[8]!), alpha[8]?.lastHeartbeat);
  assert.equal(second.sessionRows[0]?.beats, 'b3', 'the next read names the new heartbeats');
  assert.equal(second.sessionRows[1], first.sessionRows[1]);

  // The rows sent in full again (their tag unknown), only a heartbeat different: the same objects.
  const resent = alpha.map((r, i) => (i === 9 ? { ...r, lastHeartbeat: '2026-12-07T11:00:00.000Z' } : { ...r }));
  const third = mergeDashboard(second, sentView([
    { session: 'alpha', tag: 'a1', beats: 'b4', rows: resent },
    { session: 'beta', tag: 'a2', beats: 'b2' },
  ]));
  assert.equal(third.rows, first.rows, 'rows equal to those held are kept');
  assert.equal(third.heartbeats.get(first.rows[9]!), '2026-12-07T11:00:00.000Z');

  // Nothing moved: the very same dashboard.
  const fourth = mergeDashboard(third, sentView([
    { session: 'alpha', tag: 'a1', beats: 'b4' },
    { session: 'beta', tag: 'a2', beats: 'b2' },
  ]));
  assert.equal(fourth, third);
});
