// The real app binary in a real window (Xvfb), driven through tauri-driver + WebKitWebDriver.
// Needs OSMO_ADMIN_BINARY (built with the custom-protocol feature) and a DISPLAY; scripts/test.sh
// provides both and runs this under dbus-run-session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, launchTauriDriver } from './webdriver.js';

const IDENTIFIER = 'io.github.osmo-backend-admin';
const binary = process.env.OSMO_ADMIN_BINARY;
const screenshots = fileURLToPath(new URL('./screenshots', import.meta.url));
const home = mkdtempSync(path.join(tmpdir(), 'osmo-admin-e2e-'));
const xdg = {
  XDG_CONFIG_HOME: path.join(home, 'config'),
  XDG_DATA_HOME: path.join(home, 'data'),
  XDG_CACHE_HOME: path.join(home, 'cache'),
};
const settingsFile = path.join(xdg.XDG_CONFIG_HOME, IDENTIFIER, 'settings.json');
// The app reads these instead of the user's own kubeconfig: KUBECONFIG=a.yaml:broken.yaml:b.yaml.
const kubeDir = path.join(home, 'kube');
const logDir = path.join(xdg.XDG_DATA_HOME, IDENTIFIER, 'logs');

let driverProcess;
let driver;

/** Renders a kubeconfig file (kept for tests that edit the files while the app runs). */
let kubeconfigText;

/** Two kubeconfig files defining `shared` (the first wins) and a broken one between them. */
function writeKubeconfigs(closedPort) {
  mkdirSync(kubeDir, { recursive: true });
  const config = (contexts, current, suffix) =>
    `apiVersion: v1
kind: Config
clusters:
- name: local${suffix}
  cluster:
    server: https://127.0.0.1:${closedPort}
users:
- name: dev${suffix}
  user:
    token: dev-token
contexts:
${contexts.map((name) => `- name: ${name}\n  context: {cluster: local${suffix}, user: dev${suffix}}`).join('\n')}
current-context: ${current}
`;
  const a = path.join(kubeDir, 'a.yaml');
  const broken = path.join(kubeDir, 'broken.yaml');
  const b = path.join(kubeDir, 'b.yaml');
  kubeconfigText = config;
  writeFileSync(a, config(['local-dev', 'shared'], 'local-dev', ''));
  writeFileSync(broken, 'apiVersion: v1\nkind: Config\ncontexts:\n- {name: x, context: {cluster: c\n');
  writeFileSync(b, config(['shared', 'team-b'], 'team-b', '-b'));
  return [a, broken, b].join(':');
}

before(async () => {
  assert.ok(binary && existsSync(binary), `OSMO_ADMIN_BINARY must name the built app, got ${binary}`);
  assert.ok(process.env.DISPLAY, 'a DISPLAY is needed (scripts/test.sh starts Xvfb)');
  mkdirSync(screenshots, { recursive: true });
  const kubeconfig = writeKubeconfigs(await freePort());
  ({ driver, process: driverProcess } = await launchTauriDriver({ ...xdg, KUBECONFIG: kubeconfig }));
});

after(async () => {
  await driver?.quit();
  driverProcess?.kill();
});

async function startApp(args = []) {
  await driver.quit();
  await driver.start(binary, args);
  await driver.waitFor('return document.querySelector("h1")?.textContent', 20_000);
}

test('the window opens on the shell with every screen, under the strict CSP', async () => {
  await startApp();
  assert.equal(await driver.title(), 'OSMO Backend Admin');
  assert.equal(await (await driver.find('h1')).text(), 'Dashboard');
  const nav = await driver.execute(
    'return [...document.querySelectorAll("nav[aria-label=Screens] button")].map((b) => b.textContent)',
  );
  assert.deepEqual(nav, ['Connections', 'Dashboard', 'Tokens', 'Setup', 'History', 'Settings']);
  assert.equal(await driver.execute('return typeof window.__TAURI__'), 'undefined', 'withGlobalTauri is off');
  const evalResult = await driver.execute('try { eval("1"); return "eval ran"; } catch (e) { return e.name; }');
  assert.equal(evalResult, 'EvalError', 'the CSP forbids eval');
  const shot = await driver.screenshot();
  writeFileSync(path.join(screenshots, 'dashboard.png'), shot);
});

test('About shows the version and the real folders, and the log file is there', async () => {
  await (await driver.find('.sidebar-footer button:nth-child(2)')).click();
  const logText = await (await driver.find('[data-testid=about-log-dir]')).text();
  assert.equal(logText, logDir);
  assert.match(await (await driver.find('[data-testid=about-version]')).text(), /^0\.1\.0 \(/);
  writeFileSync(path.join(screenshots, 'about.png'), await driver.screenshot());
  const logs = readdirSync(logDir);
  assert.ok(logs.some((name) => name.startsWith('osmo-backend-admin') && name.endsWith('.log')), `${logs}`);
  const text = readFileSync(path.join(logDir, logs[0]), 'utf8');
  assert.match(text, /OSMO Backend Admin starting/);
  await driver.chord(['\uE00C']); // Escape closes the dialog
  await driver.waitFor('return !document.querySelector("dialog[open]")');
});

test('Ctrl+K opens the command palette and an action runs from it', async () => {
  await driver.chord(['\uE009', 'k']);
  const input = await driver.find('[cmdk-input]');
  await input.type('Go to Tokens');
  await driver.chord(['\uE007']); // Enter
  await driver.waitFor('return document.querySelector("h1")?.textContent === "Tokens"');
});

test('Settings: a wrong value is refused by the core, a good one is saved to disk', async () => {
  await driver.execute('[...document.querySelectorAll("nav button")].find((b) => b.textContent === "Settings").click()');
  const field = await driver.find('input[name=dashboardRefreshSecs]');
  await field.type('1');
  await (await driver.find('button[type=submit]')).click();
  const alert = await driver.find('.error[role=alert]');
  assert.match(await alert.text(), /between 2 and 3600 seconds, got 1/);
  assert.equal(existsSync(settingsFile), false, 'nothing was written');
  writeFileSync(path.join(screenshots, 'settings-error.png'), await driver.screenshot());

  await field.type('30');
  await (await driver.find('input[name=theme][value=dark]')).click();
  await (await driver.find('button[type=submit]')).click();
  await driver.find('[role=status]');
  const saved = JSON.parse(readFileSync(settingsFile, 'utf8'));
  assert.deepEqual(saved, { schema_version: 1, theme: 'dark', dashboard_refresh_secs: 30 });
  assert.equal(await driver.execute('return document.documentElement.dataset.theme'), 'dark');
  writeFileSync(path.join(screenshots, 'settings-dark.png'), await driver.screenshot());
});

test('a corrupt settings file is moved aside with a visible notice, and the app still starts', async () => {
  writeFileSync(settingsFile, '{"schema_version": 1, "theme": ');
  await startApp();
  const notice = await driver.find('.notice');
  assert.match(await notice.text(), /could not be used \(invalid JSON/);
  const kept = readdirSync(path.dirname(settingsFile));
  assert.ok(kept.some((name) => name.startsWith('settings.json.corrupt-')), `${kept}`);
  writeFileSync(path.join(screenshots, 'notice.png'), await driver.screenshot());
});

test('started with --sandbox, the app says so and a simulated operator brings gpu-east online', async () => {
  await startApp(['--sandbox']);
  await driver.waitFor('return document.querySelector(".sandbox-label")', 60_000);
  assert.equal(await driver.title(), 'OSMO Backend Admin — Sandbox');
  // The native window's title too (set by the core once the sandbox has started).
  const nativeTitled = () => {
    try {
      return execFileSync('xdotool', ['search', '--name', 'OSMO Backend Admin — Sandbox']).toString().trim() !== '';
    } catch {
      return false;
    }
  };
  const deadline = Date.now() + 10_000;
  while (!nativeTitled() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  assert.ok(nativeTitled(), 'the window title says Sandbox');
  await driver.execute('[...document.querySelectorAll("nav button")].find((b) => b.textContent === "Connections").click()');
  // Both services, with gpu-east online through its simulated operator (the sandbox polls every 2 s).
  await driver.waitFor(
    `const services = [...document.querySelectorAll("article.sandbox-service")];
     return services.length === 2 && services.every((s) =>
       [...s.querySelectorAll("tbody tr")].some((r) => /gpu-east\\s+online.*connected/s.test(r.innerText)));`,
    60_000,
  );
  const offline = await driver.execute(
    'return [...document.querySelectorAll("article.sandbox-service tbody tr")].filter((r) => /offline/.test(r.innerText)).map((r) => r.cells[0].innerText)',
  );
  assert.deepEqual(offline, ['dgx-lab', 'dgx-lab']);
  writeFileSync(path.join(screenshots, 'sandbox.png'), await driver.screenshot());
});

test('Connections lists the kubeconfig contexts, names the broken file, and a test of a closed port fails plainly', async () => {
  // Without the sandbox, whose cluster would add its context osmo-sandbox for the run.
  await startApp();
  await driver.execute('[...document.querySelectorAll("nav button")].find((b) => b.textContent === "Connections").click()');
  await driver.waitFor('return document.querySelectorAll("tr[data-context]").length === 3', 20_000);
  const names = await driver.execute('return [...document.querySelectorAll("tr[data-context]")].map((r) => r.dataset.context)');
  assert.deepEqual(names, ['local-dev', 'shared', 'team-b']);
  const shared = await driver.execute('return document.querySelector("tr[data-context=shared]").innerText');
  assert.match(shared, /duplicate/);
  assert.match(shared, new RegExp(`also in ${path.join(kubeDir, 'b.yaml')}`));
  const problem = await (await driver.find('.file-problems .error')).text();
  assert.match(problem, new RegExp(`${path.join(kubeDir, 'broken.yaml')} line \\d+`));
  assert.equal(await driver.execute('return document.body.innerText.includes("dev-token")'), false);

  await driver.execute('document.querySelector("button[aria-label=\'Test local-dev\']").click()');
  await driver.waitFor('return document.querySelector(".test-row .error[data-code=unreachable]")', 20_000);
  const error = await (await driver.find('.test-row .error')).text();
  assert.match(error, /could not be reached.*connection refused/is);
  writeFileSync(path.join(screenshots, 'connections.png'), await driver.screenshot());
});

test('a kubeconfig edited on disk while the app runs shows up without Reload (the core watches the files)', async () => {
  // Still on Connections from the test before. Fix the broken file the way an editor would:
  // write a temporary file and rename it over the old one.
  const broken = path.join(kubeDir, 'broken.yaml');
  const tmp = path.join(kubeDir, '.broken.yaml.swp');
  writeFileSync(tmp, kubeconfigText(['fixed-in-an-editor'], 'fixed-in-an-editor', '-c'));
  renameSync(tmp, broken);
  await driver.waitFor('return document.querySelector("tr[data-context=fixed-in-an-editor]")', 10_000);
  assert.equal(await driver.execute('return document.querySelectorAll(".file-problems .error").length'), 0);
});

/** Starts the simulated OSMO service binary; resolves with its URL, seeded tokens and process. */
function startOsmoSim(args) {
  const simBinary = process.env.OSMO_SIM_BINARY ?? path.join(path.dirname(binary), 'osmo-sim');
  assert.ok(existsSync(simBinary), `the osmo-sim binary is needed at ${simBinary} (cargo build -p osmo-sim)`);
  const child = spawn(simBinary, [...args, '--exit-on-stdin-close'], { stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const lines = out.split('\n');
      if (lines.length >= 3) {
        const tokens = JSON.parse(lines[1]).seeded_tokens;
        resolve({ url: lines[0].trim(), tokens, stop: () => child.stdin.end() });
      }
    });
  });
}

const click = (selector) => driver.execute(`document.querySelector(${JSON.stringify(selector)}).click()`);
const clickButton = (text, within = 'body') =>
  driver.execute(
    `[...document.querySelector(${JSON.stringify(within)}).querySelectorAll("button")].find((b) => b.textContent === ${JSON.stringify(text)}).click()`,
  );

test('left open with no file changing, the app reads no kubeconfig file for 30 s', async () => {
  const files = ['a.yaml', 'broken.yaml', 'b.yaml'].map((name) => path.join(kubeDir, name));
  // Let the edit of the test before settle, then record every open and read of the files.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const monitor = spawn('inotifywait', ['-m', '-q', '-e', 'open', '-e', 'access', '--format', '%w %e', ...files], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let seen = '';
  monitor.stdout.on('data', (chunk) => {
    seen += chunk;
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    assert.equal(seen, '', `kubeconfig files were read while nothing changed:\n${seen.split('\n').slice(0, 20).join('\n')}`);
    // The monitor does see the app's reads: a real change is read (at least once).
    writeFileSync(files[0], kubeconfigText(['local-dev', 'shared', 'touched'], 'local-dev', ''));
    const deadline = Date.now() + 10_000;
    while (!seen.includes('a.yaml') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.match(seen, /a\.yaml (OPEN|ACCESS)/, 'a changed file is read');
  } finally {
    monitor.kill();
  }
});

test('an OSMO service is added, a wrong token refused, the right one signed in, kept in the keyring and resumed after a restart', async () => {
  const sim = await startOsmoSim(['--dialect', '6.4', '--require-auth', '--default-admin', 'admin']);
  const token = sim.tokens.find((t) => t.name === 'default-admin-token').value;
  try {
    await startApp();
    await clickButton('Connections', 'nav');
    await clickButton('Add service', '.sessions');
    await (await driver.find('dialog[open] input[name=name]')).type('e2e-osmo');
    await (await driver.find('dialog[open] input[name=url]')).type(sim.url);
    await click('dialog[open] button[type=submit]');
    await driver.waitFor('return document.querySelector("dialog[open]")?.getAttribute("aria-label") === "Sign in to e2e-osmo"', 15_000);

    // The simulator names no identity provider, so development mode is offered first; use a token.
    await click('dialog[open] input[name=method]');
    await (await driver.find('dialog[open] input[name=token]')).type('not-a-token');
    await click('dialog[open] button[type=submit]');
    const refused = await driver.waitFor('return document.querySelector("dialog[open] .error[data-code=unauthorized]")?.innerText', 15_000);
    assert.match(refused, /Could not sign in to e2e-osmo/);
    writeFileSync(path.join(screenshots, 'sign-in-refused.png'), await driver.screenshot());

    await (await driver.find('dialog[open] input[name=token]')).type(token);
    await click('dialog[open] button[type=submit]');
    const row = 'li[data-service=e2e-osmo]';
    const signedIn = await driver.waitFor(`return document.querySelector("${row}")?.innerText.includes("Signed in as admin") && document.querySelector("${row}").innerText`, 15_000);
    assert.match(signedIn, /OSMO 6\.4\.\d+ \(API 6\.2\+\)/);
    assert.match(signedIn, /Remembered in the system keyring/);
    writeFileSync(path.join(screenshots, 'signed-in.png'), await driver.screenshot());
    const saved = readFileSync(settingsFile, 'utf8');
    assert.ok(saved.includes('"e2e-osmo"') && saved.includes('access_token'), saved);
    assert.ok(!saved.includes(token), 'the settings file holds no token');
    assert.equal(await driver.execute(`return document.body.innerHTML.includes(${JSON.stringify(token)})`), false);

    // A restart resumes the session from the keyring.
    await startApp();
    await clickButton('Connections', 'nav');
    await driver.waitFor(`return document.querySelector("${row}")?.innerText.includes("Signed in as admin")`, 20_000);
  } finally {
    sim.stop();
  }
});

/** Clicks the dashboard row of `session`/`backend` (rows render only while in view: search first). */
async function openBackend(session, backend) {
  await driver.execute(`
    const input = document.querySelector('input[type=search]');
    const set = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set;
    set.call(input, ${JSON.stringify(backend)});
    input.dispatchEvent(new Event('input', { bubbles: true }));`);
  const row = `[...document.querySelectorAll('.bt-data')].find((r) => r.innerText.includes(${JSON.stringify(backend)}) && r.innerText.includes(${JSON.stringify(session)}))`;
  await driver.waitFor(`return ${row}`, 15_000);
  await driver.execute(`${row}.click()`);
  await driver.waitFor('return document.querySelector("dialog[open][aria-label=\'Backend detail\'] section[aria-label=Fields]")', 15_000);
}

test('the dashboard in the sandbox: backends of both services live, why dgx-lab is offline, and gpu-east’s scheduler settings saved', async () => {
  await startApp(['--sandbox']);
  const pageShown = Date.now();
  await clickButton('Dashboard', 'nav');
  // Both sandbox services are polled: their backends show, dgx-lab offline (its token expired).
  // They do not wait for the sandbox's local cluster, which starts in the background.
  await driver.waitFor(
    `const text = document.querySelector('[role=table][aria-label=Backends]')?.innerText ?? '';
     return text.includes('sandbox-6.0') && text.includes('sandbox-6.4') && text.includes('dgx-lab')`,
    60_000,
  );
  console.log(`# the sandbox's backends on the dashboard ${((Date.now() - pageShown) / 1000).toFixed(1)} s after the window showed its page`);
  writeFileSync(path.join(screenshots, 'dashboard-sandbox.png'), await driver.screenshot());

  await openBackend('sandbox-6.4', 'dgx-lab');
  await clickButton('Why is it offline?', 'dialog[open]');
  const checks = await driver.waitFor(
    'return document.querySelector("ol[aria-label=Checks]")?.innerText',
    30_000,
  );
  assert.match(checks, /heartbeat/i);
  const failing = await driver.execute('return document.querySelector("ol[aria-label=Checks] [aria-current=step]")?.innerText');
  assert.ok(failing, `a first failing check is marked: ${checks}`);
  writeFileSync(path.join(screenshots, 'why-offline.png'), await driver.screenshot());
  await driver.chord(['\uE00C']);
  await driver.waitFor('return !document.querySelector("dialog[open]")');

  // The scheduler editor on the 6.0 service: the guide's KAI settings, reviewed and saved.
  await openBackend('sandbox-6.0', 'cpu-batch');
  await clickButton('Scheduler settings…', 'dialog[open]');
  await driver.waitFor('return document.querySelector("#scheduler-scheduler_type")', 20_000);
  await clickButton('Use the guide’s KAI settings', '.scheduler-editor');
  await clickButton('Review the change', '.scheduler-editor');
  await driver.waitFor('return document.querySelector("table[aria-label=\'Changes to save\']")', 15_000);
  await (await driver.find('.scheduler-save input[name=description]')).type('KAI as in the guide (e2e)');
  await click('.scheduler-save button[type=submit]');
  const saved = await driver.waitFor(
    'return [...document.querySelectorAll(".scheduler-editor [role=status]")].map((e) => e.innerText).find((t) => t.startsWith("Saved."))',
    20_000,
  );
  assert.match(saved, /cpu-batch now has: type kai, name kai-scheduler, coscheduling on, timeout 30 s/);
  writeFileSync(path.join(screenshots, 'scheduler-saved.png'), await driver.screenshot());
});

/** Records the desktop notifications sent on the session bus (no notification daemon runs under
 * Xvfb: the call is what the app controls). */
function watchNotifications() {
  const monitor = spawn('dbus-monitor', ['--session', "interface='org.freedesktop.Notifications'"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let bus = '';
  monitor.stdout.on('data', (chunk) => {
    bus += chunk;
  });
  return { text: () => bus, stop: () => monitor.kill() };
}

/** Closes open dialogs with Escape. */
async function closeDialogs() {
  while (await driver.execute('return Boolean(document.querySelector("dialog[open]"))')) {
    await driver.chord(['\uE00C']);
  }
}

test('a backend that goes offline is announced on the desktop and in the app', async () => {
  const monitor = watchNotifications();
  try {
    await closeDialogs();
    await clickButton('Connections', 'nav');
    const service = await driver.waitFor(
      'return document.querySelector("li[data-service=\'sandbox-6.4\']")?.innerText',
      20_000,
    );
    const url = service.match(/http:\/\/127\.0\.0\.1:\d+/)[0];
    await clickButton('Dashboard', 'nav');
    // The sandbox keeps cpu-batch alive; stop that and make its last heartbeat 10 minutes old.
    const post = (path, body) =>
      fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal((await post('/__sim/backends/cpu-batch/keep_alive', { enabled: false })).status, 200);
    const old = new Date(Date.now() - 600_000).toISOString().slice(0, 19);
    assert.equal((await post('/__sim/backends/cpu-batch/heartbeat', { time: old })).status, 200);
    await clickButton('Refresh now', 'main');
    const toast = await driver.waitFor(
      'return document.querySelector("[aria-label=\'Backend notifications\']")?.innerText',
      30_000,
    );
    assert.match(toast, /Backend cpu-batch \(sandbox-6\.4\) went offline/);
    const deadline = Date.now() + 10_000;
    while (!monitor.text().includes('went offline') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.match(monitor.text(), /member=Notify[\s\S]*string "Backend cpu-batch \(sandbox-6\.4\) went offline"/);
    writeFileSync(path.join(screenshots, 'went-offline.png'), await driver.screenshot());
  } finally {
    monitor.stop();
  }
});

test('in the sandbox, gpu-east’s token expiring in 5 days is announced, and Rotate now rotates it through the local cluster', async () => {
  // The token watch announces each token once per run: watch the bus from a fresh start.
  const monitor = watchNotifications();
  try {
    await startApp(['--sandbox']);
    await driver.waitFor('return document.querySelector(".sandbox-label")', 60_000);
    // The sandbox lends its cluster: gpu-east is linked, so its token is known to be in use.
    const deadline = Date.now() + 60_000;
    while (!/Token gpu-east-token \(sandbox-6\.0\) expires in 5 days/.test(monitor.text()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    assert.match(monitor.text(), /member=Notify[\s\S]*string "Token gpu-east-token \(sandbox-6\.0\) expires in 5 days \(\d{4}-\d\d-\d\d\); used by gpu-east\. Rotate it from the Tokens screen\."/);
    assert.match(monitor.text(), /Token gpu-east-token \(sandbox-6\.4\) expires in 5 days/);

    await clickButton('Dashboard', 'nav');
    const banner = await driver.waitFor(
      'return document.querySelector("[aria-label=\'Tokens needing rotation\']")?.textContent',
      30_000,
    );
    assert.match(banner, /gpu-east-token \(sandbox-6\.0\): expires in 5 days.*; used by gpu-east/);
    assert.match(
      await driver.execute('return document.querySelector("nav").innerText'),
      /Tokens\s*4/,
      'the Tokens nav item counts gpu-east’s and dgx-lab’s (expired) in both services',
    );
    writeFileSync(path.join(screenshots, 'tokens-expiring-banner.png'), await driver.screenshot());
    await driver.execute(`
      const item = [...document.querySelectorAll("[aria-label='Tokens needing rotation'] li")].find((li) => li.textContent.includes('gpu-east-token (sandbox-6.0)'));
      // The expired ones come first: this one may be behind "N more".
      item.closest('details')?.setAttribute('open', '');
      item.querySelector('button').click();`);
    // The form knows the backend, its linked context and namespace, and the token in use.
    await driver.waitFor('return document.querySelector("#rotate-backend")?.value === "gpu-east"', 20_000);
    await driver.waitFor(
      `return [...document.querySelectorAll("dialog[open] form select")].some((s) => s.value === "osmo-sandbox")`,
      20_000,
    );
    writeFileSync(path.join(screenshots, 'rotate-form-sandbox.png'), await driver.screenshot());
    const rotationStarted = Date.now();
    await click('dialog[open] form button[type=submit]');
    // Create, write the secret, restart the operator, wait for its heartbeat, delete the old token.
    const outcome = await driver.waitFor(
      `const status = document.querySelector("dialog[open] .rotation-status");
       return status && !status.classList.contains("running") ? status.className + " | " + document.querySelector("dialog[open] .rotation-live").innerText : null`,
      150_000,
    );
    writeFileSync(path.join(screenshots, 'rotation-sandbox-done.png'), await driver.screenshot());
    assert.match(outcome, /completed/, outcome);
    console.log(`# rotation of gpu-east in the sandbox: ${((Date.now() - rotationStarted) / 1000).toFixed(1)} s from Rotate to done`);
    const states = await driver.execute(
      'return [...document.querySelectorAll("dialog[open] li.step")].map((li) => li.dataset.step + "=" + li.dataset.state)',
    );
    assert.deepEqual(states, [
      'create_token=done',
      'write_secret=done',
      'restart_operator=done',
      'wait_for_heartbeat=done',
      'delete_old_token=done',
    ]);

    // The Tokens screen: the new token is the one gpu-east uses, the old one is gone.
    await clickButton('Close', 'dialog[open]');
    // The nav item carries the count ("Tokens2"), so it is found by its start.
    await driver.execute('[...document.querySelectorAll("nav button")].find((b) => b.textContent.startsWith("Tokens")).click()');
    const rows = await driver.waitFor(
      `const rows = [...document.querySelectorAll("tr[data-token]")].map((r) => r.innerText);
       return rows.some((r) => /gpu-east-token-\\d{8}/.test(r) && r.includes("gpu-east")) ? rows.join("\\n") : null`,
      30_000,
    );
    assert.ok(!/^gpu-east-token\s/m.test(rows), `the old token is gone:\n${rows}`);
    writeFileSync(path.join(screenshots, 'tokens-after-rotation.png'), await driver.screenshot());
  } finally {
    monitor.stop();
  }
});

/** Sets a React-controlled input or select to `value` (typing needs focus, which a select lacks). */
const setValue = (selector, value) =>
  driver.execute(`
    const el = document.querySelector(${JSON.stringify(selector)});
    const proto = el instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, ${JSON.stringify(value)});
    el.dispatchEvent(new Event(el instanceof HTMLSelectElement ? 'change' : 'input', { bubbles: true }));`);

test('in the sandbox, the Setup wizard sets up a new backend with no helm installed (the sandbox simulates it): five steps, online (KAI missing is a warning), linked, and a re-run changes nothing', async () => {
  if (!(await driver.execute('return Boolean(document.querySelector(".sandbox-label"))'))) {
    await startApp(['--sandbox']);
    await driver.waitFor('return document.querySelector(".sandbox-label")', 60_000);
  }
  await closeDialogs();
  await clickButton('Setup', 'nav');
  // The sandbox's session and its cluster's context (lent for the run).
  await driver.waitFor(
    `return [...document.querySelectorAll(".setup-choose select")].every((s) => s.options.length > 0)
       && [...document.querySelectorAll(".setup-choose select option")].some((o) => o.value === "osmo-sandbox")`,
    30_000,
  );
  await setValue('.setup-choose label:nth-of-type(1) select', 'sandbox-6.0');
  await setValue('.setup-choose label:nth-of-type(2) select', 'osmo-sandbox');
  await setValue('.setup-choose label:nth-of-type(3) input', 'gpu-new');
  await clickButton('Fill in the form', '.setup-choose');
  await driver.waitFor('return document.querySelector("#setup-operatorNamespace")', 15_000);
  await setValue('#setup-operatorNamespace', 'gpu-new-op');
  await setValue('#setup-workflowNamespace', 'gpu-new-wf');
  // The default helm path: the sandbox supplies its own simulated helm for its cluster.
  assert.equal(await driver.execute('return document.querySelector("#setup-helmPath").value'), 'helm');
  assert.equal(await driver.execute('return document.querySelector("#scheduler-scheduler_type").value'), 'kai');
  await clickButton('Test and check', '.setup-actions');
  const ready = await driver.waitFor(
    'return document.querySelectorAll(".setup-step").length === 5 ? document.querySelector(".setup-preflight h3").innerText : null',
    30_000,
  );
  assert.match(ready, /may do what setup needs/);
  writeFileSync(path.join(screenshots, 'setup-sandbox-checked.png'), await driver.screenshot());

  // Each step in turn: token, namespaces and secret, helm (simulated by the sandbox), scheduler, online.
  const setupStarted = Date.now();
  for (const step of ['token', 'cluster', 'operator', 'scheduler', 'online']) {
    await driver.waitFor(
      `const b = document.querySelector('.setup-step[data-step="${step}"] .setup-actions button'); return b && !b.disabled`,
      30_000,
    );
    await driver.execute(`document.querySelector('.setup-step[data-step="${step}"] .setup-actions button').click()`);
    const outcome = await driver.waitFor(
      `return document.querySelector('.setup-step[data-step="${step}"] .setup-outcome, .setup-step[data-step="${step}"] [role=alert]')?.innerText`,
      180_000,
    );
    const log = await driver.execute(`return document.querySelector('.setup-step[data-step="${step}"] .setup-log')?.innerText ?? ''`);
    // The sandbox cluster has no KAI: step 4 saves the settings and says so, as a warning.
    const expected = step === 'scheduler' ? /^Needs you: Scheduler kai is NOT installed/ : /^(Done|Already done)/;
    assert.match(outcome, expected, `step ${step}: ${outcome}\n${log}`);
    if (step === 'operator') {
      assert.match(log, /The sandbox simulates helm on its own cluster/, log);
      assert.match(log, /helm upgrade --install/, log);
      assert.match(outcome, /Simulated by the sandbox/, outcome);
    }
    if (step === 'online') assert.match(log, /Linked gpu-new to context osmo-sandbox \(operator namespace gpu-new-op\)/, log);
  }
  console.log(`# setup of gpu-new in the sandbox: ${((Date.now() - setupStarted) / 1000).toFixed(1)} s for the five steps`);
  await driver.execute('document.querySelector(".setup-step[data-step=operator]").scrollIntoView()');
  writeFileSync(path.join(screenshots, 'setup-sandbox-done.png'), await driver.screenshot());

  // Re-running is safe: the check finds every step done, nothing to do.
  await clickButton('Test and check', '.setup-actions');
  const statuses = await driver.waitFor(
    `const s = [...document.querySelectorAll(".setup-step")].map((e) => e.dataset.status);
     return s.length === 5 && s.every((x, i) => x === (i === 3 ? "partial" : "done")) ? s : null`,
    60_000,
  );
  assert.deepEqual(statuses, ['done', 'done', 'done', 'partial', 'done']);
  const summary = await driver.waitFor('return document.querySelector("section.setup-summary")?.innerText', 15_000);
  assert.match(summary, /gpu-new is online on sandbox-6\.0/);
  assert.match(summary, /4\. .*: partly done/);

  // The optional last step: a backend in no pool runs no workflow, so the wizard offers a pool.
  const noPool = await driver.waitFor('return document.querySelector("section.setup-pool .warning")?.innerText', 30_000);
  assert.match(noPool, /No pool runs on gpu-new/);
  await setValue('section.setup-pool #new-pool-name', 'gpu-new-pool');
  await clickButton('Create pool', 'section.setup-pool');
  const made = await driver.waitFor('return document.querySelector("section.setup-pool .pool-outcome")?.innerText', 30_000);
  assert.match(made, /Pool gpu-new-pool now runs on gpu-new\./);
  await driver.execute('document.querySelector("section.setup-pool").scrollIntoView()');
  writeFileSync(path.join(screenshots, 'setup-sandbox-pool.png'), await driver.screenshot());

  // The new backend is on the dashboard, online, and its detail lists the pool.
  await clickButton('Dashboard', 'nav');
  await driver.waitFor(
    `return [...document.querySelectorAll('.bt-data')].some((r) => r.innerText.includes('gpu-new') && /online/i.test(r.innerText))`,
    60_000,
  );
  await openBackend('sandbox-6.0', 'gpu-new');
  await driver.waitFor('return document.querySelector("dialog[open] [data-pool=gpu-new-pool]")', 20_000);
  await closeDialogs();
});

test('in the sandbox, an offline backend is deleted from its detail after its pool is named, and leaves the dashboard', async () => {
  if (!(await driver.execute('return Boolean(document.querySelector(".sandbox-label"))'))) {
    await startApp(['--sandbox']);
    await driver.waitFor('return document.querySelector(".sandbox-label")', 60_000);
  }
  await closeDialogs();
  await clickButton('Dashboard', 'nav');
  await openBackend('sandbox-6.4', 'dgx-lab');
  await clickButton('Delete backend…', 'dialog[open]');
  const top = '[...document.querySelectorAll("dialog[open]")].pop()';
  const plan = await driver.waitFor(
    `const t = ${top}.innerText; return /Pool research runs on it/.test(t) ? t : null`,
    20_000,
  );
  assert.match(plan, /It is offline/);
  writeFileSync(path.join(screenshots, 'delete-backend-plan.png'), await driver.screenshot());
  await driver.execute(`[...${top}.querySelectorAll("button")].find((b) => b.textContent === "Delete dgx-lab").click()`);
  const done = await driver.waitFor(`const t = ${top}.innerText; return /is deleted/.test(t) ? t : null`, 30_000);
  assert.match(done, /Deleted backend dgx-lab from sandbox-6\.4\./);
  assert.match(done, /research still names dgx-lab/);
  writeFileSync(path.join(screenshots, 'delete-backend-done.png'), await driver.screenshot());
  await closeDialogs();
  await driver.waitFor(
    `return ![...document.querySelectorAll('.bt-data')].some((r) => r.innerText.includes('dgx-lab') && r.innerText.includes('sandbox-6.4'))`,
    60_000,
  );
});
