// The dashboard at rest does no work for nothing: with the sandbox running and polls answering the
// same thing over and over, the page commits nothing and changes nothing in its DOM, except a
// relative time whose text changes, in its own cell, at the moment it changes. No animation runs
// forever. The page's clock is Playwright's fake clock, advanced one second at a time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness';
import type { MockState } from './mock-backend';
import { addRenderRecorder, startRecording, stopRecording, type Rendered } from './render-recorder';
import { sandboxWorld } from './sandbox-world';

let harness: Harness;
before(async () => {
  harness = await startHarness();
});
after(async () => {
  await harness?.stop();
});

/** When the recording starts (the page's fake clock). */
const T0 = Date.parse('2026-06-12T10:00:00Z');
const IDLE_SECONDS = 11;
const ago = (seconds: number) => new Date(T0 - seconds * 1000).toISOString();

/**
 * The running sandbox's dashboard, its times set so that exactly one relative time changes its text
 * while the test watches: sandbox-6.0's gpu-east, heard 50 s before T0, turns "1 min ago" at T0 + 10 s.
 * Every other heartbeat is at most 30 s old at T0; the offline backends' times are hours old; the
 * sessions were updated 3 s before T0.
 */
function idleWorld(): Partial<MockState> {
  const world = sandboxWorld(T0);
  const dashboard = world.dashboard!;
  for (const row of dashboard.rows) {
    if (!row.online) {
      row.lastHeartbeat = ago(3 * 3600);
      row.offlineSince = ago(3 * 3600 - 60);
    } else if (row.name === 'gpu-east') {
      row.lastHeartbeat = ago(row.session === 'sandbox-6.0' ? 50 : 30);
    } else {
      row.lastHeartbeat = ago(20);
    }
  }
  for (const session of dashboard.sessions) session.updatedAt = ago(3);
  dashboard.now = ago(0);
  return world;
}

/** Lets the page finish what the last tick started (IPC answers, React's work): real time. */
const settle = (page: Page) => page.waitForTimeout(150);

const count = (log: Rendered[], react: boolean) => log.filter((r) => r.react === react).length;

function describeLog(log: Rendered[]): string {
  return log
    .slice(0, 12)
    .map((r) => {
      const what = r.mutations.length === 0 ? 'no DOM change' : r.mutations.map((m) => `${m.kind} ${m.where} "${m.text}"`).join('; ');
      return `  T0+${r.at - T0} ms ${r.react ? 'commit' : 'DOM'}: ${what.slice(0, 1500)}`;
    })
    .join('\n');
}

/** The idle world's dashboard, its clock paused at T0, with the render recorder installed. */
async function openIdleDashboard() {
  const opened = await harness.open(idleWorld(), {
    beforeLoad: async (p) => {
      await p.clock.install({ time: T0 - 60_000 });
      await addRenderRecorder(p);
    },
  });
  await opened.page.locator('.bt-data').first().waitFor();
  await opened.page.clock.pauseAt(T0);
  await settle(opened.page);
  return opened;
}

test('the idle dashboard re-renders only the one relative time whose text changes, when it changes; no animation runs', async () => {
  const { page, errors, calls } = await openIdleDashboard();
  const polledBefore = await calls();

  await startRecording(page);
  for (let second = 1; second <= IDLE_SECONDS; second++) {
    // The core announces a poll of each session; the answers are the same as before.
    await page.evaluate(() =>
      Promise.all(['sandbox-6.0', 'sandbox-6.4'].map((session) => window.__EMIT__('health-updated', { sessions: [{ session, stale: false }] }))),
    );
    await page.clock.runFor(1000);
    await settle(page);
  }
  const log = await stopRecording(page);

  // The polls did happen, with answers equal to the ones before.
  const polled = (await calls()).slice(polledBefore.length);
  const snapshots = polled.filter((c) => c.cmd === 'dashboard_snapshot').length;
  assert.ok(snapshots >= IDLE_SECONDS, `the dashboard was read again after each announced poll (${snapshots} reads)`);
  // The sandbox's state and counts shown on the dashboard change rarely: not re-read every few seconds
  // (its panel on Connections polls, below).
  assert.equal(polled.filter((c) => c.cmd === 'sandbox_status').length, 0, 'the sandbox was not polled from the dashboard');

  const expected = { at: T0 + 10_000, where: '#backend-sandbox-6_0-gpu-east bt-cell bt-heartbeat bt-wrap time.when', text: '1 min ago' };
  const unexpected = log.filter(
    (r) => r.at !== expected.at || r.mutations.length === 0 || r.mutations.some((m) => m.where !== expected.where),
  );
  assert.equal(
    unexpected.length,
    0,
    `${unexpected.length} of ${log.length} renders in ${IDLE_SECONDS} s of idle were not the one expected ` +
      `(${count(log, true)} React commits, ${count(log, false)} DOM changes outside React); the first ones:\n${describeLog(unexpected)}`,
  );
  assert.equal(log.length, 1, `one render, the heartbeat turning "1 min ago" at T0 + 10 s:\n${describeLog(log)}`);
  assert.deepEqual(log[0]?.mutations.map((m) => m.text), [expected.text]);
  const cell = page.locator('#backend-sandbox-6_0-gpu-east .bt-heartbeat');
  assert.equal(await cell.innerText(), '1 min ago');
  assert.equal(await page.locator('#backend-sandbox-6_4-gpu-east .bt-heartbeat').innerText(), 'just now');

  const running = await page.evaluate(() =>
    document
      .getAnimations()
      .filter((a) => a.playState === 'running')
      .map((a) => `${a instanceof CSSAnimation ? a.animationName : a.constructor.name} on ${String((a.effect as KeyframeEffect | null)?.target?.nodeName)} (${String(a.effect?.getTiming().iterations)} iterations)`),
  );
  assert.deepEqual(running, [], 'no animation runs on the idle dashboard');

  // On Connections, the sandbox's panel follows its heartbeats: polled every 2 s.
  await page.keyboard.press('Alt+1');
  await page.locator('section.sandbox').waitFor();
  const beforePanel = (await calls()).length;
  await page.clock.runFor(4100);
  await settle(page);
  const panelPolls = (await calls()).slice(beforePanel).filter((c) => c.cmd === 'sandbox_status').length;
  assert.ok(panelPolls >= 2, `the sandbox panel was polled every 2 s (${panelPolls} reads in 4 s)`);
  assert.deepEqual(errors, []);
});

test('polls of many services ending together are answered by one read of the dashboard', async () => {
  const { page, errors, calls } = await harness.open(idleWorld(), {
    beforeLoad: async (p) => {
      await p.clock.install({ time: T0 - 60_000 });
    },
  });
  await page.locator('.bt-data').first().waitFor();
  await page.clock.pauseAt(T0);
  await settle(page);
  const before = (await calls()).length;
  // Fifty announcements within 100 ms, as when fifty services are polled on the same cadence.
  await page.evaluate(async () => {
    for (let i = 0; i < 50; i++) await window.__EMIT__('health-updated', { sessions: [{ session: i % 2 ? 'sandbox-6.0' : 'sandbox-6.4', stale: false }] });
  });
  await page.clock.runFor(100);
  await page.clock.runFor(1000);
  await settle(page);
  const reads = (await calls()).slice(before).filter((c) => c.cmd === 'dashboard_snapshot').length;
  assert.equal(reads, 1, `the dashboard was read ${reads} times for 50 announcements`);
  assert.deepEqual(errors, []);
});

test('polls whose heartbeats moved but whose texts did not change re-render nothing', async () => {
  const { page, errors, calls } = await openIdleDashboard();
  const before = (await calls()).length;

  for (let second = 0; second <= 5; second++) {
    // The first poll brings every time into T0's minute (their tooltips change); the next ones
    // are recorded.
    if (second === 1) await startRecording(page);
    // Every operator heartbeats and every session is polled again: new times, the same words
    // ("just now" stays "just now"; the gpu-east heard 50 s ago is heard again).
    await page.evaluate((at) => {
      const view = window.__IPC_STATE__.dashboard;
      if (!view) throw new Error('no dashboard in the mocked state');
      const now = new Date(at).toISOString();
      for (const row of view.rows) if (row.online) row.lastHeartbeat = now;
      for (const session of view.sessions) {
        session.updatedAt = now;
        session.polls += 1;
      }
      view.now = now;
      return Promise.all(['sandbox-6.0', 'sandbox-6.4'].map((session) => window.__EMIT__('health-updated', { sessions: [{ session, stale: false }] })));
    }, T0 + second * 1000 + 500);
    await page.clock.runFor(1000);
    await settle(page);
  }
  const log = await stopRecording(page);

  const reads = (await calls()).slice(before).filter((c) => c.cmd === 'dashboard_snapshot').length;
  assert.ok(reads >= 5, `the dashboard was read again after each announced poll (${reads} reads)`);
  const changed = log.filter((r) => r.mutations.length > 0);
  assert.equal(changed.length, 0, `the DOM changed ${changed.length} times though no text did:\n${describeLog(changed)}`);
  assert.deepEqual(errors, []);
});
