// Start/stop a throwaway code-server (real VS Code 1.139 server + web workbench).
//
// Every run gets fresh user-data and extensions dirs in a temp dir, so runs never
// see each other's state or a developer's own VS Code setup. The server runs in
// its own process group so stop() (and the exit/signal hooks below) can kill the
// server *and* the extension host / pty host it forks, in one go.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { harnessPaths } from './install.mjs';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');
export const LOG_DIR = path.join(RESULTS_DIR, 'logs');

// ---------------------------------------------------------------------------
// Cleanup registry: whatever happens (normal end, exception, Ctrl-C, SIGTERM
// from CI), every process we started gets killed and temp dirs removed.
const cleanups = new Set();
let hooksInstalled = false;
function installHooks() {
  if (hooksInstalled) return;
  hooksInstalled = true;
  // 'exit' handlers must be synchronous: kill hard, no waiting.
  process.on('exit', () => { for (const c of cleanups) c.sync(); });
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, async () => {
      console.error(`\n[harness] ${sig}: stopping everything we started…`);
      await runCleanups();
      process.exit(sig === 'SIGINT' ? 130 : 143);
    });
  }
}
/** Register {async(), sync()} cleanup; returns an unregister function. */
export function onCleanup(c) { installHooks(); cleanups.add(c); return () => cleanups.delete(c); }
export async function runCleanups() {
  for (const c of [...cleanups].reverse()) {
    try { await c.async(); } catch (e) { console.error(`[harness] cleanup error: ${e.message}`); }
    cleanups.delete(c);
  }
}

// ---------------------------------------------------------------------------
/** A step wrapper so failures say *which* step broke and where its log is. */
export async function step(name, logFile, fn) {
  try {
    return await fn();
  } catch (err) {
    err.message = `step "${name}" failed: ${err.message}${logFile ? `\n  log: ${logFile}` : ''}`;
    throw err;
  }
}

export function freePort() {
  // Ask the kernel for a free loopback port. (Tiny race until code-server binds
  // it, acceptable for a test box; start() reports a bind failure clearly.)
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

/** Poll fn() every intervalMs until it returns truthy; throw after timeoutMs (or at once on an error with .fatal). */
export async function waitFor(fn, { timeoutMs = 60_000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  for (;;) {
    try { const v = await fn(); if (v) return v; } catch (e) { if (e.fatal) throw e; lastErr = e; }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastErr ? ` (last error: ${lastErr.message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Env vars that would make code-server act as a CLI client of an *outer* VS Code
// (e.g. when you run tests from a VS Code terminal) instead of starting a server.
function cleanEnv(extra) {
  const env = { ...process.env, ...extra };
  for (const k of Object.keys(env)) {
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  }
  return env;
}

// Quiet, deterministic workbench: no welcome page, no trust prompt, no update or
// telemetry traffic (there is no network anyway), no AI/chat panels in the way.
const DEFAULT_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
  'files.autoSave': 'off',
  'editor.minimap.enabled': false,
};

function writeLogHeader(file, line) { fs.appendFileSync(file, `\n===== ${new Date().toISOString()} ${line}\n`); }

function runToExit(cmd, args, { env, logFile, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    writeLogHeader(logFile, `$ ${cmd} ${args.join(' ')}`);
    const fd = fs.openSync(logFile, 'a');
    const child = spawn(cmd, args, { env, stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code, sig) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${path.basename(args[1] || cmd)} exited with ${code ?? sig}`));
    });
  });
}

/**
 * Start code-server. Returns { port, baseUrl, workbenchUrl(folder, payload), userDataDir,
 * extensionsDir, logFile, stop() }.
 *
 * @param {object} o
 * @param {string[]} [o.vsix]        vsix files to install before starting
 * @param {string}   [o.name]        log file prefix (test-results/logs/<name>-*.log)
 * @param {object}   [o.env]         extra env for the server (the extension host inherits it)
 * @param {object}   [o.settings]    extra user settings
 * @param {number}   [o.port]        fixed port (default: a free one)
 */
export async function startCodeServer({ vsix = [], name = 'code-server', env = {}, settings = {}, port } = {}) {
  const paths = harnessPaths();
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const logFile = path.join(LOG_DIR, `${name}.log`);
  fs.writeFileSync(logFile, '');
  fs.rmSync(path.join(LOG_DIR, `${name}-vscode-logs`), { recursive: true, force: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-cs-'));
  const userDataDir = path.join(tmp, 'user-data');
  const extensionsDir = path.join(tmp, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...settings }, null, 2));
  const serverEnv = cleanEnv(env);
  const common = ['--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  let child;
  let exited = null;
  const killGroup = (sig) => { if (child && exited === null) { try { process.kill(-child.pid, sig); } catch { /* gone */ } } };
  const removeTmp = () => {
    // Keep VS Code's own logs (extension host, renderer, …) next to ours for post-mortems.
    try { fs.cpSync(path.join(userDataDir, 'logs'), path.join(LOG_DIR, `${name}-vscode-logs`), { recursive: true }); } catch { /* none */ }
    if (!process.env.MISCONDUCT_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
  };
  const stop = async () => {
    unregister();
    if (child && exited === null) {
      killGroup('SIGTERM');
      // Give it a moment to shut down cleanly, then make sure.
      await waitFor(() => exited !== null, { timeoutMs: 5000, what: 'code-server exit' }).catch(() => killGroup('SIGKILL'));
      killGroup('SIGKILL'); // stragglers in the group (ext host) if the leader already left
    }
    removeTmp();
  };
  const unregister = onCleanup({ async: stop, sync: () => { killGroup('SIGKILL'); removeTmp(); } });

  try {
    for (const file of vsix) {
      await step(`install extension ${path.basename(file)}`, logFile, async () => {
        if (!fs.existsSync(file)) throw new Error(`no such vsix: ${file} (did \`npm run package\` run?)`);
        await runToExit(paths.nodeBin, [paths.codeServerEntry, ...common, '--install-extension', file, '--force'],
          { env: serverEnv, logFile });
      });
    }

    port ??= await freePort();
    await step('start code-server', logFile, async () => {
      const args = [paths.codeServerEntry, ...common,
        '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
        '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
        '--disable-getting-started-override', '--ignore-last-opened'];
      writeLogHeader(logFile, `$ ${paths.nodeBin} ${args.join(' ')}`);
      const fd = fs.openSync(logFile, 'a');
      // detached => own process group, so we can kill the whole tree with -pid.
      child = spawn(paths.nodeBin, args, { env: serverEnv, stdio: ['ignore', fd, fd], detached: true });
      fs.closeSync(fd);
      child.on('exit', (code, sig) => { exited = code ?? sig; });
      await waitFor(async () => {
        if (exited !== null) throw Object.assign(new Error(`code-server exited early (${exited})`), { fatal: true });
        const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
        return res?.ok;
      }, { timeoutMs: 60_000, what: `code-server /healthz on port ${port}` });
    });
  } catch (err) {
    await stop();
    throw err;
  }

  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    port, baseUrl, userDataDir, extensionsDir, logFile, stop,
    pid: child.pid,
    /** null while running, else the exit code/signal. */
    get exited() { return exited; },
    /**
     * URL opening `folder`. `payload` is VS Code's web-workbench payload: a list of
     * [key, value] pairs such as extensionDevelopmentPath / extensionTestsPath.
     */
    workbenchUrl(folder, payload) {
      const u = new URL(baseUrl + '/');
      if (folder) u.searchParams.set('folder', folder);
      if (payload) u.searchParams.set('payload', JSON.stringify(payload));
      return u.toString();
    },
    /** vscode-remote URI for a path on this machine, as the workbench expects in payloads. */
    remoteUri(p) { return `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`; },
  };
}

/**
 * Copy a folder (e.g. samples/corpus) into a fresh temp dir so tests may write
 * sidecars freely; removed on cleanup unless MISCONDUCT_KEEP_TMP is set.
 * Returns the absolute path of the copy (same base name as the source).
 */
export function copyToTemp(srcDir) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-ws-'));
  const dest = path.join(tmp, path.basename(srcDir));
  fs.cpSync(srcDir, dest, { recursive: true });
  const remove = () => { if (!process.env.MISCONDUCT_KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true }); };
  onCleanup({ async: remove, sync: remove });
  return dest;
}

/** Newest misconduct-annotator-*.vsix in the repo root (what `npm run package` writes), or $MISCONDUCT_VSIX. */
export function findVsix() {
  if (process.env.MISCONDUCT_VSIX) return path.resolve(process.env.MISCONDUCT_VSIX);
  const files = fs.readdirSync(REPO_ROOT)
    .filter((f) => /^misconduct-annotator-.*\.vsix$/.test(f))
    .map((f) => path.join(REPO_ROOT, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!files.length) throw new Error(`no misconduct-annotator-*.vsix in ${REPO_ROOT}: run \`npm run package\` first`);
  return files[0];
}
