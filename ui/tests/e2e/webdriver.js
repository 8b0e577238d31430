// A minimal W3C WebDriver client over fetch, enough to drive the real app through tauri-driver.
import { spawn } from 'node:child_process';
import net from 'node:net';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriver {
  constructor(base) {
    this.base = base;
    this.session = null;
  }

  async request(method, path, body) {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const json = await response.json();
    if (!response.ok || json.value?.error) {
      throw new Error(`${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    }
    return json.value;
  }

  async start(application, args = []) {
    const value = await this.request('POST', '/session', {
      capabilities: { alwaysMatch: { browserName: 'wry', 'tauri:options': { application, args } } },
    });
    this.session = value.sessionId;
  }

  cmd(method, path, body) {
    return this.request(method, `/session/${this.session}${path}`, body);
  }

  async quit() {
    if (this.session) await this.cmd('DELETE', '').catch(() => {});
    this.session = null;
  }

  title() {
    return this.cmd('GET', '/title');
  }

  execute(script, args = []) {
    return this.cmd('POST', '/execute/sync', { script, args });
  }

  /** A PNG of the window, after the page has painted its latest state. */
  async screenshot() {
    await this.cmd('POST', '/execute/async', {
      script: 'const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(() => done()));',
      args: [],
    });
    return Buffer.from(await this.cmd('GET', '/screenshot'), 'base64');
  }

  /** Finds an element by CSS selector, waiting up to `timeout` ms for it to appear. */
  async find(selector, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      try {
        const value = await this.cmd('POST', '/element', { using: 'css selector', value: selector });
        return new Element(this, value[ELEMENT]);
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`no element ${selector}: ${err.message}`, { cause: err });
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** Waits until `script` (a function body) returns a truthy value, and returns it. */
  async waitFor(script, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    for (;;) {
      const value = await this.execute(script);
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for: ${script}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Presses a key chord such as ['\uE009', 'k'] (Control+K). */
  async chord(keys) {
    const down = keys.map((value) => ({ type: 'keyDown', value }));
    const up = [...keys].reverse().map((value) => ({ type: 'keyUp', value }));
    await this.cmd('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions: [...down, ...up] }] });
  }
}

class Element {
  constructor(driver, id) {
    this.driver = driver;
    this.id = id;
  }

  click() {
    return this.driver.cmd('POST', `/element/${this.id}/click`, {});
  }

  text() {
    return this.driver.cmd('GET', `/element/${this.id}/text`);
  }

  async type(text) {
    await this.driver.cmd('POST', `/element/${this.id}/clear`, {});
    await this.driver.cmd('POST', `/element/${this.id}/value`, { text });
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitForPort(port, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`tauri-driver did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts tauri-driver on free ports with `env` added to this process's environment. */
export async function launchTauriDriver(env) {
  const port = await freePort();
  const nativePort = await freePort();
  const child = spawn('tauri-driver', ['--port', String(port), '--native-port', String(nativePort)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitForPort(port);
  return { driver: new WebDriver(`http://127.0.0.1:${port}`), process: child };
}
