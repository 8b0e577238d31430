// The Connections screen's OSMO services, in a real browser with mocked IPC: adding a service
// (a wrong URL, a page that is not OSMO), signing in (a wrong token first), sign out, the CLI
// import offer, a device-code prompt and the states a session can be in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { SessionView, SessionsView } from '../../src/ipc/bindings.gen';
import { DEFAULT_STATE } from './default-state';
import { startHarness, screenshotDir, type Harness } from './harness';
import type { MockState } from './mock-backend';
import type { OsmoService } from './mocks/sessions';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

const PROD = 'https://osmo.example.com';
const OSMO_SERVICES: Record<string, OsmoService> = {
  [PROD]: {
    version: '6.4.0', dialect: '6.2+', token: 'good-token', user: 'svc-admin', roles: ['osmo-admin'],
    methods: { accessToken: true, deviceCode: true, development: false },
  },
};

async function openServices(state: Partial<MockState> = {}) {
  const opened = await harness.open({ osmoServices: OSMO_SERVICES, ...state });
  await opened.page.keyboard.press('Alt+1');
  const panel = opened.page.getByRole('region', { name: 'OSMO services', exact: true });
  await panel.waitFor();
  return { ...opened, panel };
}

test('add a service, refuse a bad URL and a wrong token, then sign in and sign out', async () => {
  const { page, panel, errors, calls } = await openServices();
  await panel.getByText('No OSMO service yet').waitFor();
  await panel.getByRole('button', { name: 'Add service' }).click();
  const add = page.getByRole('dialog', { name: 'Add an OSMO service' });
  await add.getByLabel('Name').fill('production');
  await add.getByLabel('URL').fill('osmo.example.com');
  await add.getByRole('button', { name: 'Add service' }).click();
  assert.match(await add.getByRole('alert').innerText(), /is not a service URL: enter one like https:\/\/osmo\.example\.com/);

  await add.getByLabel('URL').fill('https://intranet.example.com');
  await add.getByRole('button', { name: 'Add service' }).click();
  await add.getByText(/HTML page instead of the OSMO API/).waitFor();

  await add.getByLabel('URL').fill(`${PROD}/`);
  await add.getByRole('button', { name: 'Add service' }).click();
  const signIn = page.getByRole('dialog', { name: 'Sign in to production' });
  await signIn.waitFor();
  assert.equal(await page.getByRole('dialog', { name: 'Add an OSMO service' }).isVisible(), false);
  assert.equal(await signIn.getByLabel('Access token', { exact: true }).isChecked(), true);
  assert.equal(await signIn.getByLabel('OSMO access token').getAttribute('type'), 'password');

  await signIn.getByLabel('OSMO access token').fill('wrong-token');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  const refused = signIn.getByRole('alert');
  await refused.waitFor();
  assert.equal(await refused.getAttribute('data-code'), 'unauthorized');
  assert.match(await refused.innerText(), /does not know this access token/);
  await page.screenshot({ path: path.join(screenshotDir, 'sessions-wrong-token.png') });

  await signIn.getByLabel('OSMO access token').fill('good-token');
  await signIn.getByRole('button', { name: 'Sign in' }).click();
  await signIn.waitFor({ state: 'detached' });
  const row = panel.getByRole('listitem', { name: 'OSMO service production' });
  await row.getByText('signed in', { exact: true }).waitFor();
  const text = await row.innerText();
  assert.match(text, /https:\/\/osmo\.example\.com · OSMO 6\.4\.0 \(API 6\.2\+\)/);
  assert.match(text, /Signed in as svc-admin \(osmo-admin\) with an access token since/);
  assert.match(text, /Remembered in the system keyring/);
  await page.screenshot({ path: path.join(screenshotDir, 'sessions-signed-in.png') });

  // The token crossed IPC only as the sign-in argument.
  const sent = (await calls()).filter((c) => JSON.stringify(c.args ?? {}).includes('good-token'));
  assert.deepEqual(sent.map((c) => c.cmd), ['sign_in_with_token']);

  await row.getByRole('button', { name: 'Sign out' }).click();
  const signOut = page.getByRole('dialog', { name: 'Sign out of production' });
  assert.equal(await signOut.getByLabel('Keep production in the list, signed out').isChecked(), true);
  await signOut.getByRole('button', { name: 'Sign out' }).click();
  await row.getByText('not signed in', { exact: true }).waitFor();
  await row.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog', { name: 'Sign out of production' }).getByRole('button', { name: 'Remove' }).click();
  await panel.getByText('No OSMO service yet').waitFor();
  assert.deepEqual(errors, []);
});

/** A listed service, named (and so identified) by `name`. */
function service({ name = 'prod', ...overrides }: Partial<SessionView>): SessionView {
  return {
    id: name, name, url: PROD, hasCustomCa: false, forThisRunOnly: false, version: '6.4.0', dialect: '6.2+', dialectEvidence: null,
    methods: { accessToken: true, deviceCode: true, development: false },
    status: { state: 'signed_out' }, keyring: { state: 'nothing_to_keep' }, deviceCode: null, deviceCodeError: null,
    ...overrides,
  };
}

test('each session state says what happened and what to do', async () => {
  const sessions: SessionsView = {
    sessions: [
      service({ name: 'expired', status: { state: 'sign_in_again', reason: 'the access token expired on 2026-11-20.' }, keyring: { state: 'saved' } }),
      service({ name: 'locked', status: { state: 'keyring_unavailable', message: 'The saved sign-in could not be read. The system keyring is not available (locked). Unlock it. Then choose "Try again".' } }),
      service({ name: 'down', status: { state: 'unreachable', code: 'unreachable', message: 'Could not reach the OSMO service for GET osmo.example.com/api/version: connection refused.' } }),
      service({ name: 'sandbox-6.4', forThisRunOnly: true, status: { state: 'signed_in', user: 'sandbox-admin', roles: [], method: 'development', since: '2026-11-28T20:00:00Z', until: null } }),
      service({
        name: 'sso', keyring: { state: 'not_saved', message: 'Signed in for this run only: the keyring is locked.' },
        deviceCode: { userCode: 'WXYZ-1234', verificationUri: 'https://idp.example.com/device', verificationUriComplete: null, message: null, expiresAt: '2026-11-28T21:00:00Z' },
      }),
    ],
    cliLogin: { path: '/home/admin/.config/osmo/login.yaml', url: 'https://cli.example.com', user: 'alice', method: 'access_token', existingService: null },
    cliLoginError: null,
  };
  // The running sandbox lends sandbox-6.4: its view names the sandbox's services.
  const { page, panel, errors, calls } = await openServices({ sessions, sandbox: DEFAULT_STATE.sandboxWhenStarted });
  const row = (name: string) => panel.getByRole('listitem', { name: `OSMO service ${name}` });
  await row('expired').waitFor();
  assert.match(await row('expired').innerText(), /sign in again[\s\S]*Sign in again\s+the access token expired/);
  assert.equal(await row('expired').getByRole('button', { name: 'Sign in again' }).isVisible(), true);
  assert.match(await row('locked').innerText(), /keyring locked[\s\S]*Unlock it/);
  assert.equal(await row('down').getByRole('alert').getAttribute('data-code'), 'unreachable');
  await row('down').getByRole('button', { name: 'Try again' }).click();
  assert.match(await row('sandbox-6.4').innerText(), /sandbox[\s\S]*Signed in as sandbox-admin with development mode/);
  assert.equal(await row('sandbox-6.4').getByRole('button').count(), 0, 'sandbox sessions come and go with the sandbox');

  const device = row('sso').getByRole('status', { name: 'Device code sign-in to sso' });
  assert.match(await device.innerText(), /Enter the code WXYZ-1234 at https:\/\/idp\.example\.com\/device/);
  await device.getByRole('button', { name: 'Open the sign-in page' }).click();
  assert.match(await row('sso').innerText(), /Signed in for this run only/);

  const cli = panel.getByRole('group', { name: 'OSMO CLI sign-in' });
  assert.match(await cli.innerText(), /The OSMO CLI is signed in to https:\/\/cli\.example\.com as alice/);
  assert.equal(await cli.getByLabel('Name').inputValue(), 'cli');
  await page.screenshot({ path: path.join(screenshotDir, 'sessions-states.png'), fullPage: true });

  const sent = await calls();
  assert.ok(sent.some((c) => c.cmd === 'retry_service' && c.args.service === 'down'));
  assert.ok(sent.some((c) => c.cmd === 'open_in_browser' && c.args.url === 'https://idp.example.com/device'));
  assert.deepEqual(errors, []);
});
