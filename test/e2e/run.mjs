#!/usr/bin/env node
// e2e runner: mocha (programmatic) over test/e2e/**/*.e2e.mjs. Each test file
// starts its own code-server + Chromium through fixture.mjs's useVSCode().
// Builds nothing: expects `npm run package` to have produced the vsix (or
// MISCONDUCT_DEV=1 with `npm run build`, to load the extension from dist/).
//
//   node test/e2e/run.mjs [--grep <re>]     (or MISCONDUCT_E2E_GREP=<re>)
//   HEADFUL=1 … shows the browser (needs a display); MISCONDUCT_VSIX=<file> picks the vsix.
//   --web (or MISCONDUCT_WEB=1): the extension as VS Code for the Web runs it, in the web-worker
//   extension host (a package with only the `browser` entry, test/harness/webPackage.mjs); a test of
//   what needs Node checks the message it shows there instead (fixture.mjs's `WEB`).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { REPO_ROOT, RESULTS_DIR, LOG_DIR, runCleanups } from '../harness/codeServer.mjs';
import { harnessPaths } from '../harness/install.mjs';
import { packWebOnly } from '../harness/webPackage.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(REPO_ROOT, 'package.json'));
const Mocha = require('mocha');

const argv = process.argv.slice(2);
const gi = argv.indexOf('--grep');
const grep = gi >= 0 ? argv[gi + 1] : process.env.MISCONDUCT_E2E_GREP;

function findTests(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return findTests(p);
    return e.name.endsWith('.e2e.mjs') ? [p] : [];
  }).sort();
}

let code = 1;
try {
  harnessPaths(); // fail fast with a clear message if install.mjs has not run
  if (argv.includes('--web') || process.env.MISCONDUCT_WEB) {
    process.env.MISCONDUCT_WEB = '1';
    process.env.MISCONDUCT_VSIX = await packWebOnly();
    console.log(`e2e in the web-worker extension host (${path.basename(process.env.MISCONDUCT_VSIX)}: the browser entry only)`);
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 60_000, slow: 10_000, grep });
  for (const f of findTests(HERE)) mocha.addFile(f);
  await mocha.loadFilesAsync(); // ESM test files
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  console.log(`screenshots: ${path.relative(REPO_ROOT, RESULTS_DIR)}/, logs: ${path.relative(REPO_ROOT, LOG_DIR)}/`);
  if (stats.passes + stats.failures === 0) console.log('no tests ran');
  // The closing line CI reads.
  console.log(`${stats.passes} passed, ${stats.failures} failed${stats.pending ? `, ${stats.pending} skipped` : ''}`);
  code = stats.failures === 0 && stats.passes > 0 ? 0 : 1;
} catch (err) {
  console.error(`e2e run failed: ${err.stack || err.message}`);
  console.log('0 passed, 1 failed');
}
await runCleanups(); // anything a crashed test file left running
process.exit(code);
