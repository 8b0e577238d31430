// Real input for the journey tests: the X pointer and keyboard through xdotool, under the window manager
// scripts/test.sh starts (under bare Xvfb no window has the focus, so keystrokes are lost). WebDriver only
// reads the page and takes screenshots; every click and keystroke a journey makes goes through X.
import { execFileSync } from 'node:child_process';

const TITLE = 'OSMO Backend Admin';

function xdotool(...args) {
  return execFileSync('xdotool', args, { encoding: 'utf8', timeout: 30_000 }).trim();
}

export class Desktop {
  constructor(driver) {
    this.driver = driver;
    this.window = null;
  }

  /** Finds the app's window, gives it the focus and sets its size (`1024x700`). */
  async attach(size) {
    this.window = xdotool('search', '--sync', '--onlyvisible', '--name', TITLE).split('\n')[0];
    const [width, height] = size.split('x');
    xdotool('windowsize', '--sync', this.window, width, height);
    xdotool('windowactivate', '--sync', this.window);
    await this.driver.waitFor(`return window.innerWidth === ${width} && window.innerHeight <= ${height}`, 10_000);
  }

  /** Clicks, with the X pointer, the element `script` returns (a function body): its centre, or with
   * `corner` a point 4 px inside its top-left corner (a label's text rather than the control in it). */
  async click(script, { timeout = 20_000, corner = false } = {}) {
    const rect = await this.driver.waitFor(
      `const el = (() => { ${script} })();
       if (!el || el.disabled) return null;
       el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
       const r = el.getBoundingClientRect();
       if (r.width === 0 || r.height === 0) return null;
       return ${corner} ? [r.left + 4, r.top + 4] : [r.left + r.width / 2, r.top + r.height / 2];`,
      timeout,
    );
    xdotool('windowactivate', '--sync', this.window);
    xdotool('mousemove', '--window', this.window, String(Math.round(rect[0])), String(Math.round(rect[1])));
    xdotool('click', '1');
  }

  /** Clicks the button whose text starts with `text`, inside an element matching `within`: the last such
   * element that has one (the top dialog when `within` is `dialog[open]`). */
  clickButton(text, within = 'body') {
    return this.click(
      `const scopes = [...document.querySelectorAll(${JSON.stringify(within)})].reverse();
       const buttons = scopes.flatMap((scope) => [...scope.querySelectorAll('button')]);
       return buttons.find((b) => b.textContent.trim().startsWith(${JSON.stringify(text)}));`,
    );
  }

  /**
   * Clicks a text field and replaces what it holds by typing `text`. A page can move while the pointer
   * travels (the sandbox's cluster coming up adds lines above the dashboard's search field), so the
   * field must have the focus before anything is typed; a click that missed is made again, the way a
   * person clicks again, up to three times.
   */
  async fill(selector, text) {
    const field = `document.querySelector(${JSON.stringify(selector)})`;
    for (let attempt = 1; ; attempt += 1) {
      await this.click(`return ${field}`);
      try {
        await this.driver.waitFor(`return document.activeElement === ${field}`, 3_000);
        break;
      } catch (err) {
        if (attempt === 3) throw new Error(`three clicks on ${selector} did not focus it`, { cause: err });
      }
    }
    this.key('ctrl+a');
    this.key('BackSpace');
    this.type(text);
    await this.driver.waitFor(`return ${field}.value === ${JSON.stringify(text)}`, 5_000);
  }

  /** Chooses an option of a select with the keyboard: a click on its label's text focuses it, then the
   * option's name is typed (the select's type-ahead). */
  async choose(selector, option) {
    await this.click(`return document.querySelector(${JSON.stringify(selector)}).closest('label')`, { corner: true });
    await this.driver.waitFor(`return document.activeElement === document.querySelector(${JSON.stringify(selector)})`, 5_000);
    this.type(option);
    await this.driver.waitFor(`return document.querySelector(${JSON.stringify(selector)}).value === ${JSON.stringify(option)}`, 5_000);
  }

  type(text) {
    xdotool('type', '--delay', '25', text);
  }

  /** A key or chord in xdotool's names: `Return`, `Escape`, `alt+4`, `ctrl+k`. */
  key(chord) {
    xdotool('key', '--clearmodifiers', chord);
  }
}
