// The installed .deb, started once from its installed path under Xvfb through tauri-driver +
// WebKitWebDriver: its window opens and About names the version dpkg installed.
// tests/package/check.sh installs the package and runs this with OSMO_ADMIN_INSTALLED set.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchTauriDriver } from '../e2e/webdriver.js';

const binary = process.env.OSMO_ADMIN_INSTALLED;
const screenshots = fileURLToPath(new URL('../e2e/screenshots', import.meta.url));
const home = mkdtempSync(path.join(tmpdir(), 'osmo-admin-installed-'));

let driverProcess;
let driver;

before(async () => {
  assert.ok(binary && existsSync(binary), `OSMO_ADMIN_INSTALLED must name the installed app, got ${binary}`);
  assert.ok(process.env.DISPLAY, 'a DISPLAY is needed (tests/package/check.sh starts Xvfb)');
  mkdirSync(screenshots, { recursive: true });
  ({ driver, process: driverProcess } = await launchTauriDriver({
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
    XDG_CACHE_HOME: path.join(home, 'cache'),
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
  }));
});

after(async () => {
  await driver?.quit();
  driverProcess?.kill();
});

test('the installed app opens its window and About names the installed version', async () => {
  const installed = execFileSync('dpkg-query', ['-W', '-f=${Version}', 'osmo-backend-admin'], { encoding: 'utf8' });
  assert.match(installed, /^\d+\.\d+\.\d+/, `dpkg knows the package: ${installed}`);
  await driver.start(binary, []);
  await driver.waitFor('return document.querySelector("h1")?.textContent', 30_000);
  assert.equal(await driver.title(), 'OSMO Backend Admin');
  await driver.execute('[...document.querySelectorAll("button")].find((b) => b.textContent === "About").click()');
  const version = await (await driver.find('[data-testid=about-version]', 20_000)).text();
  assert.ok(version.startsWith(`${installed} (`), `About says "${version}", dpkg installed ${installed}`);
  writeFileSync(path.join(screenshots, 'installed-about.png'), await driver.screenshot());
});
