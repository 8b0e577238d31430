// Starting the app (or the empty Tauri app) the way the benchmark needs: in a fresh home of its own,
// timed from exec to its window on the X display, and stopped again.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const IDENTIFIER = 'io.github.osmo-backend-admin';
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fresh home: XDG folders and an empty KUBECONFIG, with `settings` written when given. */
export function freshHome(settings) {
  const home = mkdtempSync(path.join(os.tmpdir(), 'osmo-bench-'));
  const env = {
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    KUBECONFIG: path.join(home, 'no-kubeconfig.yaml'),
  };
  if (settings) {
    const folder = path.join(env.XDG_CONFIG_HOME, IDENTIFIER);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, 'settings.json'), JSON.stringify(settings));
  }
  // WebKit may still write its caches while the app ends: retried, and a leftover is only noted.
  const remove = () => {
    try {
      rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch (err) {
      console.error(`note: could not remove ${home}: ${err.message}`);
    }
  };
  return { home, env, remove };
}

/** Whether `pid` has a viewable window on the display. */
function hasWindow(pid) {
  try {
    return execFileSync('xdotool', ['search', '--onlyvisible', '--pid', String(pid)], { encoding: 'utf8' }).trim() !== '';
  } catch {
    return false; // xdotool exits 1 when nothing matches
  }
}

/**
 * Starts `binary` with `args` in a fresh home (and `env` besides) and waits for its window,
 * polling every 10 ms. Returns the process, the milliseconds from exec to the window, and `stop()`.
 */
export async function launch(binary, args = [], settings = undefined, env = {}) {
  const home = freshHome(settings);
  const started = performance.now();
  const child = spawn(binary, args, { env: { ...process.env, ...home.env, ...env }, stdio: 'ignore' });
  let windowMs = null;
  while (windowMs === null) {
    if (child.exitCode !== null) throw new Error(`${binary} exited with ${child.exitCode} before its window`);
    if (performance.now() - started > 60_000) throw new Error(`${binary}: no window within 60 s`);
    if (hasWindow(child.pid)) windowMs = performance.now() - started;
    else await sleep(10);
  }
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(5_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    home.remove();
  };
  return { pid: child.pid, windowMs, stop };
}
