// The History screen in a real browser with mocked IPC: the revisions newest first, comparing two
// (added / removed / changed with fields), tags added and removed from the answer, the whole-type
// rollback behind a preview and a confirmation naming what it deletes and rewrites, a conflict that
// reads the preview again, and a preview with nothing to change.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHarness, screenshotDir, type Harness } from './harness';
import { history, LONG, LONG_TAG, R3, sessions } from './fixtures/history';
import type { HistoryMock } from './mocks/history';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

async function openHistory(extra: Partial<HistoryMock> = {}) {
  const opened = await harness.open({ sessions, history: history(extra) });
  await opened.page.setViewportSize({ width: 1024, height: 700 });
  await opened.page.keyboard.press('Alt+5');
  await opened.page.locator('.history-table').waitFor();
  return opened;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

test('the revisions newest first, and comparing two lists the added, removed and changed backends with their fields', async () => {
  const { page, calls, errors } = await openHistory();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'History');
  const rows = page.locator('.history-table tbody tr');
  assert.deepEqual(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-revision'))), ['3', '2', '1']);
  const row = async (n: number) => squash(await page.locator(`tr[data-revision="${n}"]`).innerText());
  assert.match(await row(3), new RegExp(`^r3 current Backends gpu-new and ${LONG} registered new clusters ana · 7 h ago \\+ tag$`));
  assert.match(await row(2), /^r2 Scheduler of gpu-east try volcano bo · 8 h ago \+ tag Roll back all backends to r2…$/);
  assert.deepEqual(await page.locator('tr[data-revision="1"] .history-tag').evaluateAll((t) => t.map((e) => e.getAttribute('data-tag'))), ['v1', LONG_TAG]);
  assert.equal(await page.locator('tr[data-revision="3"] .history-rollback').count(), 0, 'no rollback to the current revision');

  // By default the newest two; pick r1 → r3.
  await page.getByLabel('Compare from r1').check();
  await page.getByRole('button', { name: 'Compare r1 → r3' }).click();
  const comparison = page.getByRole('region', { name: 'Comparison' });
  await comparison.locator('[data-change]').first().waitFor();
  const group = async (change: string) => squash(await comparison.locator(`[data-change="${change}"]`).innerText());
  assert.match(await group('removed'), /^Removed \(only in r1\) \(1\) gpu-old Field r1 r3 scheduler_type kai \(none\)$/);
  assert.match(await group('added'), new RegExp(`^Added \\(only in r3\\) \\(2\\) gpu-new .* ${LONG} Field r1 r3 scheduler_type \\(none\\) kai$`));
  assert.match(await group('changed'), /^Changed \(2\) gpu-east Field r1 r3 scheduler_type kai volcano cpu-batch Field r1 r3 scheduler_timeout \(none\) 60$/);
  const diff = (await calls()).filter((c) => c.cmd === 'config_diff');
  assert.deepEqual(diff.map((c) => c.args), [{ service: 'prod', kind: 'backend', first: 1, second: 3 }]);

  // At 1024×700 nothing scrolls sideways and long names stay whole.
  const overflow = await page.evaluate(() => {
    const main = document.getElementById('main');
    return main ? main.scrollWidth - main.clientWidth : -1;
  });
  assert.equal(overflow, 0, 'the screen scrolls sideways');
  const long = comparison.locator(`[data-name="${LONG}"] .history-name`).first();
  assert.equal(await long.evaluate((e) => getComputedStyle(e).whiteSpace), 'nowrap');
  await page.screenshot({ path: path.join(screenshotDir, 'history-compare.png'), fullPage: true });
  assert.deepEqual(errors, []);
});

test('a tag is added to a revision and removed from another, the list re-read from each answer', async () => {
  const { page, calls, errors } = await openHistory();
  await page.getByRole('button', { name: 'Add a tag to r2' }).click();
  await page.getByLabel('New tag for r2').fill(' known-good ');
  await page.getByLabel('New tag for r2').press('Enter');
  await page.locator('tr[data-revision="2"] [data-tag="known-good"]').waitFor();
  assert.equal(await page.getByLabel('New tag for r2').count(), 0, 'the form closes');

  await page.getByRole('button', { name: 'Remove tag v1 from r1' }).click();
  await page.locator('tr[data-revision="1"] [data-tag="v1"]').waitFor({ state: 'detached' });
  assert.deepEqual(await page.locator('tr[data-revision="1"] .history-tag').evaluateAll((t) => t.map((e) => e.getAttribute('data-tag'))), [LONG_TAG]);

  const all = await calls();
  assert.deepEqual(all.filter((c) => c.cmd === 'tag_revision').map((c) => c.args), [
    { service: 'prod', kind: 'backend', revision: 2, set: ['known-good'], remove: [] },
    { service: 'prod', kind: 'backend', revision: 1, set: [], remove: ['v1'] },
  ]);
  assert.equal(all.filter((c) => c.cmd === 'config_history').length, 1, 'the answers are shown, not a new read');
  assert.deepEqual(errors, []);
});

test('a rollback previews every backend it deletes, re-creates and rewrites, and sends the preview it confirmed', async () => {
  const { page, calls, errors } = await openHistory();
  await page.getByRole('button', { name: 'Roll back all backends to r1…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back all backends to r1' });
  await dialog.locator('[data-change]').first().waitFor();
  assert.match(squash(await dialog.innerText()), /global for backends/);
  assert.match(squash(await dialog.innerText()), /Scheduler settings… in that backend’s detail/);
  const group = async (change: string) => squash(await dialog.locator(`[data-change="${change}"]`).innerText());
  assert.match(await group('removed'), new RegExp(`^Will be deleted \\(2\\) gpu-new 1 field ${LONG} 1 field$`));
  assert.match(await group('added'), /^Will be \(re-\)created \(1\) gpu-old 1 field$/);
  assert.match(await group('changed'), /^Will be rewritten \(2\) gpu-east 1 field cpu-batch 1 field$/);
  // Fields are folded under each name.
  assert.equal(await dialog.locator('[data-name="gpu-east"] table').isVisible(), false);
  await dialog.locator('[data-name="gpu-east"] summary').click();
  assert.match(squash(await dialog.locator('[data-name="gpu-east"] table').innerText()), /Field Now \(r3\) After \(r1\) scheduler_type volcano kai/);

  const go = dialog.getByRole('button', { name: 'Roll back backends to r1' });
  assert.equal(await go.isDisabled(), true, 'not before the confirmation');
  await dialog.getByLabel(`Delete gpu-new and ${LONG}, re-create gpu-old, rewrite gpu-east and cpu-batch`, { exact: true }).check();
  const longName = dialog.locator('.history-confirm .history-nowrap', { hasText: LONG });
  assert.equal(await longName.evaluate((e) => getComputedStyle(e).whiteSpace), 'nowrap', 'a long name in the confirmation stays on one line');
  await dialog.getByLabel('Description (optional, recorded in the history)').fill('undo the new clusters');
  await page.screenshot({ path: path.join(screenshotDir, 'history-rollback.png') });
  await go.click();
  await dialog.waitFor({ state: 'detached' });

  const sent = (await calls()).filter((c) => c.cmd === 'roll_back_config').map((c) => c.args);
  assert.deepEqual(sent, [
    {
      service: 'prod',
      description: 'undo the new clusters',
      confirmed: {
        kind: 'backend', revision: 1, current: 3,
        changes: [
          { name: 'gpu-east', change: 'changed', fields: [{ field: 'scheduler_type', before: 'volcano', after: 'kai' }] },
          { name: 'cpu-batch', change: 'changed', fields: [{ field: 'scheduler_timeout', before: '60', after: null }] },
          { name: 'gpu-new', change: 'removed', fields: [{ field: 'scheduler_type', before: 'kai', after: null }] },
          { name: LONG, change: 'removed', fields: [{ field: 'scheduler_type', before: 'kai', after: null }] },
          { name: 'gpu-old', change: 'added', fields: [{ field: 'scheduler_type', before: null, after: 'kai' }] },
        ],
      },
    },
  ]);
  // The re-read history: a new current revision for the rollback.
  assert.match(squash(await page.locator('tr[data-revision="4"]').innerText()), /^r4 current Several backends, or a rollback undo the new clusters ana/);
  assert.match(await page.locator('.history-done').innerText(), /All backends of prod were rolled back to r1, recorded as r4\./);
  assert.deepEqual(errors, []);
});

test('a conflict reads the preview again, says it changed, and asks for a new confirmation', async () => {
  const theyChange: HistoryMock['theyChange'] = {
    kind: 'backend', about: 'Backend gpu-surprise registered', config: { ...R3, 'gpu-surprise': { scheduler_type: 'kai' } },
  };
  const { page, calls, errors } = await openHistory({ theyChange });
  await page.getByRole('button', { name: 'Roll back all backends to r2…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back all backends to r2' });
  const first = `Delete gpu-new and ${LONG}, re-create gpu-old, rewrite cpu-batch`;
  await dialog.getByLabel(first).check();
  await dialog.getByRole('button', { name: 'Roll back backends to r2' }).click();

  const again = `Delete gpu-new, ${LONG} and gpu-surprise, re-create gpu-old, rewrite cpu-batch`;
  await dialog.getByLabel(again).waitFor();
  assert.equal(await dialog.locator('[data-code="conflict"]').count(), 1, 'the conflict is shown');
  assert.match(squash(await dialog.innerText()), /The backends changed since the preview was read\. The preview below is new: check it and confirm again\./);
  assert.equal(await dialog.getByLabel(again).isChecked(), false, 'the new preview needs a new confirmation');
  assert.equal(await dialog.getByRole('button', { name: 'Roll back backends to r2' }).isDisabled(), true);
  assert.equal((await calls()).filter((c) => c.cmd === 'rollback_preview').length, 2, 'the preview was read again');

  await dialog.getByLabel(again).check();
  await dialog.getByRole('button', { name: 'Roll back backends to r2' }).click();
  await dialog.waitFor({ state: 'detached' });
  const sent = (await calls()).filter((c) => c.cmd === 'roll_back_config').map((c) => c.args.confirmed);
  assert.equal(sent.length, 2);
  assert.equal(sent[0]?.current, 3);
  assert.equal(sent[1]?.current, 4);
  assert.ok(sent[1]?.changes.some((c) => c.name === 'gpu-surprise' && c.change === 'removed'));
  assert.match(squash(await page.locator('tr[data-revision="5"]').innerText()), /^r5 current Several backends, or a rollback/);
  assert.deepEqual(errors, []);
});

test('a preview with nothing to change says so and offers no rollback (pools)', async () => {
  const { page, calls, errors } = await openHistory();
  await page.getByRole('group', { name: 'Config type' }).getByRole('button', { name: 'Pools' }).click();
  await page.locator('.history-table[aria-label="Pools revisions"]').waitFor();
  await page.getByRole('button', { name: 'Roll back all pools to r1…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Roll back all pools to r1' });
  await dialog.getByText('Nothing would change: the pools are already as in r1.').waitFor();
  assert.match(squash(await dialog.innerText()), /global for pools/);
  assert.equal(await dialog.getByRole('button', { name: /^Roll back/ }).count(), 0);
  assert.equal(await dialog.getByRole('checkbox').count(), 0);
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  const all = await calls();
  assert.deepEqual(all.filter((c) => c.cmd === 'rollback_preview').map((c) => c.args), [{ service: 'prod', kind: 'pool', revision: 1 }]);
  assert.equal(all.filter((c) => c.cmd === 'roll_back_config').length, 0);
  assert.deepEqual(errors, []);
});

test('without a signed-in service, or without revisions, the screen says so in plain words', async () => {
  const none = await harness.open({ history: history() });
  await none.page.keyboard.press('Alt+5');
  await none.page.getByText('No signed-in OSMO service: add one and sign in on the Connections screen').waitFor();

  const empty = await harness.open({ sessions, history: { services: { prod: { backend: [], pool: [] } } } });
  await empty.page.keyboard.press('Alt+5');
  await empty.page.getByText('prod has no recorded changes of its backends yet.').waitFor();
  assert.deepEqual([...none.errors, ...empty.errors], []);
});
