// The three jobs admins open the app for, done the way a person does them: the real app in the sandbox,
// in a 1024x700 window under a window manager, every click made with the X pointer and every word typed on
// the X keyboard (xdotool). WebDriver only reads what the screen shows and takes the screenshots, which are
// kept under screenshots/journeys/<journey>/ for a person to look at (scripts/test.sh names the folder).
import { test, before, after } from 'node:test';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchTauriDriver } from './webdriver.js';
import { Desktop } from './desktop.js';

const binary = process.env.OSMO_ADMIN_BINARY;
const shots = fileURLToPath(new URL('./screenshots/journeys', import.meta.url));
const home = mkdtempSync(path.join(tmpdir(), 'osmo-admin-journeys-'));
// The sandbox's own Kubernetes cluster runs these binaries (built once by tests/cluster/build.sh); the app's
// cache folder below is a fresh one, so they are named explicitly.
const kubeBin =
  process.env.OSMO_ADMIN_KUBE_BIN ||
  path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'osmo-backend-admin', 'kube-1.20.2', 'bin');

let driverProcess;
let driver;
let desktop;

before(async () => {
  assert.ok(binary && existsSync(binary), `OSMO_ADMIN_BINARY must name the built app, got ${binary}`);
  assert.ok(existsSync(path.join(kubeBin, 'kube-apiserver')), `the sandbox's cluster needs kube-apiserver in ${kubeBin}`);
  assert.ok(process.env.DISPLAY, 'a DISPLAY with a window manager is needed (scripts/test.sh starts both)');
  rmSync(shots, { recursive: true, force: true });
  ({ driver, process: driverProcess } = await launchTauriDriver({
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    // No kubeconfig of the user's: the sandbox lends its own cluster's context.
    KUBECONFIG: path.join(home, 'no-kubeconfig.yaml'),
    OSMO_ADMIN_KUBE_BIN: kubeBin,
  }));
  desktop = new Desktop(driver);
});

/** Ends the app's WebDriver session; an app that outlives it (it would hold the test's output open) is
 * stopped, and said so. */
async function stopApp() {
  const started = Date.now();
  await driver?.quit();
  const left = () => execFileSync('pgrep', ['-f', '-x', `${binary} --sandbox`], { encoding: 'utf8' }).trim();
  let pids = '';
  for (let i = 0; i < 50; i++) {
    try {
      pids = left();
    } catch {
      return; // pgrep found none
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  console.log(`note: the app (${pids}) was still running ${Date.now() - started} ms after its session ended; stopping it`);
  execFileSync('pkill', ['-TERM', '-f', '-x', `${binary} --sandbox`]);
}

after(async () => {
  await stopApp();
  driverProcess?.kill();
});

/** A fresh sandbox in a 1024x700 window with the focus. */
async function startSandbox() {
  await stopApp();
  await driver.start(binary, ['--sandbox']);
  await driver.waitFor('return document.querySelector(".sandbox-label")', 60_000);
  // Its local cluster starts in the background (the dashboard's sandbox note says "starting");
  // the journeys work on it, so they begin once it is the context osmo-sandbox.
  await driver.waitFor('return document.body.innerText.includes("Its local cluster is the Kubernetes context osmo-sandbox")', 60_000);
  await desktop.attach('1024x700');
}

/** Saves a screenshot as screenshots/journeys/<journey>/<name>.png. */
async function shot(journey, name) {
  const folder = path.join(shots, journey);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, `${name}.png`), await driver.screenshot());
}

const text = (selector) => `return document.querySelector(${JSON.stringify(selector)})?.innerText`;
const topDialog = '[...document.querySelectorAll("dialog[open]")].pop()';

/** Opens a backend's detail from the dashboard: its name typed into the filter, its row clicked. */
async function openBackend(service, backend) {
  desktop.key('alt+2');
  await driver.waitFor('return document.querySelector("input[type=search]")', 15_000);
  await desktop.fill('input[type=search]', backend);
  await desktop.click(
    `return [...document.querySelectorAll('.bt-data')].find((r) => r.innerText.includes(${JSON.stringify(backend)}) && r.innerText.includes(${JSON.stringify(service)}))`,
    { timeout: 60_000 },
  );
  await driver.waitFor('return document.querySelector("dialog[open][aria-label=\'Backend detail\'] section[aria-label=Fields]")', 15_000);
}

/** The dashboard row of `backend` on `service`, as text. */
const rowText = (service, backend) =>
  `return [...document.querySelectorAll('.bt-data')].map((r) => r.innerText).find((t) => t.includes(${JSON.stringify(backend)}) && t.includes(${JSON.stringify(service)}))`;

test('set up a new backend to online with the keyboard and pointer, then re-run it: everything done', async () => {
  const journey = '1-setup';
  await startSandbox();
  desktop.key('alt+4');
  const session = '.setup-choose label:nth-of-type(1) select';
  const context = '.setup-choose label:nth-of-type(2) select';
  await driver.waitFor(
    `return [...document.querySelectorAll(${JSON.stringify(`${context} option`)})].some((o) => o.value === "osmo-sandbox")
       && [...document.querySelectorAll(${JSON.stringify(`${session} option`)})].some((o) => o.value === "sandbox-6.4")`,
    30_000,
  );
  await desktop.choose(session, 'sandbox-6.4');
  await desktop.choose(context, 'osmo-sandbox');
  await desktop.fill('.setup-choose label:nth-of-type(3) input', 'gpu-keys');
  await desktop.clickButton('Fill in the form', '.setup-choose');
  // gpu-east's operator already lives on this cluster: the defaults for a second backend do not collide.
  const namespace = await driver.waitFor('return document.querySelector("#setup-operatorNamespace")?.value', 15_000);
  assert.equal(namespace, 'gpu-keys-operator');
  await shot(journey, '01-plan');

  await desktop.clickButton('Test and check', '.setup-actions');
  const preflight = await driver.waitFor(
    'return document.querySelectorAll(".setup-step").length === 5 ? document.querySelector(".setup-preflight h3")?.innerText : null',
    60_000,
  );
  assert.match(preflight, /may do what setup needs/);
  await shot(journey, '02-checked');

  // Run all: token, namespaces and secret, the chart (helm simulated by the sandbox), scheduler, online.
  await desktop.clickButton('Run all remaining steps', '.setup-actions');
  const summary = await driver.waitFor(text('section.setup-summary'), 240_000);
  assert.match(summary, /gpu-keys is online on sandbox-6\.4/);
  // Every step is done, the scheduler's with a warning: the sandbox cluster has no KAI, so step 4 saves the
  // settings and says so (never a green Done); Run all stops there, and the backend is already online.
  const steps = await driver.execute(
    'return [...document.querySelectorAll(".setup-step")].map((s) => [s.dataset.step, s.dataset.status, s.querySelector(".setup-outcome")?.innerText ?? ""])',
  );
  const described = steps.map((s) => s.join(' | ')).join('\n');
  assert.deepEqual(
    steps.map(([step, status]) => `${step}: ${status}`),
    ['token: done', 'cluster: done', 'operator: done', 'scheduler: partial', 'online: done'],
    described,
  );
  for (const [step, , outcome] of steps.slice(0, 3)) assert.match(outcome, /^Done: /, `${step}: ${outcome}`);
  assert.match(steps[2][2], /Simulated by the sandbox/, 'the chart install is labelled as simulated');
  assert.match(steps[3][2], /^Needs you: Scheduler kai is NOT installed/, described);
  await driver.execute('document.querySelector(".setup-step").scrollIntoView()');
  await shot(journey, '03-steps-run');
  await driver.execute('document.querySelector("section.setup-summary").scrollIntoView()');
  await shot(journey, '04-summary');

  // Re-run: the check finds every step done, the scheduler's still with its warning (KAI is for the admin
  // to install; Run all would look again).
  await desktop.clickButton('Test and check', '.setup-actions');
  const statuses = await driver.waitFor(
    `const s = [...document.querySelectorAll(".setup-step")].map((e) => e.dataset.status);
     return s.length === 5 && s.every((x, i) => x === (i === 3 ? "partial" : "done")) ? s : null`,
    60_000,
  );
  assert.deepEqual(statuses, ['done', 'done', 'done', 'partial', 'done']);
  await shot(journey, '05-rerun-all-done');

  await desktop.clickButton('Open the dashboard', 'section.setup-summary');
  const row = await driver.waitFor(
    `const t = (() => { ${rowText('sandbox-6.4', 'gpu-keys')} })(); return t && /online/i.test(t) ? t : null`,
    60_000,
  );
  assert.match(row, /gpu-keys-workflows/, "the backend reports the workflow namespace of its plan");
  await desktop.fill('input[type=search]', 'gpu-keys');
  await shot(journey, '06-dashboard');
});

test('find why dgx-lab is offline, rotate its expired token from the diagnosis, and see it come back online', async () => {
  const journey = '2-diagnose-rotate';
  await startSandbox();
  desktop.key('alt+2');
  const offline = await driver.waitFor(
    `const t = (() => { ${rowText('sandbox-6.0', 'dgx-lab')} })(); return t && /offline/i.test(t) ? t : null`,
    60_000,
  );
  assert.match(offline, /dgx-lab/);
  await shot(journey, '01-dashboard');

  await openBackend('sandbox-6.0', 'dgx-lab');
  await shot(journey, '02-detail');
  await desktop.clickButton('Why is it offline?', 'dialog[open]');
  const checks = await driver.waitFor(text('dialog[open] ol[aria-label=Checks]'), 60_000);
  // The diagnosis names the token the operator uses and that it has expired.
  const first = await driver.execute(text('dialog[open] ol[aria-label=Checks] [aria-current=step]'));
  assert.match(first ?? '', /expired/i, checks);
  assert.match(first, /dgx-lab/, checks);
  await shot(journey, '03-diagnosis');

  await desktop.clickButton('Rotate now', 'dialog[open] ol[aria-label=Checks] [aria-current=step]');
  await driver.waitFor('return document.querySelector("#rotate-backend")?.value === "dgx-lab"', 20_000);
  await driver.waitFor(
    `return [...${topDialog}.querySelectorAll("form select")].some((s) => s.value === "osmo-sandbox")`,
    20_000,
  );
  await shot(journey, '04-rotate-form');
  await desktop.click(`return ${topDialog}.querySelector("form button[type=submit]")`);
  const outcome = await driver.waitFor(
    `const status = ${topDialog}.querySelector(".rotation-status");
     return status && !status.classList.contains("running") ? status.className + " | " + ${topDialog}.querySelector(".rotation-live").innerText : null`,
    180_000,
  );
  await shot(journey, '05-rotated');
  assert.match(outcome, /completed/, outcome);
  await desktop.clickButton('Close', 'dialog[open]');

  // Closing the rotation checks again: the backend answers its heartbeat with the new token.
  await driver.waitFor(
    `const t = (() => { ${rowText('sandbox-6.0', 'dgx-lab')} })(); return t && /online/i.test(t) && !/offline/i.test(t) ? t : null`,
    120_000,
  );
  // The open detail follows: its badge and its primary check are those of an online backend.
  await driver.waitFor(
    `const d = ${topDialog};
     return d.querySelector("h2 .badge")?.innerText === "online"
       && [...d.querySelectorAll("button")].some((b) => b.textContent.trim() === "Check its health")`,
    60_000,
  );
  await shot(journey, '06-recheck');
  while (await driver.execute('return Boolean(document.querySelector("dialog[open]"))')) desktop.key('Escape');
  await shot(journey, '07-dashboard-online');
});

test('save a scheduler change, then a second one, with no false conflict', async () => {
  const journey = '3-scheduler';
  await startSandbox();
  await openBackend('sandbox-6.4', 'cpu-batch');
  await desktop.clickButton('Scheduler settings…', 'dialog[open]');
  const timeout = '#scheduler-scheduler_timeout';
  await driver.waitFor(`return document.querySelector("${timeout}")`, 30_000);
  await shot(journey, '01-editor');

  for (const [round, seconds] of [
    [1, '45'],
    [2, '60'],
  ]) {
    await desktop.fill(timeout, seconds);
    await desktop.clickButton('Review the change', '.scheduler-editor');
    const diff = await driver.waitFor(text("table[aria-label='Changes to save']"), 20_000);
    assert.match(diff, new RegExp(seconds), diff);
    await desktop.fill('.scheduler-save input[name=description]', `timeout ${seconds} s (round ${round})`);
    await shot(journey, `0${2 * round}-review-${round}`);
    desktop.key('Return');
    const saved = await driver.waitFor(
      `return [...document.querySelectorAll(".scheduler-editor [role=status], .scheduler-editor [role=alert]")].map((e) => e.innerText).find((t) => /timeout ${seconds} s\\.$|Someone else|Nothing changed/.test(t))`,
      30_000,
    );
    assert.match(saved, new RegExp(`^Saved\\. cpu-batch now has: .*timeout ${seconds} s`), saved);
    // The form is the saved state: nothing left to review, and the history names this change.
    await driver.waitFor(
      `return !document.querySelector(".scheduler-save") && document.querySelector("section[aria-label='Earlier settings']")?.innerText.includes("round ${round}")`,
      20_000,
    );
    assert.equal(
      await driver.execute('return [...document.querySelectorAll(".scheduler-editor button")].find((b) => b.textContent === "Review the change").disabled'),
      true,
      'nothing is left to review once saved',
    );
    await shot(journey, `0${2 * round + 1}-saved-${round}`);
  }
  assert.equal(await driver.execute('return document.querySelector(".scheduler-editor [data-code=conflict]")'), null);
});
