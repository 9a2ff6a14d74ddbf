// Shared e2e fixture: one code-server + one Chromium window per test file
// (describe block), on a fresh temp copy of samples/corpus, with our vsix
// installed. Starting takes ~6 s, so tests in a file share the window; keep
// them independent of each other's open editors (helpers.closeAllEditors()).
//
// Usage in a test file (test/e2e/*.e2e.mjs):
//   import { useVSCode } from './fixture.mjs';
//   describe('something', function () {
//     const vs = useVSCode();           // registers before/after/afterEach hooks
//     it('does x', async () => { await openFileFromExplorer(vs.page, 'a.txt'); … });
//   });
import path from 'node:path';
import { REPO_ROOT, RESULTS_DIR, startCodeServer, copyToTemp, findVsix } from '../harness/codeServer.mjs';
import { launchBrowser, patchWorkbenchConfig, openWorkbench } from '../harness/browser.mjs';
import { packFakeLmProvider } from '../harness/fakeLmProvider.mjs';
import { screenshot } from './helpers.mjs';

let counter = 0;

/**
 * Start VS Code on a copy of `corpus` (default: INTEGRATION_CORPUS). Returns { page, workspace, cs, stop() }.
 * MISCONDUCT_DEV=1 loads the extension from the repo (dist/) instead of the vsix
 * (MISCONDUCT_DEV=<dir>: from that extension folder).
 */
/** The samples as they were before they were coded (three annotated, two untouched): what most tests expect. */
export const INTEGRATION_CORPUS = path.join(REPO_ROOT, 'test', 'fixtures', 'integration-corpus');
/** The sample corpus as shipped: fully coded (spans, relations, forms). */
export const SAMPLES_CORPUS = path.join(REPO_ROOT, 'samples', 'corpus');

export async function startVSCode({ name = `e2e-${++counter}`, corpus = INTEGRATION_CORPUS, settings, fakeLanguageModel = false } = {}) {
  const dev = process.env.MISCONDUCT_DEV && (process.env.MISCONDUCT_DEV === '1' ? REPO_ROOT : path.resolve(process.env.MISCONDUCT_DEV));
  const workspace = copyToTemp(corpus);
  // the scripted language model of the integration tests (its answers: the misconductFakeLm.steps setting)
  const extra = fakeLanguageModel ? [await packFakeLmProvider({ web: WEB })] : [];
  const cs = await startCodeServer({ vsix: [...(dev ? [] : [findVsix()]), ...extra], name, settings });
  const browser = await launchBrowser({ name });
  // Dev mode loads the repo as an "extension under development"; the patch also
  // drops the unreachable marketplace. (No smoke-test driver: it hides toasts.)
  await patchWorkbenchConfig(browser.page, { devExtensions: dev ? [cs.remoteUri(dev)] : [] });
  await openWorkbench(browser.page, cs.workbenchUrl(workspace));
  return {
    page: browser.page, workspace, cs, browser,
    async stop() { await browser.close(); await cs.stop(); },
  };
}

/**
 * Register mocha hooks that start VS Code before the block's tests, screenshot
 * after every test (test-results/e2e-<title>.png), and stop everything after.
 * Returns an object whose fields (page, workspace, cs) are filled in by `before`.
 */
export function useVSCode(options = {}) {
  const ctx = {};
  before(async function () {
    this.timeout(120_000);
    Object.assign(ctx, await startVSCode(options));
  });
  afterEach(async function () {
    if (!ctx.page) return;
    const slug = this.currentTest.fullTitle().replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase();
    const file = await screenshot(ctx.page, `e2e-${slug}`).catch(() => null);
    if (file && this.currentTest.state === 'failed') console.log(`      screenshot: ${path.relative(REPO_ROOT, file)}`);
  });
  after(async function () {
    this.timeout(30_000);
    await ctx.stop?.();
  });
  return ctx;
}

/** Whether the run tests the web build (run.mjs --web): the extension in the web-worker host. */
export const WEB = !!process.env.MISCONDUCT_WEB;

export { RESULTS_DIR };
