#!/usr/bin/env node
// Run the compiled integration tests (out/test/integration/**/*.test.js) inside
// a real VS Code extension host (code-server 1.139 + headless Chromium).
//
// How: VS Code's own extension-test mechanism. The workbench URL carries a
// `payload` with extensionDevelopmentPath (a stub extension), extensionTestsPath
// (runner-extension/index.cjs, which runs mocha in the extension host) and
// extensionEnvironment (where to write results). Our packaged vsix is installed
// as a normal extension, so tests exercise exactly what ships.
// Results stream back through a JSONL file; the run ends when the workbench
// calls window.codeAutomationExit(code) (exposed by Playwright) after run() settles.
//
// Builds nothing: expects `npm run package` (vsix) and `npm run compile-tests` (out/).
//
// Options (env or flags):
//   --grep <re> | MISCONDUCT_TEST_GREP   only tests whose full title matches
//   --dev       | MISCONDUCT_DEV=1       load the extension from the repo (dist/) instead of the vsix
//                 MISCONDUCT_DEV=<dir>   … or from another extension folder
//   MISCONDUCT_VSIX                      vsix to test (default: newest misconduct-annotator-*.vsix)
//   MISCONDUCT_TEST_DIR                  compiled tests dir (default: out/test/integration)
//   MISCONDUCT_CORPUS                    workspace folder to copy (default: test/fixtures/integration-corpus,
//                                        the samples as they were before they were coded: three
//                                        articles annotated, two untouched — what these tests expect)
//   MISCONDUCT_RUN_TIMEOUT               overall timeout in ms (default 600000)
//   MISCONDUCT_KEEP_TMP=1                keep temp workspace/user-data for debugging
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, RESULTS_DIR, LOG_DIR, startCodeServer, copyToTemp, findVsix, runCleanups, step, waitFor } from './codeServer.mjs';
import { launchBrowser, patchWorkbenchConfig, openWorkbench } from './browser.mjs';
import { packFakeLmProvider } from './fakeLmProvider.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const opt = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };

const grep = opt('--grep') ?? process.env.MISCONDUCT_TEST_GREP;
const devEnv = process.env.MISCONDUCT_DEV;
const devMode = flag('--dev') || !!devEnv;
const devPath = devEnv && devEnv !== '1' ? path.resolve(devEnv) : REPO_ROOT;
const testDir = path.resolve(process.env.MISCONDUCT_TEST_DIR || path.join(REPO_ROOT, 'out', 'test', 'integration'));
const corpus = path.resolve(process.env.MISCONDUCT_CORPUS || path.join(REPO_ROOT, 'test', 'fixtures', 'integration-corpus'));
const runTimeoutMs = Number(process.env.MISCONDUCT_RUN_TIMEOUT || 600_000);

const green = (s) => (process.stdout.isTTY ? `\x1b[32m${s}\x1b[0m` : s);
const red = (s) => (process.stdout.isTTY ? `\x1b[31m${s}\x1b[0m` : s);

async function main() {
  const t0 = Date.now();
  const vsix = devMode ? [] : [await step('find vsix', null, () => findVsix())];
  // installed beside ours: a language model the tests script (test/fixtures/fake-lm-provider)
  const fakeLm = await step('pack the fake language model', null, () => packFakeLmProvider());
  if (!fs.existsSync(testDir)) throw new Error(`no compiled integration tests at ${testDir} (run \`npm run compile-tests\`)`);
  const workspace = copyToTemp(corpus);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const resultsFile = path.join(RESULTS_DIR, 'integration-results.jsonl');
  fs.writeFileSync(resultsFile, '');

  console.log(`integration: ${devMode ? `dev mode (${devPath})` : path.basename(vsix[0])}, tests in ${path.relative(REPO_ROOT, testDir) || testDir}${grep ? `, grep ${JSON.stringify(grep)}` : ''}`);
  const cs = await startCodeServer({ vsix: [...vsix, fakeLm], name: 'integration' });
  const { page } = await step('launch chromium', LOG_DIR, () => launchBrowser({ name: 'integration' }));

  // The extension host's console output arrives here (VS Code forwards it in test mode).
  const extHostLog = fs.createWriteStream(path.join(LOG_DIR, 'integration-exthost.log'));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    extHostLog.write(`[${type}] ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  });
  let exitCode = null;
  await page.exposeFunction('codeAutomationExit', (code) => { exitCode = code; });
  await patchWorkbenchConfig(page, { smokeTestDriver: true });

  const payload = [
    // VS Code needs an extension "under development" to run extensionTestsPath. The payload
    // becomes a Map, so only ONE extensionDevelopmentPath counts: the real extension in dev
    // mode, else the stub runner-extension (our vsix is then installed normally).
    ['extensionDevelopmentPath', cs.remoteUri(devMode ? devPath : path.join(HERE, 'runner-extension'))],
    ['extensionTestsPath', cs.remoteUri(path.join(HERE, 'runner-extension', 'index.cjs'))],
    ['extensionEnvironment', JSON.stringify({
      MISCONDUCT_TEST_RESULTS: resultsFile,
      MISCONDUCT_TEST_DIR: testDir,
      MISCONDUCT_MOCHA: path.join(REPO_ROOT, 'node_modules', 'mocha'),
      ...(grep ? { MISCONDUCT_TEST_GREP: grep } : {}),
      ...(process.env.MISCONDUCT_TEST_TIMEOUT ? { MISCONDUCT_TEST_TIMEOUT: process.env.MISCONDUCT_TEST_TIMEOUT } : {}),
    })],
  ];
  await step('open workbench', cs.logFile, () => openWorkbench(page, cs.workbenchUrl(workspace, payload)));

  // Stream results as they are appended; finish when VS Code reports the exit.
  const counts = { passed: 0, failed: 0, pending: 0, ran: 0 };
  const failures = [];
  let offset = 0;
  let ended = false;
  let setupError = null;
  const drain = () => {
    const text = fs.readFileSync(resultsFile, 'utf8');
    const lastNl = text.lastIndexOf('\n');
    if (lastNl < offset) return;
    for (const line of text.slice(offset, lastNl).split('\n').filter(Boolean)) {
      const ev = JSON.parse(line);
      if (ev.type === 'pass') { counts.passed++; console.log(`  ${green('✔')} ${ev.fullTitle} (${ev.durationMs ?? 0}ms)`); }
      if (ev.type === 'fail') { counts.failed++; failures.push(ev); console.log(`  ${red('✘')} ${ev.fullTitle}`); }
      if (ev.type === 'pending') { counts.pending++; console.log(`  - ${ev.fullTitle} (skipped)`); }
      if (ev.type === 'end') ended = true;
      if (ev.type === 'error') { setupError = ev.error; ended = true; }
    }
    offset = lastNl + 1;
  };
  await step('run tests in the extension host', path.join(LOG_DIR, 'integration-exthost.log'), () => waitFor(() => {
    drain();
    if (cs.exited !== null) throw Object.assign(new Error('code-server exited during the run'), { fatal: true });
    return exitCode !== null;
  }, { timeoutMs: runTimeoutMs, intervalMs: 200, what: 'the extension host to finish the tests' }));
  drain();

  for (const [i, f] of failures.entries()) {
    console.log(`\n  ${i + 1}) ${f.fullTitle}${f.file ? `\n     ${path.relative(REPO_ROOT, f.file)}` : ''}`);
    console.log(red(`     ${(f.error?.stack || f.error?.message || '').split('\n').slice(0, 8).join('\n     ')}`));
    if (f.error?.expected !== undefined) console.log(`     expected: ${f.error.expected}\n     actual:   ${f.error.actual}`);
  }
  if (setupError) console.log(red(`\nrunner error: ${setupError.stack || setupError.message}`));
  if (!ended && !setupError) console.log(red(`\nthe extension host exited (code ${exitCode}) before mocha finished; see ${path.relative(REPO_ROOT, LOG_DIR)}/`));
  if (counts.failed || setupError || exitCode !== 0) {
    await page.screenshot({ path: path.join(RESULTS_DIR, 'integration-failure.png') }).catch(() => {});
  }
  const total = counts.passed + counts.failed;
  console.log(`\n(${((Date.now() - t0) / 1000).toFixed(1)}s, logs in ${path.relative(REPO_ROOT, LOG_DIR)}/)`);
  if (total === 0) console.log(red('no tests ran'));
  // A runner error (or an extension host that died mid-run) counts as one failure.
  const failed = counts.failed + (setupError || !ended ? 1 : 0);
  console.log(`${counts.passed} passed, ${failed} failed${counts.pending ? `, ${counts.pending} skipped` : ''}`);
  return counts.failed === 0 && !setupError && ended && exitCode === 0 && total > 0 ? 0 : 1;
}

let code = 1;
try {
  code = await main();
} catch (err) {
  console.error(red(`\nintegration run failed: ${err.message}`));
  console.error(`logs: ${LOG_DIR}`);
  console.log('0 passed, 1 failed');
}
await runCleanups();
process.exit(code);
