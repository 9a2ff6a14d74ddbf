// Integration-test entry point, loaded by VS Code's *extension host* as the
// `extensionTestsPath` module (CommonJS, so `require('vscode')` works in tests).
// VS Code calls run() once every eagerly-activated extension is up; when the
// promise settles the extension host exits and the workbench reports the exit
// code (0 = resolved) to window.codeAutomationExit, which the harness listens to.
//
// Configuration comes from env vars the harness sets through the workbench's
// `extensionEnvironment` payload:
//   MISCONDUCT_TEST_RESULTS  JSONL file: one event per line (start/pass/fail/pending/end/error)
//   MISCONDUCT_TEST_DIR      directory searched recursively for *.test.js
//   MISCONDUCT_MOCHA         absolute path of the mocha package to use (the repo's)
//   MISCONDUCT_TEST_GREP     optional mocha --grep
//   MISCONDUCT_TEST_TIMEOUT  optional per-test timeout in ms (default 20000)
'use strict';
const fs = require('fs');
const path = require('path');

function findTests(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findTests(p));
    else if (entry.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

function serializeError(err) {
  if (!err) return undefined;
  return {
    message: String(err.message ?? err),
    stack: err.stack,
    actual: err.actual === undefined ? undefined : safeString(err.actual),
    expected: err.expected === undefined ? undefined : safeString(err.expected),
  };
}
function safeString(v) {
  try { return typeof v === 'string' ? v : JSON.stringify(v, null, 2); } catch { return String(v); }
}

exports.run = async function run() {
  const resultsFile = process.env.MISCONDUCT_TEST_RESULTS;
  if (!resultsFile) throw new Error('MISCONDUCT_TEST_RESULTS not set: this runner only works under test/harness/runIntegration.mjs');
  const emit = (event) => fs.appendFileSync(resultsFile, JSON.stringify(event) + '\n');

  try {
    const Mocha = require(process.env.MISCONDUCT_MOCHA || 'mocha');
    const mocha = new Mocha({
      ui: 'bdd',
      color: false,
      timeout: Number(process.env.MISCONDUCT_TEST_TIMEOUT || 20000),
      grep: process.env.MISCONDUCT_TEST_GREP || undefined,
      // A reporter that only streams events to the results file; the harness prints them.
      reporter: function JsonlReporter(runner) {
        const { EVENT_RUN_BEGIN, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING, EVENT_RUN_END } = Mocha.Runner.constants;
        const base = (t) => ({ title: t.title, fullTitle: t.fullTitle(), file: t.file, durationMs: t.duration });
        let passed = 0; let failed = 0; let pending = 0;
        runner.on(EVENT_RUN_BEGIN, () => emit({ type: 'start', total: runner.total }));
        runner.on(EVENT_TEST_PASS, (t) => { passed++; emit({ type: 'pass', ...base(t) }); });
        // Hook failures ("before each" …) arrive here too, so they are never silently lost.
        runner.on(EVENT_TEST_FAIL, (t, err) => { failed++; emit({ type: 'fail', ...base(t), error: serializeError(err) }); });
        runner.on(EVENT_TEST_PENDING, (t) => { pending++; emit({ type: 'pending', ...base(t) }); });
        runner.on(EVENT_RUN_END, () => emit({ type: 'end', passed, failed, pending }));
      },
    });
    const dir = process.env.MISCONDUCT_TEST_DIR;
    if (!dir || !fs.existsSync(dir)) throw new Error(`test directory not found: ${dir} (did \`npm run compile-tests\` run?)`);
    for (const f of findTests(dir)) mocha.addFile(f);
    const failures = await new Promise((resolve) => mocha.run(resolve));
    if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
  } catch (err) {
    // Setup errors (missing dir, syntax error in a test file, …) are reported too.
    if (!/integration test\(s\) failed$/.test(err.message)) emit({ type: 'error', error: serializeError(err) });
    throw err;
  }
};
