// `npm test`: every suite, in order, stopping at the first failing step and naming it.
//   1. type check + compile (tsc → out/)   2. lint   3. build (esbuild)   4. unit tests (plain Node)
//   5. package the .vsix   6. install the harness (cached)   7. integration tests in real VS Code
//   (code-server)   8. end-to-end tests through Chromium   9. the same with the extension in the
//   web-worker host (VS Code for the Web)
// MISCONDUCT_TEST_STEPS=unit,lint (comma list) runs a subset, for quick local loops.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { ensureDeps } from './ensureDeps.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const steps = [
  ['compile', [npx, 'tsc', '-p', '.', '--outDir', 'out']],
  ['lint', [npx, 'eslint', 'src', 'test', 'scripts']],
  // the unit tests also run the bundled CLI (dist/cli.js)
  ['build', ['npm', 'run', 'build', '--silent']],
  ['unit', [npx, 'mocha', '--reporter', 'dot', '--timeout', '20000', 'out/test/unit/**/*.test.js']],
  ['package', ['npm', 'run', 'package', '--silent']],
  ['harness', [process.execPath, 'test/harness/install.mjs']],
  ['integration', [process.execPath, 'test/harness/runIntegration.mjs']],
  ['e2e', [process.execPath, 'test/e2e/run.mjs']],
  // the same end-to-end suite with the extension in the web-worker host (VS Code for the Web)
  ['e2e-web', [process.execPath, 'test/e2e/run.mjs', '--web']],
];

// unset or empty: every step; a name that is not a step stops here (a typo must not run nothing and
// pass), before anything is installed (the unit test of this refusal must not run npm ci)
const only = process.env.MISCONDUCT_TEST_STEPS?.split(',').map((s) => s.trim()).filter(Boolean);
const unknown = (only ?? []).filter((name) => !steps.some(([step]) => step === name));
if (unknown.length) {
  console.error(`✗ MISCONDUCT_TEST_STEPS names no step called ${unknown.map((n) => `"${n}"`).join(', ')}; the steps are ${steps.map(([n]) => n).join(', ')}.`);
  process.exit(1);
}

ensureDeps(root);
for (const [name, [cmd, ...args]] of steps) {
  if (only?.length && !only.includes(name)) continue;
  console.log(`\n=== ${name}: ${[cmd, ...args].map((a) => path.basename(a)).join(' ')}`);
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✗ npm test failed at step "${name}" (exit ${result.status ?? result.signal}, ${seconds}s).`);
    process.exit(1);
  }
  console.log(`✓ ${name} (${seconds}s)`);
}
