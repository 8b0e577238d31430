// The benchmark's runs of the real app through WebDriver (tauri-driver + WebKitWebDriver): the
// sandbox's dashboard filling, and many services at once (the osmo-sim farm example).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { launchTauriDriver } from '../e2e/webdriver.js';
import { freshHome, sleep } from './app.js';
import { CLOCK_TICKS, cpuTicks, msSinceStart, newestProcessOf, pssKib, treeOf } from './procs.js';

const STATUS = '.dashboard-controls [role=status]';
const READ = `return [document.querySelectorAll('.bt-data').length,
  document.querySelector('${STATUS}')?.textContent ?? '',
  document.querySelectorAll('.session-total.stale').length]`;

/** The app started through WebDriver in a fresh home; `pid` is the app's own process. */
async function openApp(binary, args, settings) {
  const home = freshHome(settings);
  const { driver, process: tauriDriver } = await launchTauriDriver(home.env);
  await driver.start(binary, args);
  const pid = newestProcessOf(binary);
  const close = async () => {
    await driver.quit();
    tauriDriver.kill();
    home.remove();
  };
  return { driver, pid, close };
}

/** Polls the page every 20 ms until `done(read)` holds; returns ms since the app's exec. */
async function msUntil(app, done, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const read = await app.driver.execute(READ);
    if (done(read)) return msSinceStart(app.pid);
    if (Date.now() > deadline) throw new Error(`timed out; the page shows ${JSON.stringify(read)}`);
    await sleep(20);
  }
}

/** From exec to the sandbox dashboard's first row, and to every backend of both services. */
export async function sandboxRows(binary, row, notes) {
  const app = await openApp(binary, ['--sandbox']);
  try {
    const first = await msUntil(app, ([count]) => count > 0);
    const all = await msUntil(app, ([, status]) => status === '8 backends');
    row('sandbox dashboard, from exec: first row painted / all 8 backends of both services', '', `${first.toFixed(0)} ms / ${all.toFixed(0)} ms`);
  } catch (err) {
    notes.push(`The sandbox run failed: ${err.message}`);
  } finally {
    await app.close();
  }
}

/** Starts the farm: `services` simulated services of 20 backends, a refused one and a hanging one. */
async function startFarm(farm, services) {
  const child = spawn(farm, [String(services), '20'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next().then((r) => [r.value]);
  return { ...JSON.parse(line), stop: () => child.stdin.end() };
}

/** The app's settings for the farm's first `services` services (all by default) and its dead ones. */
const settingsFor = (farm, services = farm.services.length) => ({
  schema_version: 1,
  dashboard_refresh_secs: 10,
  services: [
    ...farm.services.slice(0, services),
    { name: 'dead-refused', url: farm.refused },
    { name: 'dead-hanging', url: farm.hanging },
  ].map((s) => ({ id: s.name, name: s.name, url: s.url, sign_in: { method: 'development', user: 'bench-admin' } })),
});

/** Milliseconds from setting the search box to `expected` status painted, measured in the page. */
function timeSearch(driver, text, expected) {
  return driver.cmd('POST', '/execute/async', {
    script: `const [text, expected, done] = arguments;
      const input = document.querySelector('label.search input');
      const status = document.querySelector('${STATUS}');
      const t0 = performance.now();
      const check = () => status.textContent === expected
        ? requestAnimationFrame(() => done(performance.now() - t0))
        : setTimeout(check, 1);
      Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value').set.call(input, text);
      input.dispatchEvent(new Event('input', { bubbles: true }));
      check();`,
    args: [text, expected],
  });
}

/** Milliseconds from scrolling the table to its end to the last row painted, and the rows in the DOM. */
function timeScrollToEnd(driver, lastName) {
  return driver.cmd('POST', '/execute/async', {
    script: `const [lastName, done] = arguments;
      const body = document.querySelector('.bt-body');
      const t0 = performance.now();
      body.scrollTop = body.scrollHeight;
      const check = () => [...document.querySelectorAll('.bt-data')].some((r) => r.textContent.includes(lastName))
        ? requestAnimationFrame(() => done([performance.now() - t0, document.querySelectorAll('.bt-data').length]))
        : setTimeout(check, 1);
      check();`,
    args: [lastName],
  });
}

/** Memory of the app on its empty dashboard (no service), 10 s after its start. */
async function emptyDashboardMemory(binary) {
  const app = await openApp(binary, [], { schema_version: 1, services: [] });
  try {
    await sleep(10_000);
    return { pss: pssKib(treeOf(app.pid)) / 1024, ownPss: pssKib([app.pid]) / 1024 };
  } finally {
    await app.close();
  }
}

/** The scale run: many services through the real app (see issue #18, point 3). `idle` is the
 * memory of the empty dashboard, measured here when not given. */
export async function scaleRun(binary, farmBinary, services, idle, row, notes) {
  idle ??= await emptyDashboardMemory(binary);
  const farm = await startFarm(farmBinary, services);
  const backends = services * 20;
  let app = await openApp(binary, [], settingsFor(farm));
  try {
    const allRows = await msUntil(app, ([, status]) => status === `${backends} backends`);
    const deadShown = await msUntil(app, ([, , stale]) => stale >= 2, 120_000);
    row(
      `${services} services of 20 backends (+1 refused, +1 hanging), from exec: every healthy row listed / both dead ones reported`,
      '',
      `${allRows.toFixed(0)} ms / ${deadShown.toFixed(0)} ms`,
    );
    // After the settle time of the other idle figures: WebKit compiles the page's code for a while
    // after its start, which is not the cost of a refresh.
    const settle = Number(process.env.BENCH_SETTLE ?? 10);
    await sleep(settle * 1000);
    const pids = treeOf(app.pid);
    // Two of the farm's 20 s heartbeat cycles: every window holds the same mix of refreshes.
    const window = 40;
    const before = cpuTicks(pids);
    const ownBefore = cpuTicks([app.pid]);
    await sleep(window * 1000);
    const cpuMs = ((cpuTicks(pids) - before) * 1000) / CLOCK_TICKS;
    const ownMs = ((cpuTicks([app.pid]) - ownBefore) * 1000) / CLOCK_TICKS;
    const refreshes = window / settingsFor(farm).dashboard_refresh_secs;
    row(
      `CPU per refresh of all ${backends} backends, app + WebKit (${window} s at a 10 s cadence from ${settle} s after every row was listed, idle work included)`,
      '',
      `${(cpuMs / refreshes).toFixed(0)} ms, of which the app process ${(ownMs / refreshes).toFixed(0)} ms (${((100 * cpuMs) / 1000 / window).toFixed(2)} % of a core)`,
    );
    const pss = pssKib(pids) / 1024;
    const ownPss = pssKib([app.pid]) / 1024;
    const age = msSinceStart(app.pid);
    row(
      `memory with ${backends} backends listed, against the empty dashboard`,
      '',
      `${pss.toFixed(0)} MiB (the app process ${ownPss.toFixed(0)} MiB, was ${idle.ownPss.toFixed(0)}): ` +
        `${(((pss - idle.pss) * 100) / backends).toFixed(2)} MiB per 100 backends`,
    );
    const filter = await timeSearch(app.driver, 'scale-07-b', `20 of ${backends} backends`);
    const unfilter = await timeSearch(app.driver, '', `${backends} backends`);
    const last = `scale-${String(services - 1).padStart(2, '0')}-b19`;
    const [scroll, domRows] = await timeScrollToEnd(app.driver, last);
    row(
      `table of ${backends} rows: search typed to rows painted / search cleared / scrolled to the last row`,
      '',
      `${filter.toFixed(0)} ms / ${unfilter.toFixed(0)} ms / ${scroll.toFixed(0)} ms (${domRows} rows in the DOM)`,
    );
    await app.close();
    app = null;
    // The same at a fifth of the services and the same age: what each further backend adds, apart
    // from what showing a table at all costs (its code compiled, its first rows laid out and drawn).
    const few = Math.max(1, Math.round(services / 5));
    const fewer = await memoryAtAge(binary, settingsFor(farm, few), `${few * 20} backends`, age);
    row(
      `memory growth from ${few * 20} to ${backends} backends listed, both read ${(age / 1000).toFixed(0)} s after exec; what the first ${few * 20} add to the empty dashboard`,
      '',
      `${(((pss - fewer.pss) * 100) / (backends - few * 20)).toFixed(2)} MiB per 100 backends, of which the app process ` +
        `${(((ownPss - fewer.ownPss) * 100) / (backends - few * 20)).toFixed(2)} (${fewer.pss.toFixed(0)} MiB at ${few * 20}); ` +
        `${(fewer.pss - idle.pss).toFixed(0)} MiB`,
    );
  } catch (err) {
    notes.push(`The scale run failed: ${err.message}`);
  } finally {
    await app?.close();
    farm.stop();
  }
}

/** PSS (MiB) of the app and its WebKit processes (and of its own process) with `settings`, read `age` ms after its exec,
 * once its status reads `listed`. */
async function memoryAtAge(binary, settings, listed, age) {
  const app = await openApp(binary, [], settings);
  try {
    await msUntil(app, ([, status]) => status === listed);
    await sleep(Math.max(0, age - msSinceStart(app.pid)));
    return { pss: pssKib(treeOf(app.pid)) / 1024, ownPss: pssKib([app.pid]) / 1024 };
  } finally {
    await app.close();
  }
}
