// The tables at 1024x700 with the sandbox's world (two services with the same four backend names):
// every header whole, no empty column, every session whole so that sandbox-6.0's rows are told from
// sandbox-6.4's, the Scheduler and Pools values whole (on two lines, broken between words, when the
// room asks), and nothing pushed out of view sideways. Screenshots: dashboard-1024.png,
// dashboard-1024-pools.png, tokens-1024.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startHarness, screenshotDir, type Harness } from './harness';
import { sandboxWorld } from './sandbox-world';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

async function open1024(screen: 'Alt+2' | 'Alt+3', state = sandboxWorld()) {
  const opened = await harness.open(state);
  await opened.page.setViewportSize({ width: 1024, height: 700 });
  await opened.page.keyboard.press(screen);
  return opened;
}

/** The texts of the elements that are cut (their content wider than their box). */
const cut = (elements: Locator) =>
  elements.evaluateAll((els) => els.filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.textContent ?? ''));

const scrollsSideways = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => el.scrollWidth > el.clientWidth + 1);

test('backends at 1024x700: headers whole, sessions whole and told apart, no empty column, nothing out of view', async () => {
  const { page, errors } = await open1024('Alt+2');
  const table = page.getByRole('table', { name: 'Backends' });
  await page.locator('.bt-data').first().waitFor();
  await page.screenshot({ path: path.join(screenshotDir, 'dashboard-1024.png') });

  const headers = await table.getByRole('columnheader').allInnerTexts();
  assert.deepEqual(
    headers.map((h) => h.replace(/[▲▼]/g, '').trim()),
    ['Backend', 'Session', 'Status', 'Last heartbeat', 'Offline since', 'Version', 'Namespace', 'Scheduler', 'Pools'],
  );
  assert.deepEqual(await cut(table.getByRole('columnheader')), [], 'no header is clipped');
  assert.equal(await scrollsSideways(page, '.backend-table'), false, 'every column is in view');

  const sessions = page.locator('.bt-data .bt-session');
  assert.deepEqual(await cut(sessions), [], 'no session is cut');
  const pairs = await page.locator('.bt-data').evaluateAll((rows) =>
    rows.map((r) => `${r.querySelector('.bt-name')?.textContent} @ ${r.querySelector('.bt-session')?.textContent}`),
  );
  assert.equal(pairs.length, 8);
  assert.equal(new Set(pairs).size, 8, `every row is told apart: ${pairs.join(', ')}`);
  assert.ok(pairs.includes('gpu-east @ sandbox-6.0') && pairs.includes('gpu-east @ sandbox-6.4'));
  // What is cut has its whole value on hover.
  for (const cell of await page.locator('.bt-data .bt-cell').all()) {
    if ((await cut(cell)).length > 0) assert.ok(await cell.getAttribute('title'), `${await cell.innerText()} has a title`);
  }
  assert.deepEqual(errors, []);
});

test('scheduler and pools at 1024x700: every value whole, on at most two lines broken between words, never cut', async () => {
  const world = sandboxWorld();
  const dashboard = world.dashboard!;
  // Three pools on gpu-east in both services; the 6.0 service's default-scheduler and the 6.4 one's kai-scheduler.
  dashboard.rows = dashboard.rows.map((r) => (r.name === 'gpu-east' ? { ...r, pools: ['training', 'inference', 'batch'] } : r));
  const { page, errors } = await open1024('Alt+2', world);
  const table = page.getByRole('table', { name: 'Backends' });
  await page.locator('.bt-data').first().waitFor();
  await page.screenshot({ path: path.join(screenshotDir, 'dashboard-1024-pools.png') });

  const cells = await page.locator('.bt-data .bt-scheduler, .bt-data .bt-pools').evaluateAll((els) =>
    els.map((el) => {
      const box = el.getBoundingClientRect();
      const words = [...el.querySelectorAll('.bt-word')].map((w) => ({
        rects: w.getClientRects().length,
        top: Math.round(w.getBoundingClientRect().top),
        inside: w.getBoundingClientRect().right <= box.right + 0.5 && w.getBoundingClientRect().bottom <= box.bottom + 0.5,
      }));
      return {
        text: el.textContent ?? '',
        title: el.getAttribute('title'),
        widthCut: el.scrollWidth > el.clientWidth,
        heightCut: el.scrollHeight > el.clientHeight,
        ellipsis: getComputedStyle(el).textOverflow === 'ellipsis',
        words,
        lines: new Set(words.map((w) => w.top)).size,
      };
    }),
  );
  assert.equal(cells.length, 16, 'a Scheduler and a Pools cell in each of the 8 rows');
  for (const cell of cells) {
    assert.equal(cell.text, cell.title, `${cell.text} shows its whole value`);
    assert.equal(cell.widthCut, false, `${cell.text} is not cut sideways`);
    assert.equal(cell.heightCut, false, `${cell.text} is not cut below`);
    assert.equal(cell.ellipsis, false, `${cell.text} has no ellipsis`);
    assert.ok(cell.lines <= 2, `${cell.text} takes ${cell.lines} lines`);
    assert.ok(cell.words.every((w) => w.rects === 1 && w.inside), `${cell.text}: no word is broken or out of its cell`);
  }
  const texts = cells.map((c) => c.text);
  assert.ok(texts.includes('training, inference, batch'), texts.join(' | '));
  assert.ok(texts.includes('default · default-scheduler') && texts.includes('kai · kai-scheduler'), texts.join(' | '));

  // Headers whole, every column in view, and the two services' gpu-east told apart.
  assert.deepEqual(await cut(table.getByRole('columnheader')), [], 'no header is clipped');
  assert.equal(await scrollsSideways(page, '.backend-table'), false, 'every column is in view');
  assert.deepEqual(await cut(page.locator('.bt-data .bt-session')), [], 'no session is cut');
  const eastSessions = await page.locator('.bt-data').filter({ hasText: 'training, inference, batch' }).locator('.bt-session').allInnerTexts();
  assert.deepEqual(eastSessions.sort(), ['sandbox-6.0', 'sandbox-6.4']);
  assert.deepEqual(errors, []);
});

test('a column no backend has a value for is left out, and the others share its room', async () => {
  const world = sandboxWorld();
  const dashboard = world.dashboard!;
  dashboard.rows = dashboard.rows.map((r) => ({ ...r, online: true, offlineSince: null }));
  const { page, errors } = await open1024('Alt+2', world);
  await page.locator('.bt-data').first().waitFor();
  const headers = await page.getByRole('columnheader').allInnerTexts();
  assert.ok(!headers.some((h) => h.includes('Offline since')), `no Offline since column: ${headers.join(', ')}`);
  assert.deepEqual(await cut(page.getByRole('columnheader')), [], 'no header is clipped');
  await page.screenshot({ path: path.join(screenshotDir, 'dashboard-1024-all-online.png') });
  assert.deepEqual(errors, []);
});

test('tokens at 1024x700: every column in view, Used by whole with its Rotate button', async () => {
  const { page, errors } = await open1024('Alt+3');
  await page.locator('.tokens-table tbody tr').first().waitFor();
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-1024.png') });
  assert.equal(await scrollsSideways(page, '.tokens-table-scroll'), false, 'the table fits');
  assert.deepEqual(await cut(page.locator('.tokens-table th, .tokens-table td')), []);
  const row = page.locator('tr[data-token="gpu-east-token"]');
  const usedBy = row.locator('.token-used-by');
  assert.equal(await usedBy.locator('.token-word').innerText(), 'gpu-east');
  assert.ok(await usedBy.getByRole('button', { name: 'Rotate gpu-east…' }).isVisible(), 'its Rotate button is shown');
  const box = await usedBy.boundingBox();
  assert.ok(box && box.x + box.width <= 1024, `Used by is inside the window: ${JSON.stringify(box)}`);
  assert.deepEqual(errors, []);
});
