// What the benchmark reads of running processes, from /proc: a process tree, CPU ticks, PSS, and
// how long ago a process was exec'd. Linux only, like the rest of the benchmark.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** The fields of /proc/PID/stat after the command name (index 0 is the state), or null. */
function stat(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function comm(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** Children of every process, read once. */
function childrenByParent() {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const fields = stat(name);
    if (!fields) continue;
    const parent = Number(fields[1]);
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(Number(name));
  }
  return children;
}

/** The sandbox's local cluster (etcd, kube-*): counted apart from the app. */
export function isCluster(pid) {
  const name = comm(pid);
  return name === 'etcd' || name.startsWith('kube-');
}

/** `pid` and everything under it (WebKit's processes), leaving out the sandbox's cluster. */
export function treeOf(pid) {
  const children = childrenByParent();
  const tree = [];
  const stack = [pid];
  while (stack.length) {
    const next = stack.pop();
    tree.push(next);
    for (const child of children.get(next) ?? []) if (!isCluster(child)) stack.push(child);
  }
  return tree;
}

/** utime + stime of `pids`, in clock ticks (processes that ended count 0). */
export function cpuTicks(pids) {
  let sum = 0;
  for (const pid of pids) {
    const fields = stat(pid);
    if (fields) sum += Number(fields[11]) + Number(fields[12]);
  }
  return sum;
}

/** Proportional set size of `pids`, in KiB. */
export function pssKib(pids) {
  let sum = 0;
  for (const pid of pids) {
    try {
      const match = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      if (match) sum += Number(match[1]);
    } catch {
      // ended meanwhile
    }
  }
  return sum;
}

/** Milliseconds since `pid` was exec'd (clock-tick resolution). */
export function msSinceStart(pid) {
  const fields = stat(pid);
  if (!fields) return null;
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  return (uptime - Number(fields[19]) / CLOCK_TICKS) * 1000;
}

/** The newest process whose command line starts with `binary`, or null. */
export function newestProcessOf(binary) {
  let best = null;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let cmdline;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.split('\0')[0] !== binary) continue;
    const start = Number(stat(name)?.[19] ?? -1);
    if (!best || start >= best.start) best = { pid: Number(name), start };
  }
  return best?.pid ?? null;
}
