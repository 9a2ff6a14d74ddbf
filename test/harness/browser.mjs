// Headless Chromium (Debian's, driven by playwright-core) pointed at code-server.
// playwright-core never downloads a browser, which is exactly what we want offline.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { harnessPaths } from './install.mjs';
import { LOG_DIR, REPO_ROOT, onCleanup } from './codeServer.mjs';

// Resolve playwright-core from the repo (it is a devDependency there), not from
// wherever this file happens to be imported from.
const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const { chromium } = require('playwright-core');

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];

/**
 * Launch chromium and return { browser, context, page, close() }.
 * Browser console output goes to test-results/logs/<name>-browser.log.
 */
export async function launchBrowser({ name = 'browser', viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium: executablePath } = harnessPaths();
  if (!executablePath) throw new Error('chromium not found (run: node test/harness/install.mjs)');
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}-browser.log`);
  const log = fs.createWriteStream(logFile);
  const browser = await chromium.launch({ executablePath, args: ARGS, headless: !process.env.HEADFUL });
  const close = async () => { unregister(); await browser.close().catch(() => {}); log.end(); };
  // On a hard exit there is no time for browser.close(); kill the process directly.
  const unregister = onCleanup({ async: close, sync: () => { try { browser.process?.()?.kill('SIGKILL'); } catch { /* gone */ } } });
  const context = await browser.newContext({ viewport });
  // Clipboard is used by some editor commands; grant it so no permission prompt appears.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']).catch(() => {});
  const page = await context.newPage();
  page.on('console', (m) => log.write(`[${m.type()}] ${m.text()}\n`));
  page.on('pageerror', (e) => log.write(`[pageerror] ${e.stack || e.message}\n`));
  return { browser, context, page, logFile, close };
}

/**
 * Rewrite the workbench configuration code-server embeds in its HTML page
 * (<meta id="vscode-workbench-web-configuration" data-settings="{json}">) before
 * the workbench reads it. Why:
 *  - smokeTestDriver: a built VS Code ignores the URL `payload`
 *    (extensionDevelopmentPath, extensionTestsPath, extensionEnvironment) unless
 *    developmentOptions.enableSmokeTestDriver is set, and code-server's CLI
 *    rejects --enable-smoke-test-driver. Side effect: notification toasts and
 *    dialogs are suppressed, so e2e tests must NOT use it.
 *  - devExtensions: remote URIs loaded as "extensions under development"
 *    (developmentOptions.extensions), which works without the smoke-test driver.
 *  - offline: drop extensionsGallery so the workbench does not query a
 *    marketplace that is unreachable here (noise + slow failing requests).
 */
export async function patchWorkbenchConfig(page, { smokeTestDriver = false, devExtensions = [], offline = true } = {}) {
  // Done in the page (an init script runs before any page script) rather than by
  // intercepting the HTML with page.route: a routed document response broke the
  // workbench's websocket connection to the server.
  await page.addInitScript(({ smokeTestDriver, devExtensions, offline }) => {
    const orig = Element.prototype.getAttribute;
    Element.prototype.getAttribute = function (name) {
      const value = orig.call(this, name);
      if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || !value) return value;
      const cfg = JSON.parse(value);
      const dev = { ...cfg.developmentOptions };
      if (smokeTestDriver) dev.enableSmokeTestDriver = true;
      if (devExtensions.length) {
        dev.extensions = devExtensions.map((u) => {
          const url = new URL(u);
          return { scheme: url.protocol.slice(0, -1), authority: url.host, path: decodeURIComponent(url.pathname) };
        });
      }
      cfg.developmentOptions = dev;
      if (offline && cfg.productConfiguration) {
        delete cfg.productConfiguration.extensionsGallery;
        cfg.productConfiguration.enableTelemetry = false;
      }
      return JSON.stringify(cfg);
    };
  }, { smokeTestDriver, devExtensions, offline });
}

/**
 * Navigate to a workbench URL and wait until VS Code is interactive: the
 * workbench DOM exists and the explorer shows the folder's files.
 */
export async function openWorkbench(page, url, { timeoutMs = 60_000, waitForExplorer = true } = {}) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: timeoutMs });
  await page.locator('.monaco-workbench').waitFor({ timeout: timeoutMs });
  if (waitForExplorer) {
    await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: timeoutMs });
  }
}
