// The Tokens screen in a real browser with mocked IPC: the table with badges and "used by", the
// create form's checks (bad name, date not after today, too far, no roles, then the server's own
// rule per field), the value shown once with Copy and the clipboard cleared after a minute, the
// delete confirmation naming the backends that stop working, a rotation's live steps, a failure
// with Retry / Roll back, an interrupted rotation, and the dashboard's "rotate now". 6.2+: a user's
// missing roles added from the create form, the service accounts, deleting a user with its last
// token (asked), sorting, searching, the after-delete line, no mid-word wrapping, and the rotate
// form's word for a backend whose token is unknown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type {
  BadgeDto, ContextsView, RotationView, SessionsView, TokenRowDto, TokensNeedingRotationView, TokensView,
} from '../../src/ipc/bindings.gen';
import { startHarness, screenshotDir, type Harness, type OpenedPage } from './harness';
import type { MockState } from './mock-backend';
import type { TokensMock } from './mocks/tokens';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

const TODAY = new Date().toISOString().slice(0, 10);
const day = (n: number) => {
  const d = new Date(`${TODAY}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

const sessions: SessionsView = {
  sessions: [
    {
      id: 'prod', name: 'prod', url: 'https://osmo.example.com', hasCustomCa: false, forThisRunOnly: false, version: '6.0.0', dialect: '6.0/6.1',
      dialectEvidence: 'Version 6.0.0 reported: 6.0/6.1 dialect.',
      methods: { accessToken: true, deviceCode: false, development: false },
      status: { state: 'signed_in', user: 'ana', roles: ['osmo-admin'], method: 'access_token', since: '2026-11-28T20:00:00Z', until: null },
      keyring: { state: 'nothing_to_keep' }, deviceCode: null, deviceCodeError: null,
    },
  ],
  cliLogin: null,
  cliLoginError: null,
};

const tokenRow = (
  name: string, days: number, badge: BadgeDto, words: string, usedBy: string[] = [], fields: Partial<TokenRowDto> = {},
): TokenRowDto => ({
  owner: name, name, kind: 'service', roles: ['osmo-backend'], description: 'Backend Operator Token',
  expiresOn: day(days), daysLeft: days, badge, words, usedBy, ...fields,
});

const view: TokensView = {
  session: 'prod', dialect: '6.0/6.1', warningDays: 7, today: TODAY, useNotes: [], backends: ['gpu-east', 'gpu-west'],
  rows: [
    tokenRow('old-token', -3, 'expired', 'expired 3 days ago'),
    tokenRow('backend-token', 3, 'expires_soon', 'expires in 3 days', ['gpu-east']),
    tokenRow('west-token', 200, 'fine', 'expires in 200 days', ['gpu-west'], { description: 'West' }),
  ],
};

const contexts: ContextsView = {
  contexts: [
    { name: 'prod-cluster', source: '/home/admin/.kube/config', shadowedIn: [], cluster: 'c', server: 'https://prod.example.com', user: 'u', namespace: null, auth: { kind: 'token' }, isCurrent: true, problems: [] },
  ],
  currentContext: 'prod-cluster', currentContextSource: '/home/admin/.kube/config', files: [], extraFiles: [], kubectlDifferences: [],
  links: [{ service: 'prod', backend: 'gpu-east', context: 'prod-cluster', operatorNamespace: 'osmo-operator' }],
};

async function openTokens(tokens: Partial<TokensMock> = {}, extra: Partial<MockState> = {}) {
  const opened = await harness.open({ sessions, contexts, tokens: { views: { prod: structuredClone(view) }, ...tokens }, ...extra });
  await opened.page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: /^Tokens/ }).click();
  await opened.page.locator('.tokens-table').waitFor();
  return opened;
}

test('the table shows badges, expiry words, owner, roles, description and the backends using each token', async () => {
  const { page, errors } = await openTokens();
  const rows = page.locator('.tokens-table tbody tr');
  assert.equal(await rows.count(), 3);
  const text = async (name: string) => (await page.locator(`tr[data-token="${name}"]`).innerText()).replace(/\s+/g, ' ');
  assert.match(await text('old-token'), new RegExp(`old-token expired expired 3 days ago \\(${day(-3)}\\) old-token osmo-backend Backend Operator Token unknown`));
  assert.match(await text('backend-token'), /expires soon expires in 3 days \(\d{4}-\d\d-\d\d\) .* gpu-east Rotate… Delete/);
  assert.match(await text('west-token'), /fine expires in 200 days \(\d{4}-\d\d-\d\d\) .* West gpu-west Rotate… Delete/);
  assert.match(await page.locator('.tokens-toolbar').innerText(), /OSMO 6\.0\/6\.1 · “expires soon” within 7 days/);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens.png') });
  assert.deepEqual(errors, []);
});

test('create: the form checks the rules before sending, shows the server’s rule per field, then the value once', async () => {
  const serverErrors: TokensMock['serverErrors'] = {
    'backend-token-2': [{ field: 'roles', message: 'User backend-token-2 does not hold the role(s) osmo-admin.' }],
  };
  const { page, calls, errors } = await openTokens({ serverErrors });
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  const submit = () => dialog.getByRole('button', { name: 'Create', exact: true }).click();
  const fieldError = (label: string) =>
    dialog.getByLabel(label).evaluate((el) => document.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent ?? '');

  await dialog.getByLabel('Token name').fill('1-bad');
  await dialog.getByLabel('Expires on (UTC, YYYY-MM-DD)').fill(TODAY);
  await dialog.getByLabel('osmo-backend', { exact: true }).uncheck();
  await submit();
  assert.match(await fieldError('Token name'), /Start with a letter/);
  assert.match(await fieldError('Expires on (UTC, YYYY-MM-DD)'), new RegExp(`after today \\(${TODAY}, UTC\\)`));
  assert.match(await dialog.locator('#token-roles-error').innerText(), /at least one role/);

  await dialog.getByLabel('Token name').fill('backend-token-2');
  await dialog.getByLabel('Expires on (UTC, YYYY-MM-DD)').fill(day(400));
  await dialog.getByLabel('osmo-backend', { exact: true }).check();
  await submit();
  assert.match(await fieldError('Expires on (UTC, YYYY-MM-DD)'), new RegExp(`at most 365 days away, on or before ${day(365)}`));
  assert.equal(await fieldError('Token name'), '');
  await dialog.getByLabel('Expires on (UTC, YYYY-MM-DD)').fill('2027-1-15');
  await submit();
  assert.match(await fieldError('Expires on (UTC, YYYY-MM-DD)'), /YYYY-MM-DD format/);
  assert.equal((await calls()).filter((c) => c.cmd === 'create_token').length, 0, 'nothing sent while a rule is broken');

  // The server's own rule comes back for its field.
  await dialog.getByLabel('Expires on (UTC, YYYY-MM-DD)').fill(day(30));
  await dialog.getByLabel('osmo-admin').check();
  await submit();
  await dialog.locator('#token-roles-error').waitFor();
  assert.match(await dialog.locator('#token-roles-error').innerText(), /does not hold the role\(s\) osmo-admin/);

  // Created: the value once, with Copy; the clipboard is cleared a minute later.
  await page.clock.install();
  await page.evaluate(() => {
    window.__CLIPBOARD__ = [];
    let held = 'something else';
    Object.defineProperty(navigator, 'clipboard', {
      configurable: true,
      value: {
        writeText: async (text: string) => { held = text; window.__CLIPBOARD__.push(text); },
        readText: async () => held,
      },
    });
  });
  await dialog.getByLabel('Token name').fill('backend-token-3');
  await dialog.getByLabel('osmo-admin').uncheck();
  await submit();
  const shown = page.getByRole('dialog', { name: 'New token value' });
  await shown.getByRole('heading', { name: 'Token backend-token-3 created' }).waitFor();
  assert.match(await shown.getByRole('alert').innerText(), /Copy the value now: it will not be shown again/);
  assert.equal(await shown.getByLabel('Token value').inputValue(), 'osmo-tok-9f8e7d6c5b4a');
  const sent = (await calls()).filter((c) => c.cmd === 'create_token').at(-1)?.args;
  assert.deepEqual(sent, {
    service: 'prod',
    form: { owner: null, name: 'backend-token-3', expiresAt: day(30), roles: ['osmo-backend'], description: '', forOperator: true },
  });
  await shown.getByRole('button', { name: 'Copy' }).click();
  await shown.getByText(/Copied\. The clipboard is cleared in a minute/).waitFor();
  assert.deepEqual(await page.evaluate(() => window.__CLIPBOARD__), ['osmo-tok-9f8e7d6c5b4a']);
  await page.clock.runFor(59_000);
  assert.deepEqual(await page.evaluate(() => window.__CLIPBOARD__), ['osmo-tok-9f8e7d6c5b4a'], 'kept for a minute');
  await page.clock.runFor(2_000);
  await page.waitForFunction(() => window.__CLIPBOARD__.length === 2);
  assert.deepEqual(await page.evaluate(() => window.__CLIPBOARD__), ['osmo-tok-9f8e7d6c5b4a', '']);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-created.png') });
  await shown.getByRole('button', { name: 'Done' }).click();
  await page.locator('tr[data-token="backend-token-3"]').waitFor();
  assert.equal(await page.getByText('osmo-tok-9f8e7d6c5b4a').count(), 0, 'the value is gone once closed');
  assert.deepEqual(errors, []);
});

test('delete asks first and names the backend that stops working', async () => {
  const { page, calls } = await openTokens();
  await page.locator('tr[data-token="backend-token"]').getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete token' });
  assert.match(await dialog.getByRole('heading').innerText(), /Delete token backend-token\?/);
  assert.match(await dialog.getByRole('alert').innerText(), /Backend gpu-east uses this token and will stop working/);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.equal((await calls()).filter((c) => c.cmd === 'delete_token').length, 0);

  await page.locator('tr[data-token="old-token"]').getByRole('button', { name: 'Delete' }).click();
  assert.match(await dialog.innerText(), /No backend is known to use it/);
  await dialog.getByRole('button', { name: 'Delete token' }).click();
  await page.locator('tr[data-token="old-token"]').waitFor({ state: 'detached' });
  assert.deepEqual((await calls()).find((c) => c.cmd === 'delete_token')?.args, { service: 'prod', owner: 'old-token', name: 'old-token', kind: 'service' });
});

test('a rotation shows its steps live; a failure says the state and offers Retry this step and Roll back', async () => {
  const { page, calls, errors } = await openTokens({ failAt: 'wait_for_heartbeat' });
  await page.locator('tr[data-token="backend-token"]').getByRole('button', { name: 'Rotate gpu-east…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate a backend’s token' });
  assert.equal(await dialog.getByLabel('Backend', { exact: true }).inputValue(), 'gpu-east');
  assert.equal(await dialog.getByLabel('Kubernetes context').inputValue(), 'prod-cluster', 'the linked context');
  assert.equal(await dialog.getByLabel('Secret namespace').inputValue(), 'osmo-operator');
  assert.equal(await dialog.getByLabel('Secret name', { exact: true }).inputValue(), 'osmo-operator-token');
  assert.equal(await dialog.getByLabel('Key', { exact: true }).inputValue(), 'token');
  assert.equal(await dialog.getByLabel('New token name').inputValue(), `backend-token-${day(90).replaceAll('-', '')}`);
  await dialog.getByLabel('New expiry (UTC, YYYY-MM-DD)').fill(TODAY);
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
  assert.match(await dialog.getByRole('alert').innerText(), /after today/);
  await dialog.getByLabel('New expiry (UTC, YYYY-MM-DD)').fill(day(60));
  await dialog.getByLabel('Heartbeat timeout (seconds)').fill('120');
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();

  const step = (name: string) => dialog.locator(`li[data-step="${name}"]`);
  await step('create_token').and(page.locator('[data-state="done"]')).waitFor();
  await step('wait_for_heartbeat').and(page.locator('[data-state="failed"]')).waitFor();
  assert.equal(await step('write_secret').getAttribute('data-state'), 'done');
  assert.equal(await step('restart_operator').getAttribute('data-state'), 'done');
  assert.equal(await step('delete_old_token').getAttribute('data-state'), 'pending');
  const request = (await calls()).find((c) => c.cmd === 'start_rotation')?.args.request;
  assert.ok(request, 'a rotation was started');
  assert.equal(request.newName, `backend-token-${day(60).replaceAll('-', '')}`);
  assert.deepEqual(
    [request.backend, request.context, request.oldName, request.heartbeatTimeoutSecs, request.deleteOld],
    [{ service: 'prod', backend: 'gpu-east' }, 'prod-cluster', 'backend-token', 120, true],
  );
  const words = dialog.locator('.rotation-words');
  assert.match(await words.innerText(), /new token is in the secret and the operator was restarted, but it has not come back online/);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-rotation-failed.png') });

  await dialog.getByRole('button', { name: 'Retry this step' }).click();
  await step('delete_old_token').and(page.locator('[data-state="done"]')).waitFor();
  await dialog.locator('.badge.rotation-status.completed').waitFor();
  assert.match(await words.innerText(), /Done: backend gpu-east runs with the new token/);
  assert.equal(await dialog.getByRole('button', { name: 'Roll back' }).count(), 0);
  assert.ok((await calls()).some((c) => c.cmd === 'retry_rotation'));
  assert.deepEqual(errors, []);
});

test('roll back after a failure undoes the steps, live', async () => {
  const { page } = await openTokens({ failAt: 'restart_operator' });
  await page.getByRole('button', { name: 'Rotate a backend’s token…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate a backend’s token' });
  await dialog.getByLabel('Backend', { exact: true }).selectOption('gpu-east');
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
  await dialog.getByRole('button', { name: 'Roll back' }).waitFor();
  assert.match(await dialog.locator('.rotation-words').innerText(), /operator has not been restarted/);
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await dialog.locator('.badge.rotation-status.rolled_back').waitFor();
  for (const s of ['restore_secret', 'restart_again', 'delete_new_token']) {
    assert.equal(await dialog.locator(`li[data-step="${s}"]`).getAttribute('data-state'), 'done', s);
  }
  assert.match(await dialog.locator('.rotation-words').innerText(), /Rolled back: the secret holds the old token backend-token again/);
});

test('an interrupted rotation is listed at the top with Resume and Roll back', async () => {
  const interrupted: RotationView = {
    id: 'gpu-east-20261128T200000', backend: 'gpu-east', session: 'prod', context: 'prod-cluster',
    secret: 'osmo-operator/osmo-operator-token key token', newToken: 'backend-token-20270126', oldToken: 'backend-token',
    status: 'interrupted', rollingBack: false, running: false,
    steps: [
      { step: 'create_token', title: 'Create the new token', state: 'done', message: null },
      { step: 'write_secret', title: 'Write it into the secret', state: 'done', message: null },
      { step: 'restart_operator', title: 'Restart the operator', state: 'interrupted', message: null },
      { step: 'wait_for_heartbeat', title: 'Wait for the backend’s heartbeat', state: 'pending', message: null },
      { step: 'delete_old_token', title: 'Delete the old token', state: 'pending', message: null },
    ],
    words: 'Interrupted when the app stopped. The new token backend-token-20270126 is in the secret (the previous value is kept beside it), but the operator was not restarted. Resume it or roll it back.',
    failure: null, canRetry: true, canRollBack: true, startedAt: '2026-11-28T20:00:00.000Z', updatedAt: '2026-11-28T20:00:05.000Z',
    setAside: null, now: null,
  };
  const { page, calls } = await openTokens({ rotations: [interrupted] });
  const card = page.getByRole('region', { name: 'Rotation of gpu-east' });
  assert.match(await card.innerText(), /Interrupted: resume or roll back/);
  assert.match(await card.getByRole('alert').innerText(), /Interrupted when the app stopped.*Resume it or roll it back/s);
  assert.equal(await card.locator('li[data-step="restart_operator"]').getAttribute('data-state'), 'interrupted');
  await card.getByRole('button', { name: 'Roll back' }).waitFor();
  await card.getByRole('button', { name: 'Resume' }).click();
  // Done, it moves to the finished rotations of this run.
  await page.getByText('Finished rotations of this run (1)').click();
  await card.locator('.badge.rotation-status.completed').waitFor();
  assert.deepEqual((await calls()).find((c) => c.cmd === 'retry_rotation')?.args, { id: interrupted.id });
});

test('tokens in use that need rotating: a count on the nav item and a dashboard banner with Rotate now', async () => {
  const needing: TokensNeedingRotationView = {
    count: 1, errors: [],
    tokens: [{ session: 'prod', owner: 'backend-token', name: 'backend-token', usedBy: ['gpu-east'], badge: 'expires_soon', words: 'expires in 3 days', expiresOn: day(3) }],
  };
  const { page } = await harness.open({ sessions, contexts, tokens: { views: { prod: structuredClone(view) }, needing } });
  const nav = page.getByRole('navigation', { name: 'Screens' });
  await nav.getByLabel('1 tokens in use need rotating').waitFor();
  const banner = page.getByRole('status', { name: 'Tokens needing rotation' });
  assert.match(await banner.innerText(), /1 token in use needs rotating.*backend-token \(prod\): expires in 3 days.*; used by gpu-east/s);
  await banner.getByRole('button', { name: 'Rotate now' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate a backend’s token' });
  await dialog.getByLabel('Backend', { exact: true }).waitFor();
  assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), 'Tokens');
  await page.waitForFunction(() => document.querySelector('dialog select')?.closest('dialog') !== null);
  assert.equal(await dialog.getByLabel('Backend', { exact: true }).inputValue(), 'gpu-east');
});

test('a running rotation can be stopped; it then waits for Retry this step or Roll back', async () => {
  const { page, calls } = await openTokens({ slowStep: 'wait_for_heartbeat' });
  await page.locator('tr[data-token="backend-token"]').getByRole('button', { name: 'Rotate gpu-east…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate a backend’s token' });
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click();
  await dialog.locator('li[data-step="wait_for_heartbeat"][data-state="running"]').waitFor();
  await dialog.getByRole('button', { name: 'Stop' }).click();
  await dialog.locator('li[data-step="wait_for_heartbeat"][data-state="failed"]').waitFor();
  assert.match(await dialog.locator('li[data-step="wait_for_heartbeat"]').innerText(), /The operation was cancelled/);
  await dialog.getByRole('button', { name: 'Retry this step' }).waitFor();
  await dialog.getByRole('button', { name: 'Roll back' }).waitFor();
  assert.equal(await dialog.getByRole('button', { name: 'Stop' }).count(), 0);
  assert.deepEqual((await calls()).find((c) => c.cmd === 'cancel_operation')?.args, {
    operation: { kind: 'rotation', backend: { service: 'prod', backend: 'gpu-east' } },
  });
});

// 6.2+: tokens belong to users. svc-east owns two, svc-west one; ana's own (personal) token; svc-idle owns none.
const view62: TokensView = {
  session: 'prod', dialect: '6.2+', warningDays: 7, today: TODAY, useNotes: [], backends: ['gpu-east', 'gpu-west'],
  rows: [
    tokenRow('east-a', 30, 'fine', 'expires in 30 days', [], { owner: 'svc-east', kind: 'service_account' }),
    tokenRow('east-b', 5, 'expires_soon', 'expires in 5 days', ['gpu-east'], { owner: 'svc-east', kind: 'service_account' }),
    tokenRow('laptop', 60, 'fine', 'expires in 60 days', [], {
      owner: 'ana', kind: 'own', roles: ['osmo-admin', 'osmo-user'], description: 'Laptop scripts',
    }),
    tokenRow('west-a', 100, 'fine', 'expires in 100 days', [], { owner: 'svc-west', kind: 'service_account', description: 'Nightly jobs' }),
  ],
};
const accounts62: TokensMock['accounts'] = {
  prod: [
    { id: 'svc-east', createdBy: 'ana', createdAt: '2026-01-05T10:00:00Z' },
    { id: 'svc-west', createdBy: null, createdAt: null },
    { id: 'svc-idle', createdBy: 'bo', createdAt: '2026-02-01T08:30:00Z' },
  ],
};
const open62 = (tokens: Partial<TokensMock> = {}) =>
  openTokens({ views: { prod: structuredClone(view62) }, accounts: structuredClone(accounts62), ...tokens });
const shownNames = (page: OpenedPage['page']) =>
  page.locator('.tokens-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-token')));

test('missing roles: the create form offers to add them to the user, then creates with the same form', async () => {
  const { page, calls, errors } = await open62({ userRoles: { 'svc-east': ['osmo-backend'] } });
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: 'Create token' });
  await dialog.getByLabel('Service account (user)').fill('svc-east');
  await dialog.getByLabel('Token name').fill('east-c');
  await dialog.getByLabel('osmo-admin').check();
  await dialog.getByRole('button', { name: 'Create', exact: true }).click();

  const alert = dialog.locator('.missing-roles');
  await alert.waitFor();
  assert.match(await alert.innerText(), /User svc-east does not hold the role\(s\) osmo-admin; a token can only carry roles its user holds/);
  assert.doesNotMatch(await dialog.innerText(), /\brun\b|osmo (user|token) |\$ /i, 'no command to run by hand');
  assert.equal((await calls()).filter((c) => c.cmd === 'add_user_roles').length, 0, 'nothing added before asked');
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-missing-roles.png') });

  await alert.getByRole('button', { name: 'Add osmo-admin to svc-east and create' }).click();
  const shown = page.getByRole('dialog', { name: 'New token value' });
  await shown.getByRole('heading', { name: 'Token east-c created' }).waitFor();
  assert.equal(await shown.getByLabel('Token value').inputValue(), 'osmo-tok-9f8e7d6c5b4a');

  const sent = (await calls()).filter((c) => c.cmd === 'create_token' || c.cmd === 'add_user_roles');
  assert.deepEqual(sent.map((c) => c.cmd), ['create_token', 'add_user_roles', 'create_token']);
  assert.deepEqual(sent[1]?.args, { service: 'prod', user: 'svc-east', roles: ['osmo-admin'] });
  const form = { owner: 'svc-east', name: 'east-c', expiresAt: day(90), roles: ['osmo-backend', 'osmo-admin'], description: '', forOperator: true };
  assert.deepEqual(sent[0]?.args, { service: 'prod', form });
  assert.deepEqual(sent[2]?.args, { service: 'prod', form }, 'the same form again');
  await shown.getByRole('button', { name: 'Done' }).click();
  await page.locator('tr[data-token="east-c"]').waitFor();
  assert.deepEqual(errors, []);
});

test('service accounts: each user with its creator and how many listed tokens it owns; one line at 6.0/6.1', async () => {
  const { page, errors } = await open62();
  const section = page.getByRole('region', { name: 'Service accounts' });
  const account = (id: string) => section.locator(`tr[data-account="${id}"]`);
  await account('svc-east').waitFor();
  const text = async (id: string) => (await account(id).innerText()).replace(/\s+/g, ' ').trim();
  assert.match(await text('svc-east'), /^svc-east ana \S.* 2$/);
  assert.equal(await text('svc-west'), 'svc-west unknown unknown 1');
  assert.match(await text('svc-idle'), /^svc-idle bo \S.* 0$/);
  assert.equal(await account('svc-east').locator('td').nth(1).locator('time').getAttribute('title'), '2026-01-05 10:00 UTC');
  assert.equal(await section.locator('tbody tr').count(), 3);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-service-accounts.png'), fullPage: true });
  assert.deepEqual(errors, []);

  const old = await openTokens();
  await old.page.locator('.service-accounts-none').waitFor();
  assert.match(await old.page.locator('.service-accounts-none').innerText(), /none at OSMO 6\.0\/6\.1, where each service token owns itself/);
  assert.equal(await old.page.getByRole('region', { name: 'Service accounts' }).count(), 0, 'no section body');
  assert.equal(await old.page.locator('.service-accounts-table').count(), 0);
});

test('deleting a service account’s last token offers to delete the user, unticked; only a ticked box deletes it', async () => {
  const { page, calls } = await open62();
  const dialog = page.getByRole('dialog', { name: 'Delete token' });
  const alsoUser = dialog.getByLabel(/Also delete user/);
  const status = page.locator('.tokens-deleted');
  const userDeletes = async () => (await calls()).filter((c) => c.cmd === 'delete_service_account');

  // svc-east owns another token: no offer.
  await page.locator('tr[data-token="east-a"]').getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('heading', { name: 'Delete token east-a of svc-east?' }).waitFor();
  assert.equal(await alsoUser.count(), 0);
  await dialog.getByRole('button', { name: 'Delete token' }).click();
  await page.locator('tr[data-token="east-a"]').waitFor({ state: 'detached' });
  assert.equal(await status.innerText(), 'Token east-a of svc-east deleted.');
  assert.equal(await status.getAttribute('role'), 'status');

  // A personal token is never offered.
  await page.locator('tr[data-token="laptop"]').getByRole('button', { name: 'Delete' }).click();
  await dialog.getByRole('heading', { name: 'Delete token laptop of ana?' }).waitFor();
  assert.equal(await status.count(), 0, 'the next action clears the line');
  assert.equal(await alsoUser.count(), 0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // svc-west's only token: offered, left unticked, only the token goes.
  await page.locator('tr[data-token="west-a"]').getByRole('button', { name: 'Delete' }).click();
  assert.equal(await dialog.locator('label.checkbox').innerText(), 'Also delete user svc-west (it has no other token)');
  assert.equal(await alsoUser.isChecked(), false);
  await dialog.getByRole('button', { name: 'Delete token' }).click();
  await page.locator('tr[data-token="west-a"]').waitFor({ state: 'detached' });
  assert.equal(await status.innerText(), 'Token west-a of svc-west deleted.');
  assert.deepEqual(await userDeletes(), []);
  assert.deepEqual((await calls()).filter((c) => c.cmd === 'delete_token').at(-1)?.args, {
    service: 'prod', owner: 'svc-west', name: 'west-a', kind: 'service_account',
  });

  // east-b is now svc-east's last token: ticked, the user goes too.
  await page.locator('tr[data-token="east-b"]').getByRole('button', { name: 'Delete' }).click();
  await alsoUser.check();
  await dialog.getByRole('button', { name: 'Delete token and user' }).click();
  await status.filter({ hasText: 'User svc-east deleted.' }).waitFor();
  assert.equal(await status.innerText(), 'Token east-b of svc-east deleted. User svc-east deleted.');
  assert.deepEqual((await userDeletes()).map((c) => c.args), [{ service: 'prod', user: 'svc-east' }]);
  const order = (await calls()).map((c) => c.cmd).filter((c) => c === 'delete_token' || c === 'delete_service_account');
  assert.deepEqual(order.slice(-2), ['delete_token', 'delete_service_account'], 'the user after its token');
  await page.locator('tr[data-account="svc-east"]').waitFor({ state: 'detached' });
  assert.equal(await dialog.count(), 0);
});

test('when the user cannot be deleted, the dialog says the token was deleted but the user was not, with why', async () => {
  const { page, calls } = await open62({ userDeleteFails: 'User svc-west may not be deleted by ana.' });
  await page.locator('tr[data-token="west-a"]').getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete token' });
  await dialog.getByLabel('Also delete user svc-west (it has no other token)').check();
  await dialog.getByRole('button', { name: 'Delete token and user' }).click();
  await dialog.getByRole('heading', { name: 'Token west-a of svc-west deleted' }).waitFor();
  assert.match(await dialog.innerText(), /The token was deleted, but the user svc-west was not:\s+Not allowed\s+User svc-west may not be deleted by ana\./);
  await page.locator('tr[data-token="west-a"]').waitFor({ state: 'detached' });
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-user-not-deleted.png') });
  await dialog.getByRole('button', { name: 'Close' }).click();
  assert.equal(await page.locator('.tokens-deleted').innerText(), 'Token west-a of svc-west deleted.');
  assert.equal((await calls()).filter((c) => c.cmd === 'delete_service_account').length, 1);
});

test('the table sorts by expiry (soonest first), name and owner, with aria-sort on the active header', async () => {
  const { page } = await open62();
  const header = (name: string) => page.locator('.tokens-table thead th', { has: page.getByRole('button', { name, exact: true }) });
  const sortOf = async () => ({
    name: await header('Name').getAttribute('aria-sort'),
    expires: await header('Expires').getAttribute('aria-sort'),
    owner: await header('Owner').getAttribute('aria-sort'),
  });
  assert.deepEqual(await shownNames(page), ['east-b', 'east-a', 'laptop', 'west-a']);
  assert.deepEqual(await sortOf(), { name: 'none', expires: 'ascending', owner: 'none' });

  await header('Name').getByRole('button').click();
  assert.deepEqual(await shownNames(page), ['east-a', 'east-b', 'laptop', 'west-a']);
  assert.deepEqual(await sortOf(), { name: 'ascending', expires: 'none', owner: 'none' });
  await header('Name').getByRole('button').click();
  assert.deepEqual(await shownNames(page), ['west-a', 'laptop', 'east-b', 'east-a']);
  assert.equal(await header('Name').getAttribute('aria-sort'), 'descending');

  await header('Owner').getByRole('button').click();
  assert.deepEqual(await shownNames(page), ['laptop', 'east-a', 'east-b', 'west-a']);
  assert.deepEqual(await sortOf(), { name: 'none', expires: 'none', owner: 'ascending' });
  await header('Expires').getByRole('button').click();
  await header('Expires').getByRole('button').click();
  assert.deepEqual(await shownNames(page), ['west-a', 'laptop', 'east-a', 'east-b']);
  assert.equal(await header('Expires').getAttribute('aria-sort'), 'descending');
});

test('the search box filters by name, owner, role, description and used-by, with a live count', async () => {
  const { page } = await open62();
  const search = page.getByRole('searchbox', { name: 'Search tokens' });
  const count = page.locator('.tokens-search [role="status"]');
  assert.equal(await count.innerText(), '4 tokens');
  const cases: [string, string[]][] = [
    ['LAPTOP', ['laptop']], // name (any case)
    ['svc-east', ['east-b', 'east-a']], // owner
    ['osmo-user', ['laptop']], // role
    ['nightly', ['west-a']], // description
    ['gpu-east', ['east-b']], // used by
  ];
  for (const [needle, names] of cases) {
    await search.fill(needle);
    await page.waitForFunction((n) => document.querySelectorAll('.tokens-table tbody tr').length === n, names.length);
    assert.deepEqual(await shownNames(page), names, needle);
    assert.equal(await count.innerText(), `${names.length} of 4 tokens`, needle);
  }
  await search.fill('nothing-like-this');
  await page.getByText('No token matches.').waitFor();
  assert.equal(await count.innerText(), '0 of 4 tokens');
  await search.fill('');
  await page.waitForFunction(() => document.querySelectorAll('.tokens-table tbody tr').length === 4);
  assert.equal(await count.innerText(), '4 tokens');
});

test('names, owners and roles never break mid-word; the table scrolls sideways; Delete is quiet, Rotate leads', async () => {
  const long = 'backend-operator-token-for-the-gpu-east-cluster-20270126';
  const rows = [
    ...view62.rows,
    tokenRow(long, 12, 'fine', 'expires in 12 days', ['gpu-east'], {
      owner: 'svc-operators-of-the-east-region', kind: 'service_account', roles: ['osmo-backend', 'osmo-admin', 'osmo-user'],
    }),
  ];
  const { page } = await openTokens({ views: { prod: { ...structuredClone(view62), rows } }, accounts: structuredClone(accounts62) });
  await page.setViewportSize({ width: 760, height: 780 });
  const lines = (selector: string) =>
    page.locator(selector).evaluateAll((els) =>
      els.map((el) => {
        const range = document.createRange();
        range.selectNodeContents(el);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        return `${el.textContent}: ${tops.size}`;
      }),
    );
  const row = `tr[data-token="${long}"]`;
  assert.deepEqual(await lines(`${row} th`), [`${long}: 1`]);
  assert.deepEqual(await lines(`${row} .token-owner`), ['svc-operators-of-the-east-region: 1']);
  assert.deepEqual(await lines(`${row} .token-word`), ['osmo-backend: 1', 'osmo-admin: 1', 'osmo-user: 1', 'gpu-east: 1']);
  assert.deepEqual(await lines(`${row} .when-part`), ['expires in 12 days: 1', `(${day(12)}): 1`]);
  assert.deepEqual(await lines('tr[data-token="laptop"] .token-owner'), ['ana · personal: 1']);
  const scroll = await page.locator('.tokens-table-scroll').first().evaluate((el) => [el.scrollWidth, el.clientWidth]);
  assert.ok(scroll[0]! > scroll[1]!, `the table scrolls sideways (${scroll.join(' > ')})`);
  await page.screenshot({ path: path.join(screenshotDir, 'tokens-narrow.png') });

  const actions = page.locator(row);
  const rotate = actions.getByRole('button', { name: 'Rotate gpu-east…' });
  const del = actions.getByRole('button', { name: 'Delete' });
  assert.equal(await rotate.getAttribute('class'), 'primary');
  assert.equal(await del.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgba(0, 0, 0, 0)', 'an outlined Delete');
});

test('rotating a backend whose token is unknown says so plainly', async () => {
  const backends = ['gpu-east', 'gpu-west', 'gpu-north'];
  const { page } = await openTokens({ views: { prod: { ...structuredClone(view), backends } } });
  await page.getByRole('button', { name: 'Rotate a backend’s token…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Rotate a backend’s token' });
  const note = dialog.locator('#rotate-backend-uses');
  await dialog.getByLabel('Backend', { exact: true }).selectOption('gpu-north');
  assert.equal(
    await note.innerText(),
    'The app does not know which token gpu-north uses now; the new token replaces whatever its Secret holds.',
  );
  await dialog.getByLabel('Backend', { exact: true }).selectOption('gpu-east');
  assert.equal(await note.innerText(), 'It uses backend-token (backend-token), expires in 3 days.');
});

test('an unreadable rotation journal is shown set aside with what the cluster shows, and forgotten only when the user says so', async () => {
  const unreadable: RotationView = {
    id: 'gpu-east-20261128T200000.json.unreadable-20261206T101500', backend: 'gpu-east', session: 'prod', context: 'prod-cluster',
    secret: 'osmo-operator/osmo-operator-token key token', newToken: 'backend-token-20270126', oldToken: 'backend-token',
    status: 'needs_you', rollingBack: false, running: false, steps: [],
    words: 'This rotation’s journal could not be read. The Secret holds backend-token-20270126 with the old value kept; both tokens exist.',
    failure: null, canRetry: false, canRollBack: false, startedAt: '2026-11-28T20:00:00.000Z', updatedAt: '2026-11-28T20:00:05.000Z',
    setAside: { file: '/data/rotations/gpu-east-20261128T200000.json.unreadable-20261206T101500', reason: 'EOF while parsing', blocks: true },
    now: {
      checkedAt: '2026-12-06T10:15:00Z', secretExists: true, secretHolder: 'backend-token-20270126', previousKept: true,
      tokensExisting: ['backend-token', 'backend-token-20270126'], tokensMissing: [], restartedAt: null, lastHeartbeat: null, notes: [],
    },
  };
  const { page, calls } = await openTokens({ rotations: [unreadable] });
  const card = page.getByRole('region', { name: 'Rotation of gpu-east' });
  await card.waitFor();
  const text = await card.innerText();
  assert.match(text, /Needs you: its journal could not be read/);
  assert.match(text, /kept as \/data\/rotations\/gpu-east-20261128T200000\.json\.unreadable-20261206T101500/);
  assert.match(text, /A new rotation of gpu-east waits until you have checked/);
  assert.match(await card.getByRole('definition').first().innerText(), /present, holds backend-token-20270126, previous value kept/);
  await card.getByRole('button', { name: 'I have checked: forget it' }).click();
  await card.waitFor({ state: 'detached' });
  assert.deepEqual((await calls()).find((c) => c.cmd === 'resolve_rotation')?.args, { id: unreadable.id });
});
