// The end-to-end rows at corpus scale: the Corpus view and the dashboard in real VS Code
// (code-server through Chromium, the harness of test/harness), on generated workspaces of many
// articles, every second one with a sidecar (bench/children/corpus-fixture.ts, written once per run
// under the bench's temp folder and shared by the rows; nothing is written into them).
//
//   e2e-corpus-10k          the window opens with the Corpus view showing (the workbench's
//                           defaultLayout, as a researcher's window restores it); from the window
//                           being ready (LifecyclePhase Restored) to the view complete: its header
//                           "N / 10000 done" with nothing left to read, its rows (the folders of
//                           100 articles) drawn, and no row still loading. Goal ≤ 3 s.
//   e2e-corpus-100k-typing  an article open in a window whose Corpus view lists 100,000 articles:
//                           keys typed (a key → its character painted, as e2e-typing) while the view
//                           fills again (Refresh Corpus), against keys typed idle in the same window
//                           before and after. Goal: not slower than idle (≤ 1.25× idle, the margin
//                           the other typing rows allow for noise). `firstFillMs`: the window's
//                           first fill of the view, from the window being ready.
//   e2e-dashboard-10k       the key that runs Show Dashboard (once the window's startup is over) →
//                           the dashboard's totals and every chart painted. Goal ≤ 2 s.
//
// Each row is the median of BENCH_CORPUS_RUNS windows (default 3), each window new (new browser
// context, new extension host). Times are taken inside the page (the dashboard's end inside its
// webview frame, on the same clock: wall time).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { median } from './lib/median.mjs';
import { perfProbe, waitProbe } from './e2e.mjs';

const RUNS = Number(process.env.BENCH_CORPUS_RUNS || 3);
const SETTLE_MS = 2000;
const KEYSTROKES = 9;
/** Keys during the fill: the most typed (the fill may end first; past about 100 keys in all, the typed run wraps onto the next line, where the probe no longer finds it). */
const FILL_KEYSTROKES = 60;
const TYPING_GOAL = 1.25;
const GOALS = { corpus: 3000, dashboard: 2000 };
export const CORPUS_SIZES = [
  { id: '10k', articles: 10_000, seed: 7 },
  { id: '100k', articles: 100_000, seed: 8 },
];
/** Keys bound for the bench (keybindings.json of its user data): refresh the Corpus view, open the dashboard. */
const KEYBINDINGS = [
  { key: 'ctrl+alt+9', command: 'misconduct.corpus.refresh' },
  { key: 'ctrl+alt+8', command: 'misconduct.showDashboard' },
];

const round = (x) => Math.round(x * 100) / 100;

function generate({ repo, tmp }, size) {
  const dir = path.join(tmp, 'corpus-pristine', size.id);
  if (fs.existsSync(path.join(dir, 'fixture.json'))) return { ...size, dir, ...JSON.parse(fs.readFileSync(path.join(dir, 'fixture.json'), 'utf8')) };
  const script = path.join(tmp, 'children', 'corpus-fixture.cjs');
  const run = spawnSync(process.execPath, [script, dir, String(size.articles), String(size.seed)], { cwd: repo, encoding: 'utf8', env: { ...process.env, BENCH_REPO: repo } });
  if (run.status !== 0) throw new Error(`corpus-fixture failed: ${run.stderr}`);
  const facts = JSON.parse(run.stdout);
  // outside the workspace's articles: a .json is neither an article nor a sidecar
  fs.writeFileSync(path.join(dir, 'fixture.json'), JSON.stringify(facts));
  return { ...size, dir, ...facts };
}

/** Installed before the workbench loads: opens the Corpus view at start (IWorkbenchConstructionOptions.defaultLayout). */
function withDefaultLayout(views) {
  const orig = Element.prototype.getAttribute;
  Element.prototype.getAttribute = function (name) {
    const value = orig.call(this, name);
    if (name !== 'data-settings' || this.id !== 'vscode-workbench-web-configuration' || !value) return value;
    const cfg = JSON.parse(value);
    cfg.defaultLayout = { views: views.map((id) => ({ id })), force: true };
    return JSON.stringify(cfg);
  };
}

/**
 * In the page: whether the Corpus view is complete for `total` articles: the header's progress
 * counts them all with none left to read, and its rows are drawn, none of them loading.
 */
function corpusComplete(total) {
  const pane = [...document.querySelectorAll('.pane')].find((p) => /^\s*Corpus/i.test(p.querySelector('.pane-header .title')?.textContent ?? ''));
  if (!pane) return false;
  const header = pane.querySelector('.pane-header')?.textContent ?? '';
  if (!header.includes(`/ ${total} done`) || header.includes('reading')) return false;
  const rows = [...pane.querySelectorAll('.monaco-list-row')];
  return rows.length > 0 && !rows.some((r) => /, loading$/.test(r.getAttribute('aria-label') ?? ''));
}

/** In the page: the time of the workbench's Restored phase (the window ready), ms since navigation. */
function restoredAt() {
  return performance.getEntriesByName('code/LifecyclePhase/Restored')[0]?.startTime ?? null;
}

async function newWindow({ browser, cs, harness, repo, workspace, views }) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await harness.browser.patchWorkbenchConfig(page, { devExtensions: [cs.remoteUri(repo)] });
  if (views) await page.addInitScript(withDefaultLayout, views);
  await page.addInitScript(perfProbe);
  // (with the Corpus view shown at start, the Explorer is not)
  await harness.browser.openWorkbench(page, cs.workbenchUrl(workspace), { waitForExplorer: !views });
  return { context, page };
}

async function waitCorpus(page, total, timeoutMs) {
  const handle = await page.waitForFunction(corpusComplete, total, { polling: 'raf', timeout: timeoutMs });
  await handle.dispose();
  return page.evaluate(() => performance.now());
}

/** e2e-corpus-10k: from the window ready to the Corpus view complete. */
async function corpusRun(env, fixture) {
  const { context, page } = await newWindow({ ...env, workspace: fixture.dir, views: ['misconduct.corpus'] });
  try {
    const done = await waitCorpus(page, fixture.articles, 120_000);
    const ready = await page.evaluate(restoredAt);
    if (ready === null) throw new Error('no code/LifecyclePhase/Restored mark');
    return { ms: done - ready, readyMs: ready };
  } finally {
    await context.close().catch(() => {});
  }
}

/** Types KEYSTROKES (or until `until()`) keys; each key → its character painted, in ms. */
async function typeKeys(page, state, count, until) {
  const letters = 'qzxjvkw';
  const out = [];
  for (let i = 0; i < count; i++) {
    if (until && (await until())) break;
    await page.waitForTimeout(150);
    const letter = letters[state.typed % letters.length];
    state.prefix += letter;
    state.typed++;
    await page.evaluate((s) => window.__perfProbe.arm(s), { kind: 'type', key: letter, needle: state.prefix + state.word });
    await page.keyboard.press(letter);
    const t = await waitProbe(page, `keystroke ${state.typed}`, 10_000);
    out.push(t.ms);
  }
  return out;
}

/** e2e-corpus-100k-typing: keys in an open article while the Corpus view fills, against idle keys. */
async function typingRun(env, fixture, run) {
  const { context, page } = await newWindow({ ...env, workspace: fixture.dir, views: ['misconduct.corpus'] });
  try {
    const first = await waitCorpus(page, fixture.articles, 300_000);
    const ready = await page.evaluate(restoredAt);
    // an article of its own in each run (no sidecar: odd indexes), so no window meets another's typing
    const index = 2 * run + 1;
    const file = `article-${String(index).padStart(5, '0')}.txt`;
    const text = fs.readFileSync(path.join(fixture.dir, `batch-${String(Math.floor(index / 100)).padStart(3, '0')}`, file), 'utf8');
    const word = /^\S+/.exec(text)[0];
    const quick = page.locator('.quick-input-widget');
    await page.keyboard.press('Control+P');
    await quick.locator('input').waitFor({ state: 'visible' });
    await quick.locator('input').fill(file);
    await quick.locator('.monaco-list-row.focused', { hasText: file }).first().waitFor();
    await page.keyboard.press('Enter');
    await page.locator('.editor-group-container.active .monaco-editor.focused').waitFor();
    await page.waitForTimeout(SETTLE_MS);
    const state = { prefix: '', word, typed: 0 };
    const idle = await typeKeys(page, state, KEYSTROKES);
    await page.waitForTimeout(SETTLE_MS);
    // Refresh Corpus (a key bound for the bench, so the editor keeps the focus): the view lists and reads again
    await page.keyboard.press('Control+Alt+9');
    // the fill has begun once the header says it is reading (it shows the old count while the list
    // is looked for), and ends when the view is complete again
    let begun = false;
    const filled = async () => {
      begun ||= await page.evaluate(() => [...document.querySelectorAll('.pane-header')].some((h) => /^\s*Corpus/i.test(h.querySelector('.title')?.textContent ?? '') && /reading/.test(h.textContent ?? '')));
      return begun && (await page.evaluate(corpusComplete, fixture.articles));
    };
    const filling = await typeKeys(page, state, FILL_KEYSTROKES, filled);
    if (!begun) throw new Error('the Corpus view did not start filling again');
    await waitCorpus(page, fixture.articles, 300_000);
    await page.waitForTimeout(SETTLE_MS);
    idle.push(...(await typeKeys(page, state, KEYSTROKES)));
    return { idle, filling, firstFillMs: first - ready };
  } finally {
    await context.close().catch(() => {});
  }
}

/** In the dashboard's frame: whether it shows its totals and every chart, with nothing loading. */
function dashboardComplete() {
  const total = document.querySelector('#total-articles .number')?.textContent;
  const status = document.getElementById('status');
  if (!total || !status || !status.hidden) return false;
  const charts = [...document.querySelectorAll('[id^="chart-"]')];
  if (!charts.length || charts.some((c) => !c.querySelector('canvas, .empty, table'))) return false;
  return { at: performance.timeOrigin + performance.now(), articles: total };
}

/** The dashboard's document (VS Code nests the page in two iframes), once it is there. */
async function dashboardFrame(page, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (await frame.evaluate(() => !!document.getElementById('status')).catch(() => false)) return frame;
    }
    if (Date.now() > deadline) throw new Error('no dashboard frame');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** e2e-dashboard-10k: the key running Show Dashboard → the dashboard complete. */
async function dashboardRun(env, fixture) {
  const { context, page } = await newWindow({ ...env, workspace: fixture.dir });
  try {
    await page.waitForFunction(() => performance.getEntriesByName('code/LifecyclePhase/Eventually').length > 0, undefined, { timeout: 60_000, polling: 100 });
    await page.waitForTimeout(SETTLE_MS);
    // the key is ours once the extension's contributions are in (its activity bar entry shows)
    await page.locator('.part.activitybar .action-item a[aria-label^="Misconduct Annotator"], .part.activitybar .action-label[aria-label^="Misconduct Annotator"]').first().waitFor({ timeout: 30_000 });
    await page.evaluate(() => {
      window.__dashboardKey = null;
      window.addEventListener('keydown', (e) => e.key === '8' && window.__dashboardKey === null && (window.__dashboardKey = performance.timeOrigin + performance.now()), true);
    });
    await page.keyboard.press('Control+Alt+8');
    const frame = await dashboardFrame(page, 60_000);
    const handle = await frame.waitForFunction(dashboardComplete, undefined, { polling: 'raf', timeout: 120_000 });
    const { at, articles } = await handle.jsonValue();
    if (articles !== String(fixture.articles)) throw new Error(`the dashboard counted ${articles} articles, not ${fixture.articles}`);
    const key = await page.evaluate(() => window.__dashboardKey);
    return { ms: at - key };
  } finally {
    await context.close().catch(() => {});
  }
}

/** The corpus rows wanted: BENCH_E2E_SIZES may name 10k and 100k (with or without the other e2e sizes). */
export function corpusSizesWanted() {
  const sizes = process.env.BENCH_E2E_SIZES?.split(',');
  return CORPUS_SIZES.filter((s) => !sizes || sizes.includes(s.id));
}

/** Runs the corpus-scale end-to-end rows; returns bench rows. */
export async function measureCorpusE2E({ repo, tmp }) {
  const sizes = corpusSizesWanted();
  if (!sizes.length) return [];
  const harness = {
    codeServer: await import('../test/harness/codeServer.mjs'),
    browser: await import('../test/harness/browser.mjs'),
  };
  if (!fs.existsSync(path.join(repo, 'dist', 'extension.js'))) throw new Error('no dist/extension.js (the production build failed)');
  const fixtures = new Map(sizes.map((s) => [s.id, generate({ repo, tmp }, s)]));
  const settings = {
    'misconduct.author': 'bench',
    'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
    'editor.wordBasedSuggestions': 'off',
    ...JSON.parse(process.env.BENCH_E2E_SETTINGS || '{}'),
  };
  const env = Object.fromEntries(['MISCONDUCT_PERF_TRACE', 'MISCONDUCT_CPU_PROFILE', 'MISCONDUCT_CPU_PROFILE_SLICE_MS'].filter((k) => process.env[k]).map((k) => [k, process.env[k]]));
  const cs = await harness.codeServer.startCodeServer({ name: 'bench-e2e-corpus', settings, env });
  fs.writeFileSync(path.join(cs.userDataDir, 'User', 'keybindings.json'), JSON.stringify(KEYBINDINGS, null, 2));
  const { browser, close } = await harness.browser.launchBrowser({ name: 'bench-e2e-corpus' });
  const ctx = { browser, cs, harness, repo };
  const rows = [];
  const attempt = async (label, fn) => {
    try {
      return await fn();
    } catch (err) {
      console.log(`  ✗ ${label}: ${err.message.split('\n')[0]}`);
      return null;
    }
  };
  try {
    const small = fixtures.get('10k');
    if (small) {
      // one window first, not counted (see bench/e2e.mjs: the first window after the server starts is slower)
      await attempt('10k warm-up', () => corpusRun(ctx, small));
      const corpus = [];
      const dashboard = [];
      for (let run = 1; run <= RUNS; run++) {
        const c = await attempt(`corpus 10k run ${run}`, () => corpusRun(ctx, small));
        if (c) console.log(`  · corpus 10k run ${run}: complete ${c.ms.toFixed(0)} ms after the window was ready (${c.readyMs.toFixed(0)} ms after navigation)`);
        if (c) corpus.push(c);
        const d = await attempt(`dashboard 10k run ${run}`, () => dashboardRun(ctx, small));
        if (d) console.log(`  · dashboard 10k run ${run}: complete ${d.ms.toFixed(0)} ms after the key`);
        if (d) dashboard.push(d);
      }
      if (corpus.length) {
        const value = median(corpus.map((c) => c.ms));
        rows.push({ case: 'e2e-corpus-10k', value: round(value), unit: 'ms', baseline: null, ratio: null, goal: `≤ ${GOALS.corpus} ms from the window ready to the Corpus view complete (10,000 articles, 5,000 with sidecars)`, met: value <= GOALS.corpus, runs: corpus.length, oursRuns: corpus.map((c) => Math.round(c.ms)).join('/'), readyMs: Math.round(median(corpus.map((c) => c.readyMs))) });
      }
      if (dashboard.length) {
        const value = median(dashboard.map((d) => d.ms));
        rows.push({ case: 'e2e-dashboard-10k', value: round(value), unit: 'ms', baseline: null, ratio: null, goal: `≤ ${GOALS.dashboard} ms from the key to the dashboard complete (10,000 articles, 5,000 with sidecars)`, met: value <= GOALS.dashboard, runs: dashboard.length, oursRuns: dashboard.map((d) => Math.round(d.ms)).join('/') });
      }
    }
    const large = fixtures.get('100k');
    if (large) {
      const idle = [];
      const filling = [];
      const firstFill = [];
      for (let run = 1; run <= RUNS; run++) {
        const t = await attempt(`typing 100k run ${run}`, () => typingRun(ctx, large, run));
        if (!t) continue;
        console.log(`  · typing 100k run ${run}: first fill ${t.firstFillMs.toFixed(0)} ms; idle ${median(t.idle).toFixed(1)} ms a key (${t.idle.length}), filling ${t.filling.length ? median(t.filling).toFixed(1) : '—'} ms a key (${t.filling.length})`);
        idle.push(...t.idle);
        filling.push(...t.filling);
        firstFill.push(t.firstFillMs);
      }
      if (idle.length && filling.length) {
        const [value, baseline] = [median(filling), median(idle)];
        rows.push({ case: 'e2e-corpus-100k-typing', value: round(value), unit: 'ms', baseline: round(baseline), baselineUnit: 'ms idle', ratio: round(value / baseline), goal: `not slower than idle: ≤ ${TYPING_GOAL}× typing idle in the same window (100,000 articles, 50,000 with sidecars)`, met: value / baseline <= TYPING_GOAL, keys: `${filling.length}+${idle.length}`, firstFillMs: Math.round(median(firstFill)), fillingRuns: filling.map(Math.round).join('/'), idleRuns: idle.map(Math.round).join('/') });
      }
    }
  } finally {
    await close();
    await cs.stop();
  }
  return rows;
}
