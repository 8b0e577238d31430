// The Connections screen's Kubernetes contexts, in a real browser with mocked IPC.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { BackendRowDto } from '../../src/ipc/bindings.gen';
import { startHarness, screenshotDir, type Harness } from './harness';
import type { MockDashboard, MockState } from './mock-backend';
import { DEFAULT_STATE } from './default-state';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

async function openConnections(state?: Partial<MockState>) {
  const opened = await harness.open(state);
  await opened.page.keyboard.press('Alt+1');
  await opened.page.getByRole('region', { name: 'Kubernetes contexts' }).waitFor();
  await opened.page.getByRole('table', { name: 'Contexts' }).waitFor();
  return opened;
}

test('the list shows every context with its details, marks the duplicate, and names the broken file', async () => {
  const { page, errors } = await openConnections();
  const panel = page.getByRole('region', { name: 'Kubernetes contexts' });
  const rows = await panel.getByRole('table', { name: 'Contexts' }).locator('tbody tr').allInnerTexts();
  assert.equal(rows.length, 3);
  assert.match(rows[0], /team-a\s*current\s+https:\/\/a\.example\.com:6443\s+alice\s+team-a-ns\s+token\s+\/home\/admin\/\.kube\/config/);
  assert.match(rows[1], /prod\s*duplicate/);
  assert.match(rows[1], /linked: gpu-east \(prod-osmo\)/);
  assert.match(rows[1], /exec: aws eks get-token --cluster-name prod \(env AWS_PROFILE=prod\)/);
  assert.match(rows[1], /also in \/home\/admin\/\.kube\/prod\.yaml \(ignored; this file wins\)/);
  assert.match(rows[2], /dev\s+https:\/\/127\.0\.0\.1:6443.*client certificate/s);

  const problems = panel.getByRole('group', { name: 'Kubeconfig problems' });
  const alert = problems.getByRole('alert');
  assert.equal(await alert.getAttribute('data-code'), 'kubeconfig_invalid');
  assert.match(await alert.innerText(), /The kubeconfig could not be used.*\/home\/admin\/broken\.yaml line 9: did not find expected/s);
  const files = await panel.getByRole('table', { name: 'Kubeconfig files' }).locator('tbody tr').allInnerTexts();
  assert.match(files[2], /\/home\/admin\/broken\.yaml \(line 9\)\s+added here\s+broken\s+0\s+Remove/);
  assert.match(files[0], /from KUBECONFIG\s+loaded\s+2/);

  // The screen is whole: no note about parts still to come.
  assert.equal(await page.getByText(/not built yet/).count(), 0);
  // A broken file stays red.
  const brokenBadge = panel.getByRole('table', { name: 'Kubeconfig files' }).locator('tbody tr').nth(2).getByText('broken', { exact: true });
  assert.equal(await brokenBadge.evaluate((el) => getComputedStyle(el).color), 'rgb(180, 35, 24)');
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(screenshotDir, 'connections-contexts.png'), fullPage: true });
});

test('a missing ~/.kube/config is a normal state: a neutral note, no red badge, no problem', async () => {
  const home = '/home/admin/.kube/config';
  const { page, errors } = await openConnections({
    contexts: {
      ...DEFAULT_STATE.contexts,
      files: [
        { path: home, origin: 'homeDefault', state: 'missing', error: null, contexts: 0 },
        ...DEFAULT_STATE.contexts.files.filter((file) => file.origin === 'extra'),
      ],
    },
  });
  const panel = page.getByRole('region', { name: 'Kubernetes contexts' });
  const rows = panel.getByRole('table', { name: 'Kubeconfig files' }).locator('tbody tr');
  const homeRow = rows.filter({ hasText: home });
  assert.match(await homeRow.innerText(), /~\/\.kube\/config\s+not present \(nothing to read; that is fine\)\s+0/);
  assert.equal(await homeRow.locator('.badge').count(), 0, 'no badge for a file that is simply not there');
  const note = homeRow.getByText(/not present/);
  const danger = await panel.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--danger').trim());
  assert.equal(danger, '#b42318');
  assert.notEqual(await note.evaluate((el) => getComputedStyle(el).color), 'rgb(180, 35, 24)', 'not drawn in the danger colour');
  assert.equal(await note.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)');
  // Only the broken extra file is a problem.
  const problems = panel.getByRole('group', { name: 'Kubeconfig problems' });
  assert.equal(await problems.getByRole('alert').count(), 1);
  assert.doesNotMatch(await problems.innerText(), /\.kube\/config/);
  assert.match(await rows.filter({ hasText: 'broken.yaml' }).innerText(), /broken/);
  assert.deepEqual(errors, []);
});

test('what kubectl reads differently is said, and nothing is said when it reads the files the same way', async () => {
  const { page, errors } = await openConnections();
  const panel = page.getByRole('region', { name: 'Kubernetes contexts' });
  assert.equal(await panel.getByRole('group', { name: 'What kubectl does differently' }).count(), 0);

  const differing = await openConnections({
    contexts: {
      ...DEFAULT_STATE.contexts,
      kubectlDifferences: [
        '/home/admin/.kube/config holds 2 YAML documents: kubectl reads only the first; the other 1 is ignored.',
        'kubectl refuses every command until /home/admin/broken.yaml is fixed.',
      ],
    },
  });
  const group = differing.page
    .getByRole('region', { name: 'Kubernetes contexts' })
    .getByRole('group', { name: 'What kubectl does differently' });
  const items = await group.getByRole('listitem').allInnerTexts();
  assert.equal(items.length, 2);
  assert.match(items[0], /kubectl reads only the first/);
  assert.match(items[1], /kubectl refuses every command until \/home\/admin\/broken\.yaml is fixed/);
  assert.deepEqual(errors, []);
  assert.deepEqual(differing.errors, []);
});

test('Test shows version, round trip and the checklist with the missing permissions named', async () => {
  const { page, calls } = await openConnections();
  await page.getByRole('button', { name: 'Test prod' }).click();
  const result = page.getByRole('region', { name: 'Test of prod' });
  await result.getByRole('list', { name: 'Permissions' }).waitFor();
  assert.match(await result.innerText(), /Reached https:\/\/prod\.example\.com: Kubernetes v1\.30\.2, round trip 23 ms/);
  const items = await result.getByRole('listitem').allInnerTexts();
  assert.equal(items.length, 8);
  assert.match(items[0], /✗\s*missing:\s*cannot create namespaces\s*\(setup\)/);
  assert.match(items[1], /✓\s*allowed:\s*create secrets in namespace "osmo-operator"/);
  assert.match(items[5], /✗.*cannot patch deployments\.apps in namespace "osmo-operator"/s);
  assert.match(await result.getByRole('status').innerText(), /2 of 8 permissions are missing/);
  const call = (await calls()).find((c) => c.cmd === 'test_context');
  assert.deepEqual({ name: call?.args.name, operatorNamespace: call?.args.operatorNamespace }, {
    name: 'prod', operatorNamespace: 'osmo-operator',
  });
  await page.screenshot({ path: path.join(screenshotDir, 'connections-test.png'), fullPage: true });

  // Keyboard: the next context's Test button is reachable and runs with Enter.
  await page.getByRole('button', { name: 'Test team-a' }).focus();
  await page.keyboard.press('Enter');
  const teamA = page.getByRole('region', { name: 'Test of team-a' });
  await teamA.getByRole('status').waitFor();
  assert.match(await teamA.getByRole('status').innerText(), /Everything setup and rotation need is allowed/);
});

test('a failed test shows the error with its message', async () => {
  const { page } = await openConnections();
  await page.getByRole('button', { name: 'Test dev' }).click();
  const alert = page.getByRole('region', { name: 'Test of dev' }).getByRole('alert');
  await alert.waitFor();
  assert.equal(await alert.getAttribute('data-code'), 'unreachable');
  assert.match(await alert.innerText(), /The server could not be reached.*connection refused/s);
});

test('adding and removing a kubeconfig file calls the core; a refused path shows why', async () => {
  const { page, calls } = await openConnections();
  const input = page.getByRole('textbox', { name: 'Add a kubeconfig file' });
  await input.fill('kube/relative.yaml');
  await page.getByRole('button', { name: 'Add file' }).click();
  const refused = page.locator('.kubeconfig-files .error[data-code=invalid_input]');
  await refused.waitFor();
  assert.match(await refused.innerText(), /not an absolute path/);

  await input.fill('~/.kube/staging.yaml');
  await input.press('Enter');
  const files = page.getByRole('table', { name: 'Kubeconfig files' });
  await files.getByText('/home/admin/.kube/staging.yaml').waitFor();
  assert.equal(await input.inputValue(), '', 'cleared after adding');
  assert.ok((await calls()).some((c) => c.cmd === 'add_kubeconfig_file' && c.args.path === '~/.kube/staging.yaml'));

  await page.getByRole('button', { name: 'Remove /home/admin/broken.yaml' }).click();
  await files.getByText('/home/admin/broken.yaml').waitFor({ state: 'detached' });
  assert.ok((await calls()).some((c) => c.cmd === 'remove_kubeconfig_file' && c.args.path === '/home/admin/broken.yaml'));
});

test('the command palette reloads the kubeconfig', async () => {
  const { page, calls } = await harness.open();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('reload kubeconfig');
  await page.keyboard.press('Enter');
  await page.getByRole('table', { name: 'Contexts' }).waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Connections');
  assert.ok((await calls()).some((c) => c.cmd === 'list_contexts'));
});

test('a backend is linked to a context and unlinked; a bad namespace is refused', async () => {
  const row = (name: string): BackendRowDto => ({
    session: 'prod-osmo', name, online: true, lastHeartbeat: null, offlineSince: null, version: '6.0.0', k8sNamespace: 'osmo-workflows',
    schedulerType: 'kai', schedulerName: 'kai-scheduler', pools: [], dashboardUrl: null, grafanaUrl: null, notify: true, linked: false, warnings: [],
  });
  const dashboard: MockDashboard = {
    sessions: [], notPolled: [], rows: [row('gpu-east'), row('gpu-west')], refreshSecs: 10, historyError: null, historyNotice: null,
    now: new Date().toISOString(),
  };
  const { page, calls } = await openConnections({ dashboard });
  const form = page.getByRole('form', { name: 'Link a backend to a context' });
  // Both are offered from the dashboard's services and backends (gpu-east is linked already).
  const offered = (id: string) => form.locator(`datalist#${id} option`).evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
  await form.getByRole('combobox', { name: 'OSMO service' }).fill('prod-osmo');
  assert.deepEqual(await offered('link-services'), ['prod-osmo']);
  assert.deepEqual(await offered('link-backends'), ['gpu-west']);
  await form.getByRole('combobox', { name: 'Backend' }).fill('gpu-west');
  await form.getByRole('combobox', { name: 'Context' }).selectOption('dev');
  await form.getByRole('textbox', { name: 'Operator namespace' }).fill('Bad_NS');
  await form.getByRole('button', { name: 'Link' }).click();
  const refused = page.locator('.backend-links .error[data-code=invalid_input]');
  await refused.waitFor();
  assert.match(await refused.innerText(), /operatorNamespace/);

  await form.getByRole('textbox', { name: 'Operator namespace' }).fill('osmo-west');
  await form.getByRole('button', { name: 'Link' }).click();
  const links = page.getByRole('table', { name: 'Linked backends' });
  await links.getByText('gpu-west').waitFor();
  const rows = await links.locator('tbody tr').allInnerTexts();
  assert.match(rows[1], /prod-osmo\s+gpu-west\s+dev\s+osmo-west/);
  const linked = (await calls()).filter((c) => c.cmd === 'link_backend').at(-1);
  assert.deepEqual(linked?.args, {
    backend: { service: 'prod-osmo', backend: 'gpu-west' }, context: 'dev', operatorNamespace: 'osmo-west',
  });
  await page.screenshot({ path: path.join(screenshotDir, 'connections-links.png'), fullPage: true });

  await page.getByRole('button', { name: 'Unlink gpu-east of prod-osmo' }).click();
  await links.getByText('gpu-east').waitFor({ state: 'detached' });
  assert.ok((await calls()).some((c) => c.cmd === 'unlink_backend' && c.args.backend.service === 'prod-osmo' && c.args.backend.backend === 'gpu-east'));
});

test('making a context current asks first, then names the file and its backup', async () => {
  const { page, calls } = await openConnections();
  await page.getByRole('button', { name: 'Make current: dev' }).click();
  const confirm = page.getByRole('group', { name: 'Confirm the current context' });
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await confirm.waitFor({ state: 'detached' });
  assert.ok(!(await calls()).some((c) => c.cmd === 'set_current_context'), 'nothing written on Cancel');

  await page.getByRole('button', { name: 'Make current: dev' }).click();
  await confirm.getByRole('button', { name: 'Set as current context' }).click();
  const done = page.locator('.current-switched');
  await done.waitFor();
  assert.match(await done.innerText(), /current context is now dev: written to \/home\/admin\/\.kube\/config, the previous file kept as \/home\/admin\/\.kube\/config\.bak-/);
  const row = await page.locator('tr[data-context=dev]').innerText();
  assert.match(row, /dev\s*current/);
  assert.equal(await page.getByRole('button', { name: 'Make current: dev' }).count(), 0);
});
