// Records what the page does to its DOM while a test watches: every React commit (through the hook
// React DOM offers its DevTools, present in production builds too) with the DOM mutations it made,
// and any mutation made outside a commit. A commit that changes nothing in the DOM is work for
// nothing; a mutation names its place (the row, the list item, the element) and its new text.
import type { Page } from 'playwright-core';

export type Mutation = { kind: string; where: string; text: string };
/** One commit of React (`react: true`) or mutations made outside one, at the page's clock. */
export type Rendered = { at: number; react: boolean; mutations: Mutation[] };

declare global {
  interface Window {
    __RENDERS__: { recording: boolean; log: Rendered[]; start: () => void; stop: () => Rendered[] };
  }
}

/** Runs in the page before the app's scripts: installs the DevTools hook and the mutation observer. */
function installRecorder() {
  const log: Rendered[] = [];
  const describe = (node: Node): string => {
    const el = node instanceof Element ? node : node.parentElement;
    if (!el) return node.nodeName;
    const row = el.closest('[role=row][id]');
    const item = el.closest('[aria-label]');
    const cell = el.closest('[role=cell], [role=columnheader], td, th');
    const own = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().replace(/\s+/g, '.')}` : ''}`;
    const place = row ? `#${row.id}` : item ? `[${item.getAttribute('aria-label')}]` : '';
    return [place, cell && cell !== el ? `${cell.className || cell.tagName.toLowerCase()}` : '', own].filter(Boolean).join(' ');
  };
  const summarize = (records: MutationRecord[]): Mutation[] =>
    records.map((r) => ({
      kind: r.type === 'attributes' ? `attribute ${r.attributeName ?? ''}` : r.type,
      where: describe(r.target),
      text: (r.target.textContent ?? '').slice(0, 80),
    }));
  const observer = new MutationObserver((records) => {
    if (window.__RENDERS__.recording) log.push({ at: Date.now(), react: false, mutations: summarize(records) });
  });
  window.__RENDERS__ = {
    recording: false,
    log,
    start: () => {
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      window.__RENDERS__.recording = true;
    },
    stop: () => {
      window.__RENDERS__.recording = false;
      const rest = observer.takeRecords();
      if (rest.length > 0) log.push({ at: Date.now(), react: false, mutations: summarize(rest) });
      observer.disconnect();
      return log;
    },
  };
  // React DOM looks for this hook when it loads and calls onCommitFiberRoot after each commit.
  Object.assign(window, {
    __REACT_DEVTOOLS_GLOBAL_HOOK__: {
      supportsFiber: true,
      renderers: new Map(),
      inject: () => 1,
      checkDCE: () => undefined,
      onScheduleFiberRoot: () => undefined,
      onCommitFiberUnmount: () => undefined,
      onPostCommitFiberRoot: () => undefined,
      onCommitFiberRoot: () => {
        if (!window.__RENDERS__.recording) return;
        log.push({ at: Date.now(), react: true, mutations: summarize(observer.takeRecords()) });
      },
    },
  });
}

/** Installs the recorder in `page` (call before the app loads: the harness's `beforeLoad`). */
export async function addRenderRecorder(page: Page): Promise<void> {
  await page.addInitScript(installRecorder);
}

export const startRecording = (page: Page) => page.evaluate(() => window.__RENDERS__.start());
export const stopRecording = (page: Page) => page.evaluate(() => window.__RENDERS__.stop());
