// The "activation-web" row: activate() in VS Code for the Web's extension host (a web worker), beside
// the Node row (activation.mjs). code-server runs a package with only the `browser` entry
// (test/harness/webPackage.mjs, from the production dist/ that bench/run.mjs has just built) in the
// workbench's web-worker host; the loader (src/extension/web/loader.ts) writes its times to the
// workspace file named by the setting misconduct.dev.benchActivationFile. The row is activate()
// alone, as the Node row is; reading the files (readMs) and compiling them (loadMs) are beside it.
import fs from 'node:fs';
import path from 'node:path';
import { median } from './lib/median.mjs';

const GOAL_MS = 30;
/** Fresh windows measured (the median is the row; see activation.mjs on why five). */
const RUNS = 5;
const FILE = '.bench-activation-web.json';
const ACTIVITY_ICON = '.part.activitybar .action-item a[aria-label^="Misconduct Annotator"], .part.activitybar .action-label[aria-label^="Misconduct Annotator"]';

function row(value, extra = {}) {
  return {
    case: 'activation-web',
    value: value === null ? null : Math.round(value * 100) / 100,
    unit: 'ms',
    baseline: null,
    ratio: null,
    goal: `activate() ≤ ${GOAL_MS} ms in the web-worker host (VS Code for the Web)`,
    met: value === null ? null : value <= GOAL_MS,
    ...extra,
  };
}

export async function measureWebActivation({ repo }) {
  const { startCodeServer, copyToTemp, waitFor, runCleanups } = await import('../test/harness/codeServer.mjs');
  const { launchBrowser, patchWorkbenchConfig, openWorkbench } = await import('../test/harness/browser.mjs');
  const { packWebOnly } = await import('../test/harness/webPackage.mjs');
  const vsix = await packWebOnly();
  const results = [];
  for (let k = 1; k <= RUNS; k++) {
    const workspace = copyToTemp(path.join(repo, 'test', 'fixtures', 'integration-corpus'));
    const cs = await startCodeServer({ vsix: [vsix], name: `bench-activation-web-${k}`, settings: { 'misconduct.dev.benchActivationFile': FILE } });
    try {
      const browser = await launchBrowser({ name: `bench-activation-web-${k}` });
      await patchWorkbenchConfig(browser.page, {});
      await openWorkbench(browser.page, cs.workbenchUrl(workspace));
      // opening its views activates the extension (onView): the web worker host does not act on
      // workspaceContains here (its file search waits for a search provider the remote never registers)
      await browser.page.locator(ACTIVITY_ICON).first().click({ timeout: 30_000 });
      const out = path.join(workspace, FILE);
      const text = await waitFor(() => fs.existsSync(out) && fs.readFileSync(out, 'utf8').trim(), { timeoutMs: 60_000, what: `${FILE} from the web worker` });
      const result = JSON.parse(text);
      console.log(`  · activate() took ${result.activationMs.toFixed(1)} ms in the web worker (reading the files ${result.readMs.toFixed(0)} ms, compiling ${result.loadMs.toFixed(0)} ms; run ${k} of ${RUNS})`);
      results.push(result);
      await browser.close();
    } finally {
      await cs.stop();
    }
  }
  await runCleanups();
  const listed = (xs) => xs.map((x) => Math.round(x * 10) / 10).join('/');
  const of = (key) => results.map((r) => r[key]);
  return row(median(of('activationMs')), {
    vscodeVersion: results[0].vscodeVersion,
    runs: listed(of('activationMs')),
    readMs: Math.round(median(of('readMs')) * 10) / 10,
    loadMs: Math.round(median(of('loadMs')) * 10) / 10,
  });
}
