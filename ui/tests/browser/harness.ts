// Serves the built UI (ui/dist) with Vite's preview server and opens it in Debian's chromium
// through playwright-core, with Tauri's IPC mocked in the page (mock-ipc.ts, bundled by Vite).
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { build, preview, type Rolldown } from 'vite';
import { chromium, type Page } from 'playwright-core';
import { DEFAULT_STATE } from './default-state';
import type { IpcCall, MockState } from './mock-backend';

const uiDir = fileURLToPath(new URL('../..', import.meta.url));
export const screenshotDir = path.join(uiDir, 'tests', 'browser', 'screenshots');

const CHROMIUM_ARGS = [
  '--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** The mock backend as one script for the page (Vite compiles its TypeScript). */
async function bundleMock(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: uiDir,
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(uiDir, 'tests/browser/mock-ipc.ts'), formats: ['iife'], name: 'mockIpc' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs[0]?.output[0];
  if (!chunk) throw new Error('bundling tests/browser/mock-ipc.ts gave no output: run `npm run build` to see why');
  return chunk.code;
}

export type OpenedPage = {
  page: Page;
  /** The page's uncaught errors. */
  errors: string[];
  /** Every IPC call the page made so far. */
  calls: () => Promise<IpcCall[]>;
};

export type Harness = {
  /**
   * A fresh page whose mock backend starts from `state` over the defaults; `colorScheme` emulates the
   * system theme; `beforeLoad` prepares the page before the app loads (a fake clock, an init script).
   */
  open: (
    state?: Partial<MockState>,
    options?: { colorScheme?: 'light' | 'dark'; beforeLoad?: (page: Page) => Promise<void> },
  ) => Promise<OpenedPage>;
  stop: () => Promise<void>;
};

export async function startHarness(): Promise<Harness> {
  if (!existsSync(path.join(uiDir, 'dist', 'index.html'))) {
    throw new Error('ui/dist is missing: run `npm run build` in ui/ first');
  }
  mkdirSync(screenshotDir, { recursive: true });
  const mock = await bundleMock();
  const server = await preview({ root: uiDir, logLevel: 'silent', preview: { port: 0, host: '127.0.0.1' } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('the Vite preview server gave no local URL');
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });

  const open: Harness['open'] = async (state = {}, { colorScheme = 'light', beforeLoad } = {}) => {
    const context = await browser.newContext({ colorScheme, viewport: { width: 1200, height: 780 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    const full: MockState = structuredClone({ ...DEFAULT_STATE, ...state });
    // tsx (esbuild) wraps named functions in the tests in `__name(fn, "name")`; the callbacks the
    // tests hand to page.evaluate run in the page, which needs that helper too.
    await page.addInitScript('globalThis.__name = (fn) => fn;');
    await page.addInitScript(`window.__IPC_STATE__ = ${JSON.stringify(full)};`);
    await page.addInitScript(mock);
    await beforeLoad?.(page);
    await page.goto(url);
    await page.getByRole('heading', { level: 1 }).waitFor();
    return { page, errors, calls: () => page.evaluate(() => window.__IPC_CALLS__) };
  };

  async function stop() {
    await browser.close();
    await new Promise((resolve) => server.httpServer.close(resolve));
  }

  return { open, stop };
}
