// The Setup screen in a real browser with mocked IPC: the five steps with their states and
// commands, a step's live log from `setup-log` events, the confirmation dialog naming the change
// (then the re-run carrying it), helm missing with the values file and the exact commands, a
// context lacking permissions, a validation error naming its field, a backend name refused at its
// field before anything is filled in, a plan taking another backend's namespaces refused with that
// backend named, and "Resume".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { SetupPlanDto, SetupProgressDto, SetupStepDto } from '../../src/ipc/bindings.gen';
import { startHarness, screenshotDir, type Harness } from './harness';
import { BAD_NAME, BAD_NAME_REFUSAL, CHANGE, HELM_COMMANDS, runs, sessions, STEPS } from './fixtures/setup';
import type { SetupMock } from './mocks/setup';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

async function openSetup(setup: Partial<SetupMock> = {}) {
  const opened = await harness.open({ sessions, setup: { steps: STEPS, runs, ...setup } });
  await opened.page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Setup' }).click();
  await opened.page.getByLabel('Backend name', { exact: true }).fill('gpu-east');
  await opened.page.getByRole('button', { name: 'Fill in the form' }).click();
  await opened.page.getByLabel('Image tag').waitFor();
  return opened;
}

async function check(page: Page) {
  await page.getByRole('button', { name: 'Test and check' }).click();
  await page.locator('.setup-step').first().waitFor();
}

const stepItem = (page: Page, name: SetupStepDto) => page.locator(`.setup-step[data-step="${name}"]`);

test('the five steps show their state, what they will do and the equivalent commands', async () => {
  const { page, errors, calls } = await openSetup();
  assert.equal(await page.getByLabel('Operator namespace').inputValue(), 'osmo-operator');
  assert.equal(await page.getByLabel('Workflow namespace').inputValue(), 'osmo-workflows');
  await check(page);
  assert.equal(await page.locator('.setup-step').count(), 5);
  assert.match(await stepItem(page, 'token').innerText(), /1\. Create the operator’s access token\s*Done/);
  assert.match(await stepItem(page, 'cluster').innerText(), /Partly done[\s\S]*What it will do: Create namespace osmo-workflows\./);
  assert.match(await stepItem(page, 'operator').innerText(), /Not done/);
  await stepItem(page, 'cluster').getByText('Equivalent commands').click();
  const commands = stepItem(page, 'cluster').getByRole('list', { name: 'Equivalent commands of step 2' });
  assert.match(await commands.getByRole('listitem').last().locator('pre').innerText(), /kubectl create secret generic osmo-operator-token -n osmo-operator --from-literal=token=<redacted>/);
  assert.match(await page.locator('.setup-preflight').innerText(), /The context may do what setup needs/);
  const checkCall = (await calls()).find((c) => c.cmd === 'check_setup');
  assert.equal(checkCall?.args.service, 'prod');
  assert.equal(checkCall?.args.context, 'team-a');
  await page.screenshot({ path: path.join(screenshotDir, 'setup.png') });
  assert.deepEqual(errors, []);
});

test('a run streams its log lines, asks before overwriting the secret, and re-runs with the confirmation', async () => {
  const { page, errors, calls } = await openSetup();
  await check(page);
  await stepItem(page, 'cluster').getByRole('button', { name: 'Run' }).click();
  const log = page.getByLabel('Log of step 2');
  await log.waitFor();
  await page.waitForFunction(() => document.querySelector('[aria-label="Log of step 2"]')?.textContent.includes('Created namespace osmo-workflows.'));
  assert.match(await log.innerText(), /Step 2: Create the namespaces[\s\S]*\$ kubectl create namespace osmo-workflows[\s\S]*Created namespace osmo-workflows\./);
  const dialog = page.getByRole('dialog', { name: 'Confirm the change' });
  await dialog.waitFor();
  assert.match(await dialog.innerText(), /replace the value of key token in Secret osmo-operator\/osmo-operator-token with the new token gpu-east-operator-token/);
  await dialog.getByRole('button', { name: 'Change it' }).click();
  await page.getByText(/Done: Created namespace osmo-workflows; replaced the token/).waitFor();
  const runsSent = (await calls()).filter((c) => c.cmd === 'run_setup_step');
  assert.equal(runsSent.length, 2);
  assert.equal(runsSent[0].args.confirmation, null);
  assert.equal(runsSent[1].args.confirmation, CHANGE);
  assert.deepEqual(errors, []);
});

test('a step whose end arrives before the core answers the run is not left running', async () => {
  const { page, errors } = await openSetup({ finishBeforeReply: true });
  await check(page);
  await stepItem(page, 'operator').getByRole('button', { name: 'Run' }).click();
  await stepItem(page, 'operator').getByText(/helm is not installed/).first().waitFor();
  // Give a late "running" a moment to show, then the steps must be free to run again.
  await page.waitForTimeout(300);
  assert.equal(await page.getByRole('button', { name: 'Stop' }).count(), 0, 'no step shows as running');
  assert.equal(await stepItem(page, 'scheduler').getByRole('button', { name: /^Run/ }).isDisabled(), false);
  assert.deepEqual(errors, []);
});

test('a line emitted by the core while a step runs appears in its log', async () => {
  const { page, errors, calls } = await openSetup({ manualFinish: true, runs: { online: { lines: [] } } });
  await check(page);
  await stepItem(page, 'online').getByRole('button', { name: 'Run' }).click();
  await stepItem(page, 'online').getByRole('button', { name: 'Stop' }).waitFor();
  const gpuEast = { service: 'prod', backend: 'gpu-east' };
  await page.evaluate((backend) => window.__EMIT__('setup-log', { backend, step: 'online', stream: 'info', text: 'Backend gpu-east is not there yet; asking again in 5 s.' }), gpuEast);
  await page.evaluate(() => window.__EMIT__('setup-log', { backend: { service: 'prod', backend: 'other' }, step: 'online', stream: 'info', text: 'Not this backend.' }));
  // The same backend name in another service is another backend.
  await page.evaluate(() => window.__EMIT__('setup-log', { backend: { service: 'staging', backend: 'gpu-east' }, step: 'online', stream: 'info', text: 'Not this service.' }));
  await page.getByText('Backend gpu-east is not there yet; asking again in 5 s.').waitFor();
  assert.equal(await page.getByText('Not this backend.').count(), 0);
  assert.equal(await page.getByText('Not this service.').count(), 0);
  // Stop cancels this backend's setup operation (the core then finishes the step as cancelled).
  await stepItem(page, 'online').getByRole('button', { name: 'Stop' }).click();
  await page.waitForFunction(() => window.__IPC_CALLS__.some((c) => c.cmd === 'cancel_operation'));
  const stop = (await calls()).find((c) => c.cmd === 'cancel_operation');
  assert.deepEqual(stop?.args, { operation: { kind: 'setup', backend: gpuEast } });
  await page.evaluate((backend) => window.__EMIT__('setup-step-finished', {
    backend, step: 'online',
    result: { outcome: 'not_online', waitedSeconds: 300, diagnosis: {
      session: 'prod', backend: 'gpu-east', summary: 'The operator pods do not start.', healthy: false, linked: true, clusterError: null, firstFailure: 0,
      checks: [{ kind: 'Pods', title: 'Operator pods', verdict: 'fail', finding: 'ImagePullBackOff on backend-listener.', nextStep: 'Check the image pull secret.' }],
    } },
  }), gpuEast);
  await page.getByText(/did not report online within 300 s/).waitFor();
  assert.match(await stepItem(page, 'online').innerText(), /Operator pods: fail — ImagePullBackOff on backend-listener\. Next: Check the image pull secret\./);
  assert.deepEqual(errors, []);
});

test('without helm: the values file, a button to save it, and the exact commands', async () => {
  const { page, errors, calls } = await openSetup();
  await check(page);
  await stepItem(page, 'operator').getByRole('button', { name: 'Run' }).click();
  const missing = page.locator('.setup-helm-missing');
  await missing.waitFor();
  assert.match(await missing.innerText(), /Step 3 needs helm\. helm is not installed: there is no "helm" on the app's PATH/);
  assert.match(await missing.innerText(), /gpu-east-values\.yaml/);
  const commands = missing.getByRole('list', { name: 'Commands to run where helm is installed' });
  assert.deepEqual(await commands.locator('pre').allInnerTexts(), HELM_COMMANDS);
  await missing.getByRole('button', { name: 'Save values file' }).click();
  await page.getByText(/^Saved \/home\/admin/).waitFor();
  const save = (await calls()).find((c) => c.cmd === 'save_values_file');
  assert.equal(save?.args.path, '/home/admin/.local/share/osmo-backend-admin/setup/gpu-east-values.yaml');
  assert.deepEqual(errors, []);
});

/** Replaces the page's clipboard with one that records what is written to it. */
async function recordClipboard(page: Page) {
  await page.evaluate(() => {
    window.__CLIPBOARD__ = [];
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: { writeText: async (text: string) => { window.__CLIPBOARD__.push(text); } },
    });
  });
}

/** Each command's block keeps it on one line (its code is one line box), scrolling sideways when it is longer. */
async function assertUnbroken(list: ReturnType<Page['getByRole']>) {
  const blocks = await list.locator('pre').evaluateAll((pres) =>
    pres.map((pre) => ({
      text: pre.textContent ?? '',
      lineBoxes: pre.querySelector('code')?.getClientRects().length ?? 0,
      overflowX: getComputedStyle(pre).overflowX,
      scrolls: pre.scrollWidth > pre.clientWidth,
    })),
  );
  assert.ok(blocks.length > 0, 'no commands shown');
  for (const block of blocks) {
    assert.equal(block.lineBoxes, 1, `${block.text} is broken over ${block.lineBoxes} lines`);
    assert.equal(block.overflowX, 'auto', `${block.text} cannot scroll sideways`);
  }
  return blocks;
}

test('commands are shown unbroken, each with a Copy button that copies exactly it', async () => {
  const { page, errors } = await openSetup();
  await page.setViewportSize({ width: 1024, height: 700 });
  await check(page);
  await stepItem(page, 'operator').getByText('Equivalent commands').click();
  const stepCommands = stepItem(page, 'operator').getByRole('list', { name: 'Equivalent commands of step 3' });
  const stepBlocks = await assertUnbroken(stepCommands);
  assert.ok(stepBlocks.some((b) => b.scrolls), 'the long helm command scrolls sideways instead of wrapping');

  await stepItem(page, 'operator').getByRole('button', { name: 'Run' }).click();
  const commands = page.locator('.setup-helm-missing').getByRole('list', { name: 'Commands to run where helm is installed' });
  await commands.waitFor();
  const blocks = await assertUnbroken(commands);
  assert.ok(blocks[2].scrolls, 'the long helm upgrade command scrolls sideways instead of wrapping');

  await recordClipboard(page);
  const install = commands.getByRole('listitem').nth(2);
  await install.getByRole('button', { name: 'Copy' }).click();
  await install.getByRole('button', { name: 'Copied' }).waitFor();
  await commands.getByRole('listitem').nth(0).getByRole('button', { name: 'Copy' }).click();
  assert.deepEqual(await page.evaluate(() => window.__CLIPBOARD__), [HELM_COMMANDS[2], HELM_COMMANDS[0]]);
  await page.screenshot({ path: path.join(screenshotDir, 'setup-commands.png') });
  assert.deepEqual(errors, []);
});

test('a values file already there is replaced only after the user confirms', async () => {
  const file = '/home/admin/.local/share/osmo-backend-admin/setup/gpu-east-values.yaml';
  const { page, errors, calls } = await openSetup({ existingFiles: [file] });
  await check(page);
  await stepItem(page, 'operator').getByRole('button', { name: 'Run' }).click();
  const missing = page.locator('.setup-helm-missing');
  await missing.getByRole('button', { name: 'Save values file' }).click();
  const dialog = page.getByRole('dialog', { name: 'Replace the file' });
  await dialog.getByText(file).waitFor();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  assert.equal(await page.getByText(/^Saved /).count(), 0);
  await missing.getByRole('button', { name: 'Save values file' }).click();
  await dialog.getByRole('button', { name: 'Replace it' }).click();
  await page.getByText(`Saved ${file}`).waitFor();
  const saves = (await calls()).filter((c) => c.cmd === 'save_values_file').map((c) => c.args.replace);
  assert.deepEqual(saves, [false, false, true]);
  assert.deepEqual(errors, []);
});

test('a validation error names its field; a context lacking permissions says what is missing', async () => {
  const preflight = {
    ready: false, warnings: [], missing: ['cannot create namespaces'],
    checks: [{ verb: 'create', resource: 'namespaces', namespace: null, neededFor: 'setup', allowed: false, missing: 'cannot create namespaces', reason: null }],
  };
  const { page, errors } = await openSetup({ preflight });
  await page.getByLabel('Image tag').fill('6.0 beta');
  await page.getByRole('button', { name: 'Test and check' }).click();
  const input = page.getByLabel('Image tag');
  await page.locator('#setup-imageTag-error').waitFor();
  assert.equal(await input.getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#setup-imageTag-error').innerText(), /The image tag "6\.0 beta" must be letters/);
  assert.match(await page.locator('.setup-errors').innerText(), /imageTag: /);
  await input.fill('6.0.0');
  await check(page);
  assert.equal(await page.locator('#setup-imageTag-error').count(), 0);
  assert.match(await page.locator('.setup-preflight').innerText(), /lacks permissions[\s\S]*cannot create namespaces/);
  assert.deepEqual(errors, []);
});

test('a backend name breaking the rule is refused at the name field, and nothing is filled in from it', async () => {
  const { page, errors, calls } = await harness.open({ sessions, setup: { steps: STEPS, runs, refusedNames: { [BAD_NAME]: BAD_NAME_REFUSAL } } });
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Setup' }).click();
  const name = page.getByLabel('Backend name', { exact: true });
  await name.fill(BAD_NAME);
  await page.getByRole('button', { name: 'Fill in the form' }).click();
  const refusal = page.locator('#setup-backend-error');
  await refusal.waitFor();
  // The core's words (the field, its rule, what to do), at the name field.
  assert.equal(await refusal.innerText(), BAD_NAME_REFUSAL);
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  assert.equal(await name.getAttribute('aria-describedby'), 'setup-backend-error');
  // Nothing derived from the name: no form, no namespaces, no steps, no generic error above the form.
  assert.equal(await page.locator('.setup-form').count(), 0);
  assert.equal(await page.getByLabel('Operator namespace').count(), 0);
  assert.equal(await page.locator('.setup-step').count(), 0);
  assert.equal(await page.locator('.setup-panel > .error').count(), 0);
  assert.equal((await calls()).filter((c) => c.cmd === 'setup_defaults').at(-1)?.args.backend, BAD_NAME);
  await page.screenshot({ path: path.join(screenshotDir, 'setup-bad-name.png') });

  // Editing the name takes the refusal away; a valid name fills in the form.
  await name.fill('gpu-east');
  await refusal.waitFor({ state: 'detached' });
  assert.equal(await name.getAttribute('aria-invalid'), null);
  await page.getByRole('button', { name: 'Fill in the form' }).click();
  await page.getByLabel('Image tag').waitFor();
  assert.equal(await page.getByLabel('Backend name (backendName)').inputValue(), 'gpu-east');
  assert.deepEqual(errors, []);
});

test('a plan taking another backend\'s operator or workflow namespace is refused with that backend named', async () => {
  const neighbours = [{ backend: { service: 'staging', backend: 'gpu-west' }, operatorNamespace: 'osmo-operator', workflowNamespace: 'osmo-workflows' }];
  const { page, errors, calls } = await openSetup({ neighbours });
  // The guide's namespaces, where gpu-west (staging)'s operator and Secret already are.
  await page.getByLabel('Operator namespace').fill('osmo-operator');
  await page.getByLabel('Workflow namespace').fill('osmo-workflows');
  await page.getByRole('button', { name: 'Test and check' }).click();
  const operatorError = page.locator('#setup-operatorNamespace-error');
  await operatorError.waitFor();
  assert.match(
    await operatorError.innerText(),
    /^Namespace osmo-operator holds the operator of backend gpu-west \(staging\) on this cluster \(its token Secret and release\)[\s\S]*for example gpu-east-operator\.$/,
  );
  assert.equal(await page.getByLabel('Operator namespace').getAttribute('aria-invalid'), 'true');
  assert.match(await page.locator('#setup-workflowNamespace-error').innerText(), /runs the workflows of backend gpu-west \(staging\)/);
  const summary = await page.locator('.setup-errors').innerText();
  assert.match(summary, /operatorNamespace: .*backend gpu-west \(staging\)/);
  assert.match(summary, /workflowNamespace: .*backend gpu-west \(staging\)/);
  await operatorError.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotDir, 'setup-collision.png') });
  // Refused: no steps to run in the other backend's namespace.
  assert.equal(await page.locator('.setup-step').count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Run all remaining steps' }).count(), 0);

  // The suggested namespaces are the backend's own: the check goes through.
  await page.getByLabel('Operator namespace').fill('gpu-east-operator');
  await page.getByLabel('Workflow namespace').fill('gpu-east-workflows');
  await check(page);
  assert.equal(await page.locator('.setup-errors').count(), 0);
  const sent = (await calls()).filter((c) => c.cmd === 'check_setup').at(-1)?.args.plan;
  assert.equal(sent?.operatorNamespace, 'gpu-east-operator');
  assert.deepEqual(errors, []);
});

function savedProgress(context: string | null): SetupProgressDto {
  const resources = { cpuRequest: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' };
  const plan: SetupPlanDto = {
    backendName: 'gpu-east', operatorNamespace: 'gpu-op', workflowNamespace: 'gpu-wf',
    secretName: 'osmo-operator-token', secretKey: 'token', tokenName: 'gpu-east-operator-token', tokenOwner: null,
    tokenExpiresAt: '2026-12-29', imageTag: '6.0.0', imagePullSecret: '', serviceUrl: 'https://osmo.example.com',
    listener: resources, worker: resources, helmPath: 'helm', chartVersion: '1.4.0',
    chartRepoUrl: 'https://helm.ngc.nvidia.com/nvidia/osmo', release: 'osmo-operator', onlineTimeoutSecs: 300,
    scheduler: null, schedulerDescription: 'Scheduler settings from the backend setup',
  };
  return {
    session: 'prod', context, plan, finished: [{ step: 'token', at: '2026-11-27T10:00:00.000Z', what: 'Created token.' }, { step: 'cluster', at: '2026-11-27T10:01:00.000Z', what: 'Created.' }],
    nextStep: 'operator', updatedAt: '2026-11-27T10:01:00.000Z', setAside: null,
  };
}

test('saved progress restores the saved plan itself, on its context, and checks it', async () => {
  const { page, errors, calls } = await harness.open({ sessions, setup: { steps: STEPS, runs, progress: savedProgress('dev') } });
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Setup' }).click();
  await page.getByLabel('Backend name', { exact: true }).fill('gpu-east');
  await page.getByRole('button', { name: 'Fill in the form' }).click();
  const restored = page.locator('.setup-resume');
  await restored.waitFor();
  assert.match(
    await restored.innerText(),
    /Restored the plan of an earlier setup of gpu-east: 2 of\s+5 steps done \(last change \d+ days ago\); next: operator\./,
  );
  assert.equal(await restored.locator('time').getAttribute('title'), '2026-11-27 10:01 UTC');
  // The saved plan itself, not the defaults.
  assert.equal(await page.getByLabel('Operator namespace').inputValue(), 'gpu-op');
  await page.locator('.setup-step').first().waitFor();
  const checkCall = (await calls()).find((c) => c.cmd === 'check_setup');
  assert.equal(checkCall?.args.plan.workflowNamespace, 'gpu-wf');
  // The context of the last run is picked again (not the current one).
  assert.equal(checkCall?.args.context, 'dev');
  assert.equal(await page.getByLabel('Kubernetes context').inputValue(), 'dev');
  // A plan saved with the preset (scheduler null) shows the preset in step 4's form.
  assert.equal(await page.locator('#scheduler-scheduler_type').inputValue(), 'kai');
  // Starting over brings the defaults back.
  await restored.getByRole('button', { name: 'Start over with the defaults' }).click();
  await page.locator('.setup-resume').waitFor({ state: 'detached' });
  assert.equal(await page.getByLabel('Operator namespace').inputValue(), 'osmo-operator');
  assert.deepEqual(errors, []);
});

test('a restored plan whose context is gone says so and checks nothing', async () => {
  const { page, calls } = await harness.open({ sessions, setup: { steps: STEPS, runs, progress: savedProgress('gone-cluster') } });
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Setup' }).click();
  await page.getByLabel('Backend name', { exact: true }).fill('gpu-east');
  await page.getByRole('button', { name: 'Fill in the form' }).click();
  await page.getByText('Its Kubernetes context gone-cluster no longer exists in your kubeconfig files').waitFor();
  assert.equal(await page.getByLabel('Operator namespace').inputValue(), 'gpu-op');
  assert.equal((await calls()).filter((c) => c.cmd === 'check_setup').length, 0);
});

test('a progress file that could not be read is a notice, and the form starts from the defaults', async () => {
  const progress: SetupProgressDto = {
    ...savedProgress(null), session: null, finished: [], nextStep: 'token',
    setAside: { file: '/data/setup/prod/gpu-east.json.unreadable-1', reason: 'expected value at line 1', at: '2026-12-06T10:00:00Z',
      message: 'The saved progress of gpu-east could not be read and was set aside as /data/setup/prod/gpu-east.json.unreadable-1.' },
  };
  const { page } = await harness.open({ sessions, setup: { steps: STEPS, runs, progress } });
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Setup' }).click();
  await page.getByLabel('Backend name', { exact: true }).fill('gpu-east');
  await page.getByRole('button', { name: 'Fill in the form' }).click();
  await page.getByText('The saved progress of gpu-east could not be read and was set aside').waitFor();
  assert.equal(await page.locator('.setup-resume').count(), 0);
  assert.equal(await page.getByLabel('Operator namespace').inputValue(), 'osmo-operator');
});

test('editing the plan after a check marks the steps stale until checked again', async () => {
  const { page } = await openSetup();
  await check(page);
  await page.getByLabel('Operator namespace').fill('gpu-op-2');
  const stale = page.locator('.setup-stale');
  await stale.waitFor();
  assert.match(await stale.innerText(), /You changed the plan since the check/);
  assert.ok(await stepItem(page, 'operator').getByRole('button', { name: 'Run' }).isDisabled());
  assert.equal(await page.getByRole('button', { name: 'Run all remaining steps' }).count(), 0);
  await check(page);
  await stale.waitFor({ state: 'detached' });
  assert.ok(await stepItem(page, 'operator').getByRole('button', { name: 'Run' }).isEnabled());
});

test('Run all runs the remaining steps in order and stops at the first that needs the user', async () => {
  const warning = 'Scheduler kai is NOT installed in the cluster (looked for CRD queues.scheduling.run.ai): install it, or workflows will not be scheduled.';
  const { page, calls } = await openSetup({
    runs: {
      operator: { result: { outcome: 'done', what: 'Installed chart osmo/backend-operator 1.4.0.', warning: null } },
      scheduler: { result: { outcome: 'done', what: 'Saved backend gpu-east\'s scheduler settings.', warning } },
    },
  });
  await check(page);
  await page.getByRole('button', { name: 'Run all remaining steps' }).click();
  const outcome = stepItem(page, 'scheduler').locator('.setup-outcome-warning');
  await outcome.waitFor();
  assert.match(await outcome.innerText(), /Needs you: Scheduler kai is NOT installed/);
  assert.equal(await stepItem(page, 'scheduler').locator('p.setup-outcome').count(), 0, 'not a green Done');
  // Give a wrong carry-on a moment to show itself.
  await page.waitForTimeout(300);
  const ran = (await calls()).filter((c) => c.cmd === 'run_setup_step').map((c) => c.args.step);
  assert.deepEqual(ran, ['cluster', 'operator', 'scheduler']);
});

test('the plan and a step\'s log survive going to another screen and back', async () => {
  const { page } = await openSetup();
  await check(page);
  await page.getByLabel('Operator namespace').fill('kept-op');
  await check(page);
  await stepItem(page, 'operator').getByRole('button', { name: 'Run' }).click();
  await stepItem(page, 'operator').locator('.setup-log').waitFor();
  const screens = page.getByRole('navigation', { name: 'Screens' });
  await screens.getByRole('button', { name: 'Dashboard' }).click();
  await screens.getByRole('button', { name: 'Setup' }).click();
  assert.equal(await page.getByLabel('Operator namespace').inputValue(), 'kept-op');
  assert.match(await stepItem(page, 'operator').locator('.setup-log').innerText(), /helm: not found/);
});

test('step 4’s scheduler form: the guide’s KAI settings by default, the service’s rules per field, sent with the plan', async () => {
  const { page, errors, calls } = await openSetup();
  const step4 = page.getByRole('group', { name: 'Scheduler settings (step 4)' });
  await step4.waitFor();
  assert.match(await step4.innerText(), /OSMO 6\.0\/6\.1/);
  assert.equal(await step4.locator('#scheduler-scheduler_type').inputValue(), 'kai');
  assert.equal(await step4.locator('#scheduler-scheduler_name').inputValue(), 'kai-scheduler');
  assert.equal(await step4.locator('#scheduler-coscheduling').isChecked(), true);

  // A combination the service refuses, and a timeout that is not seconds, and no description.
  await step4.locator('#scheduler-scheduler_type').selectOption('default');
  await step4.locator('#scheduler-scheduler_timeout').fill('soon');
  await step4.getByLabel('Description for the config history').fill(' ');
  await page.getByRole('button', { name: 'Test and check' }).click();
  await step4.locator('.field-error').first().waitFor();
  const problems = await step4.locator('.field-error').allInnerTexts();
  assert.deepEqual(problems.map((p) => p.split(':')[0].split(' ').slice(0, 2).join(' ')), ['Coscheduling cannot', 'Scheduler timeout', 'Describe step']);
  assert.equal(await step4.locator('#scheduler-scheduler_timeout').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.locator('.setup-step').count(), 0, 'nothing checked while the form is wrong');
  await page.screenshot({ path: path.join(screenshotDir, 'setup-scheduler-errors.png'), fullPage: true });

  // One click back to the guide's settings, a description, then the plan carries them.
  await step4.getByRole('button', { name: 'Use the guide’s KAI settings' }).click();
  await step4.locator('#scheduler-scheduler_timeout').fill('60');
  await step4.getByLabel('Description for the config history').fill('KAI for gpu-east');
  await check(page);
  const sent = (await calls()).filter((c) => c.cmd === 'check_setup').at(-1)?.args.plan;
  assert.deepEqual(sent?.scheduler, { schedulerType: 'kai', schedulerName: 'kai-scheduler', coscheduling: true, schedulerTimeout: '60' });
  assert.equal(sent?.schedulerDescription, 'KAI for gpu-east');
  assert.equal(await step4.locator('.field-error').count(), 0);
  assert.deepEqual(errors, []);
});

test('step 5’s wait is settable: zero is refused by the rule, a number of seconds is sent with the plan', async () => {
  const { page, errors, calls } = await openSetup();
  const wait = page.getByLabel('Wait for online (seconds, step 5)');
  assert.equal(await wait.inputValue(), '300');
  await wait.fill('0');
  await page.getByRole('button', { name: 'Test and check' }).click();
  await page.locator('#setup-onlineTimeoutSecs-error').waitFor();
  assert.match(await page.locator('#setup-onlineTimeoutSecs-error').innerText(), /must be more than zero/);
  await wait.fill('120');
  await check(page);
  assert.equal((await calls()).filter((c) => c.cmd === 'check_setup').at(-1)?.args.plan.onlineTimeoutSecs, 120);
  assert.deepEqual(errors, []);
});
