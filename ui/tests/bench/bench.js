// The benchmark's measures of the real app beside the empty Tauri app, printed as one table.
// Run by scripts/bench.sh (which builds both and passes their paths); asserts nothing.
//
// Environment: BENCH_APP, BENCH_EMPTY (binaries), BENCH_FARM (the osmo-sim farm example), BENCH_RUNS
// (alternated starts of each), BENCH_SETTLE and BENCH_IDLE (seconds), BENCH_SERVICES (scale run),
// BENCH_ROWS (a file of rows measured before, `measure|empty|app|ratio` per line), BENCH_NOTE,
// BENCH_PARTS (which parts run, comma-separated: start,rest,sandbox,scale; default all of them).
import { readFileSync } from 'node:fs';
import { launch, sleep } from './app.js';
import { cpuTicks, CLOCK_TICKS, pssKib, treeOf } from './procs.js';
import { sandboxRows, scaleRun } from './scale.js';

const env = (name, fallback) => process.env[name] ?? fallback;
const APP = env('BENCH_APP');
const EMPTY = env('BENCH_EMPTY');
const RUNS = Number(env('BENCH_RUNS', 5));
const SETTLE = Number(env('BENCH_SETTLE', 30));
const IDLE = Number(env('BENCH_IDLE', 60));

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
const fmt = (value, digits = 0) => (value === null || value === undefined ? '' : value.toFixed(digits));
const ratio = (empty, app) => (empty && app ? (app / empty).toFixed(2) : '');

const rows = [];
const row = (measure, empty, app, ratioText = '') => {
  rows.push([measure, empty, app, ratioText]);
  console.error(`measured: ${measure}: ${empty || '-'} | ${app}`);
};

/** Exec to window mapped: alternated starts of both apps, the median of each. */
async function startup() {
  const times = { empty: [], app: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const [which, binary] of [['empty', EMPTY], ['app', APP]]) {
      const run = await launch(binary);
      times[which].push(run.windowMs);
      await run.stop();
      await sleep(500);
    }
  }
  const empty = median(times.empty);
  const app = median(times.app);
  row(`exec to window mapped (median of ${RUNS}, 10 ms polling)`, `${fmt(empty)} ms`, `${fmt(app)} ms`, ratio(empty, app));
}

/** Memory SETTLE s after the window, then CPU over IDLE s, of the process and everything under it. */
async function atRest(binary, args = [], env = {}) {
  const run = await launch(binary, args, undefined, env);
  await sleep(SETTLE * 1000);
  const pids = treeOf(run.pid);
  const pss = pssKib(pids) / 1024;
  const ownPss = pssKib([run.pid]) / 1024;
  const before = cpuTicks(pids);
  const ownBefore = cpuTicks([run.pid]);
  await sleep(IDLE * 1000);
  const percent = (100 * (cpuTicks(pids) - before)) / CLOCK_TICKS / IDLE;
  const ownPercent = (100 * (cpuTicks([run.pid]) - ownBefore)) / CLOCK_TICKS / IDLE;
  await run.stop();
  return { pss, ownPss, percent, ownPercent, processes: pids.length };
}

async function rest() {
  const empty = await atRest(EMPTY);
  // This app draws on the CPU, runs its page without JavaScriptCore's DFG tier and without WebKit's
  // memory-pressure monitor (src-tauri/src/lib.rs): the empty app is measured that way too, for a
  // like-for-like ratio.
  const emptyOnCpu = await atRest(EMPTY, [], {
    WEBKIT_SKIA_ENABLE_CPU_RENDERING: '1',
    JSC_useDFGJIT: 'false',
    WEBKIT_DISABLE_MEMORY_PRESSURE_MONITOR: '1',
  });
  const app = await atRest(APP);
  const sandbox = await atRest(APP, ['--sandbox']);
  row(
    `memory (PSS, app + WebKit processes) ${SETTLE} s after the window, no sandbox; the empty app as Tauri makes it`,
    `${fmt(empty.pss)} MiB (its own process ${fmt(empty.ownPss)})`,
    `${fmt(app.pss)} MiB (its own process ${fmt(app.ownPss)})`,
    ratio(empty.pss, app.pss),
  );
  row(
    'same, the empty app with this app\'s WebKit settings (drawing on the CPU, no DFG JIT, no memory-pressure monitor)',
    `${fmt(emptyOnCpu.pss)} MiB (its own process ${fmt(emptyOnCpu.ownPss)})`,
    `${fmt(app.pss)} MiB`,
    ratio(emptyOnCpu.pss, app.pss),
  );
  row(
    'same, sandbox dashboard open (its local cluster not counted)',
    '',
    `${fmt(sandbox.pss)} MiB (the sandbox adds ${fmt(sandbox.pss - app.pss)} MiB; its own process ${fmt(sandbox.ownPss)})`,
    ratio(empty.pss, sandbox.pss),
  );
  const cpu = (r) => `${fmt(r.percent, 2)} % (its own process ${fmt(r.ownPercent, 2)} %)`;
  row(`CPU while idle, ${IDLE} s, no sandbox (empty dashboard)`, cpu(empty), cpu(app), ratio(empty.percent, app.percent));
  row(
    `CPU while idle on the sandbox dashboard (cluster not counted), ${IDLE} s`,
    cpu(empty),
    cpu(sandbox),
    ratio(empty.percent, sandbox.percent),
  );
  return app;
}

const notes = [];
/** Runs one part; a part that fails is told under the table and the others still run. */
async function part(name, measure) {
  try {
    return await measure();
  } catch (err) {
    notes.push(`The ${name} could not be measured: ${err.message}`);
    return null;
  }
}

if (!APP || !EMPTY) throw new Error('BENCH_APP and BENCH_EMPTY name the two binaries (scripts/bench.sh sets them)');
const PARTS = new Set(env('BENCH_PARTS', 'start,rest,sandbox,scale').split(','));
if (PARTS.has('start')) await part('start', startup);
// Without the rest part, the scale run measures its memory from nothing listed on its own.
const idleApp = PARTS.has('rest') ? await part('rest', rest) : undefined;
if (PARTS.has('sandbox')) await part('sandbox run', () => sandboxRows(APP, row, notes));
if (PARTS.has('scale') && env('BENCH_FARM') && idleApp !== null) {
  await part('scale run', () => scaleRun(APP, env('BENCH_FARM'), Number(env('BENCH_SERVICES', 50)), idleApp, row, notes));
}
if (env('BENCH_ROWS')) {
  for (const line of readFileSync(env('BENCH_ROWS'), 'utf8').split('\n').filter(Boolean)) {
    const [measure, empty = '', app = '', ratioText = ''] = line.split('|');
    rows.push([measure, empty, app, ratioText]);
  }
}

console.log(`\n${env('BENCH_NOTE', '')}\n`);
console.log('| measure | empty Tauri app | this app | ratio |');
console.log('|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
for (const note of notes) console.log(`\n${note}`);
