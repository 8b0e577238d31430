// The scheduler editor (opened from a backend's detail on the Dashboard), in a real browser with
// mocked IPC: the 6.0 form with the cluster's schedulers, a field the app refuses, the KAI preset,
// the diff and a required description, saving, undo from the history, a conflict and a 403.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startHarness, screenshotDir, type Harness } from './harness';
import { dashboard, view } from './fixtures/scheduler';
import type { SchedulerMock } from './mocks/scheduler';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

async function openEditor(scheduler: Partial<SchedulerMock> = {}) {
  const opened = await harness.open({
    dashboard,
    scheduler: { views: { 'gpu-east': view }, stored: { 'gpu-east': { scheduler_type: 'default', scheduler_name: '', coscheduling: false, scheduler_timeout: 30 } }, ...scheduler },
  });
  const { page } = opened;
  await page.locator('.bt-data').first().click();
  const detail = page.getByRole('dialog', { name: 'Backend detail' });
  await detail.getByRole('button', { name: 'Scheduler settings…' }).click();
  const editor = page.getByRole('dialog', { name: 'Scheduler settings of gpu-east' });
  await editor.getByLabel('Scheduler type').waitFor();
  return { ...opened, editor };
}

test('Escape closes only the top dialog: the editor, then the backend detail under it', async () => {
  const { page, editor, errors } = await openEditor();
  const detail = page.getByRole('dialog', { name: 'Backend detail' });
  await page.keyboard.press('Escape');
  await editor.waitFor({ state: 'hidden' });
  assert.ok(await detail.isVisible(), 'the backend detail under the editor stays open');
  await detail.getByRole('button', { name: 'Scheduler settings…' }).waitFor();
  await page.keyboard.press('Escape');
  await detail.waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
});

test('the form refuses a bad timeout, takes the KAI preset, shows the diff and saves with a description', async () => {
  const { page, editor, errors, calls } = await openEditor();
  assert.match(await editor.innerText(), /OSMO 6\.0\/6\.1 · cluster context prod-cluster/);
  assert.equal(await editor.getByLabel('Coscheduling').isChecked(), false);
  const options = await editor.getByLabel('Scheduler type').locator('option').allInnerTexts();
  assert.deepEqual(options, ['default (in the cluster)', 'scheduler-plugins (not found in the cluster)', 'volcano (in the cluster)', 'kai (not found in the cluster)']);

  await editor.getByLabel('Scheduler timeout (s)').fill('1.5');
  await editor.getByRole('button', { name: 'Review the change' }).click();
  assert.match(await editor.getByRole('alert').first().innerText(), /must be a whole number of seconds, got "1\.5"/);

  await editor.getByRole('button', { name: 'Use the guide’s KAI settings' }).click();
  assert.equal(await editor.getByLabel('Scheduler type').inputValue(), 'kai');
  assert.match(await editor.getByRole('status').first().innerText(), /does not seem to have the kai scheduler/);
  await editor.getByRole('button', { name: 'Review the change' }).click();
  const diff = editor.getByRole('table', { name: 'Changes to save' });
  await diff.waitFor();
  const lines = await diff.locator('tbody tr').allInnerTexts();
  assert.deepEqual(lines.map((l) => l.replace(/\s+/g, ' ').trim()), [
    'scheduler_type default kai', 'scheduler_name (none) kai-scheduler', 'coscheduling false true',
  ]);
  assert.match(await editor.innerText(), /Only workflows submitted after saving use the new settings/);
  const save = editor.getByRole('button', { name: 'Save to gpu-east' });
  assert.equal(await save.isDisabled(), true, 'a description is required');
  await editor.getByLabel(/Why/).fill('KAI as in the deployment guide');
  await save.click();
  await editor.getByText(/Saved\. gpu-east now has: type kai, name kai-scheduler, coscheduling on, timeout 30 s\./).waitFor();
  await page.screenshot({ path: path.join(screenshotDir, 'scheduler-saved.png') });
  const sent = (await calls()).find((c) => c.cmd === 'save_scheduler');
  assert.equal(sent?.args.description, 'KAI as in the deployment guide');
  assert.equal(sent?.args.form.schedulerType, 'kai');
  assert.deepEqual(errors, []);
});

test('after a save the form is the saved state: nothing left to save, and a second change saves without a false conflict', async () => {
  const { editor, calls } = await openEditor();
  await editor.getByRole('button', { name: 'Use the guide’s KAI settings' }).click();
  await editor.getByRole('button', { name: 'Review the change' }).click();
  await editor.getByLabel(/Why/).fill('KAI');
  await editor.getByRole('button', { name: 'Save to gpu-east' }).click();
  await editor.getByText(/Saved\. gpu-east now has: type kai/).waitFor();
  // The form reloaded as what is stored: no Save form, no diff of what is already saved.
  await editor.getByRole('button', { name: 'Save to gpu-east' }).waitFor({ state: 'detached' });
  assert.equal(await editor.getByRole('table', { name: 'Changes to save' }).count(), 0);
  assert.equal(await editor.getByLabel('Scheduler type').inputValue(), 'kai');
  assert.equal((await calls()).filter((c) => c.cmd === 'load_scheduler').length, 2, 'the history and form were read again');
  assert.equal(await editor.getByRole('button', { name: 'Review the change' }).isDisabled(), true, 'nothing left to review');

  await editor.getByLabel('Scheduler timeout (s)').fill('45');
  assert.equal(await editor.getByText(/^Saved\./).count(), 0, 'the old note goes with an edit');
  await editor.getByRole('button', { name: 'Review the change' }).click();
  await editor.getByLabel(/Why/).fill('longer wait');
  await editor.getByRole('button', { name: 'Save to gpu-east' }).click();
  await editor.getByText(/Saved\. gpu-east now has: type kai, name kai-scheduler, coscheduling on, timeout 45 s\./).waitFor();
  assert.equal(await editor.locator('[data-code=conflict]').count(), 0);
});

test('nothing changed sends nothing; undo prepares the form with earlier settings', async () => {
  const { editor, calls } = await openEditor();
  // The form as loaded: nothing to review. Changed and changed back, the same.
  const review = editor.getByRole('button', { name: 'Review the change' });
  assert.equal(await review.isDisabled(), true);
  await editor.getByLabel('Scheduler timeout (s)').fill('31');
  assert.equal(await review.isDisabled(), false);
  await editor.getByLabel('Scheduler timeout (s)').fill('30');
  assert.equal(await review.isDisabled(), true);
  assert.equal((await calls()).filter((c) => c.cmd === 'save_scheduler' || c.cmd === 'preview_scheduler').length, 0);

  const history = editor.getByRole('region', { name: 'Earlier settings' });
  assert.match(await history.innerText(), /#9 by ana .*Back to default.*\(current\)/);
  assert.match(
    await history.innerText(),
    /#4 by ben[^]*restoring it would change type default → volcano, name \(none\) → volcano, coscheduling false → true, timeout 30 → 60/,
  );
  await history.getByRole('button', { name: 'Use these settings' }).click();
  assert.equal(await editor.getByLabel('Scheduler type').inputValue(), 'volcano');
  assert.equal(await editor.getByLabel('Scheduler timeout (s)').inputValue(), '60');
});

test('someone else’s change is shown as a conflict, and a 403 says which role is needed', async () => {
  const { editor } = await openEditor({ theyChanged: { scheduler_timeout: 90 } });
  await editor.getByRole('button', { name: 'Use the guide’s KAI settings' }).click();
  await editor.getByRole('button', { name: 'Review the change' }).click();
  await editor.getByLabel(/Why/).fill('mine');
  await editor.getByRole('button', { name: 'Save to gpu-east' }).click();
  const conflict = editor.locator('.error[data-code=conflict]');
  await conflict.waitFor();
  assert.match(await conflict.innerText(), /Someone else changed these settings.*nothing was saved.*scheduler_timeout\s+30\s+90/s);

  const forbidden = await openEditor({
    saveError: { code: 'forbidden', message: 'Your account may not change the settings of backend gpu-east (the service answered 403). Ask an OSMO administrator for the osmo-admin role.' },
  });
  await forbidden.editor.getByRole('button', { name: 'Use the guide’s KAI settings' }).click();
  await forbidden.editor.getByRole('button', { name: 'Review the change' }).click();
  await forbidden.editor.getByLabel(/Why/).fill('mine');
  await forbidden.editor.getByRole('button', { name: 'Save to gpu-east' }).click();
  const alert = forbidden.editor.locator('.error[data-code=forbidden]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /osmo-admin role/);
});

test('what the service accepts but is unwise shows as a warning under its field, and Save stays enabled', async () => {
  const { page, editor, errors, calls } = await openEditor();
  await editor.getByLabel('Scheduler type').selectOption('kai');
  await editor.getByLabel('Scheduler timeout (s)').fill('-1');
  await editor.getByRole('button', { name: 'Review the change' }).click();
  const diff = editor.getByRole('table', { name: 'Changes to save' });
  await diff.waitFor();

  const nameField = editor.locator('.field:has(#scheduler-scheduler_name)');
  const timeoutField = editor.locator('.field:has(#scheduler-scheduler_timeout)');
  assert.match(await nameField.locator('.field-warning').innerText(), /^Warning: The scheduler name is empty: the service accepts it/);
  assert.match(await timeoutField.locator('.field-warning').innerText(), /^Warning: Scheduling timeout -1 is negative: the service stores it unchecked/);
  // Warnings are not refusals: no alert, no invalid field, styled apart from a violation.
  assert.equal(await editor.getByRole('alert').count(), 0);
  assert.equal(await editor.locator('.field.invalid, .field-error').count(), 0);
  assert.equal(await editor.locator('.field.warned').count(), 2);
  const warningColor = await timeoutField.locator('.field-warning').evaluate((el) => getComputedStyle(el).color);
  const helpColor = await timeoutField.locator('small').first().evaluate((el) => getComputedStyle(el).color);
  assert.notEqual(warningColor, helpColor);
  // The input names its warning for assistive technology.
  const describedBy = (await editor.getByLabel('Scheduler timeout (s)').getAttribute('aria-describedby')) ?? '';
  assert.match(describedBy, /scheduler-scheduler_timeout-warning-0/);
  await page.screenshot({ path: path.join(screenshotDir, 'scheduler-warnings.png') });

  const save = editor.getByRole('button', { name: 'Save to gpu-east' });
  await editor.getByLabel(/Why/).fill('Timeout as stored by the CLI');
  assert.equal(await save.isEnabled(), true, 'warnings never block Save');
  await save.click();
  await editor.getByText(/Saved\. gpu-east now has: type kai, name \(none\), coscheduling off, timeout -1 s\./).waitFor();
  const sent = (await calls()).find((c) => c.cmd === 'save_scheduler');
  assert.equal(sent?.args.form.schedulerTimeout, '-1');
  assert.deepEqual(errors, []);
});
