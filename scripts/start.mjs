#!/usr/bin/env node
// `npm start`: open the extension in a real VS Code on samples/corpus.
// (The npm script builds and packages first.)
//  - With a desktop `code` on PATH: `code --extensionDevelopmentPath=<repo> samples/corpus`.
//  - Otherwise (headless boxes): install the offline harness if needed, start
//    code-server on 127.0.0.1 with the packaged vsix installed, print the URL,
//    and keep running until Ctrl-C, which stops everything.
// Either way it opens a scratch copy of samples/corpus in the system temp folder, made afresh on
// every start, so a demo never changes the samples in git (issue 18). The copy stays after a
// desktop `code` start (the window outlives this script); code-server's is removed at Ctrl-C
// (MISCONDUCT_KEEP_TMP=1 keeps it).
// MISCONDUCT_START_DRY_RUN=1 makes the copy, prints its folder and stops (the unit test uses it).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLES = path.join(REPO, 'samples', 'corpus');
const hasCode = spawnSync('sh', ['-c', 'command -v code'], { stdio: 'ignore' }).status === 0;

/** A fresh copy of the samples: <tmp>/misconduct-start-XXXXXX/corpus. */
function scratchCorpus() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-start-'));
  const dest = path.join(dir, 'corpus');
  fs.cpSync(SAMPLES, dest, { recursive: true });
  return dest;
}

if (process.env.MISCONDUCT_START_DRY_RUN) {
  console.log(scratchCorpus());
} else if (hasCode && !process.env.MISCONDUCT_FORCE_CODE_SERVER) {
  const CORPUS = scratchCorpus();
  console.log(`Opening a scratch copy of the samples: ${CORPUS}`);
  const args = [`--extensionDevelopmentPath=${REPO}`, CORPUS];
  console.log(`$ code ${args.join(' ')}`);
  const child = spawn('code', args, { stdio: 'inherit' });
  child.on('exit', (c) => process.exit(c ?? 0));
} else {
  const { install } = await import('../test/harness/install.mjs');
  install();
  const { startCodeServer, findVsix, runCleanups, copyToTemp } = await import('../test/harness/codeServer.mjs');
  // the harness's temp copy, removed with the server at Ctrl-C
  const CORPUS = copyToTemp(SAMPLES);
  try {
    const port = process.env.PORT ? Number(process.env.PORT) : undefined;
    // Keep settings/extensions between starts? No: a fresh profile each time makes
    // "works on npm start" mean the same thing for everyone.
    const cs = await startCodeServer({ vsix: [findVsix()], name: 'start', port });
    console.log(`\nOpen ${cs.baseUrl}/?folder=${CORPUS}\n(a scratch copy of samples/corpus: the samples themselves are never changed)\n`);
    console.log(`(logs: ${path.relative(REPO, cs.logFile)}; Ctrl-C to stop)`);
    // Stay alive while the server runs; Ctrl-C is handled by codeServer.mjs's
    // signal hook, which kills the server's process group.
    await new Promise((resolve) => {
      const t = setInterval(() => { if (cs.exited !== null) { clearInterval(t); resolve(); } }, 1000);
    });
    console.error(`code-server exited (${cs.exited}); see ${cs.logFile}`);
    process.exitCode = 1;
  } catch (err) {
    console.error(`npm start failed: ${err.message}`);
    process.exitCode = 1;
  }
  await runCleanups();
}
