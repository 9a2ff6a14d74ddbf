/**
 * The development profile: hooks for the bench and for finding where the extension host's time
 * goes in real VS Code, each switched on by a variable in the environment of the VS Code server
 * (which the extension host inherits). Nothing happens without the variables.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Disposable } from 'vscode';

/**
 * With MISCONDUCT_CPU_PROFILE=<folder>, the extension host is profiled from activation, and a V8
 * .cpuprofile is written to the folder every few seconds (open it in Chrome DevTools or VS Code).
 */
const SLICE_MS = Number(process.env.MISCONDUCT_CPU_PROFILE_SLICE_MS) || 4000;

export function startDevProfile(): Disposable | undefined {
  const dir = process.env.MISCONDUCT_CPU_PROFILE;
  if (!dir) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const inspector = require('node:inspector') as typeof import('node:inspector');
  const session = new inspector.Session();
  session.connect();
  let n = 0;
  const start = () => session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 200 }, () => session.post('Profiler.start')));
  fs.mkdirSync(dir, { recursive: true });
  start();
  const timer = setInterval(() => {
    session.post('Profiler.stop', (err, result) => {
      if (!err && result) fs.writeFileSync(path.join(dir, `exthost-${process.pid}-${String(n++).padStart(3, '0')}.cpuprofile`), JSON.stringify(result.profile));
      start();
    });
  }, SLICE_MS);
  return { dispose: () => (clearInterval(timer), session.disconnect()) };
}

const TRACE = process.env.MISCONDUCT_PERF_TRACE;

/**
 * With MISCONDUCT_PERF_TRACE=<file> (the bench's trace, where it writes the wall time of each key):
 * appends "<wall ms> <what>" for the extension host's steps, to line them up with the keys and
 * paints the bench records. A no-op without the variable; a function is called only with it (a mark
 * that counts something costs nothing on the tag's path otherwise).
 */
export function perfMark(what: string | (() => string)): void {
  if (!TRACE) return;
  if (typeof what === 'function') what = what();
  const now = performance.timeOrigin + performance.now();
  fs.appendFileSync(TRACE, `${Math.round(now)} ${what}\n`);
}

/** What the bench's activation row reads (bench/activation.mjs). */
export interface ActivationTiming {
  /** Milliseconds `activate` took. */
  activationMs: number;
  /**
   * Milliseconds of processor time the extension host's process used meanwhile: the extension's
   * own work, without the time the system gave the window and the server starting beside it.
   */
  activationCpuMs: number;
  vscodeVersion: string;
  extensionPath: string;
}

/**
 * With MISCONDUCT_BENCH_ACTIVATION=<file>: writes how long `activate` took (from `started` and
 * `cpuStarted`, taken when it began) to the file as JSON, for the bench's activation row.
 */
export function reportActivation(started: number, cpuStarted: NodeJS.CpuUsage, extensionPath: string): void {
  const out = process.env.MISCONDUCT_BENCH_ACTIVATION;
  if (!out) return;
  const activationMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStarted);
  const timing: ActivationTiming = { activationMs, activationCpuMs: (cpu.user + cpu.system) / 1000, vscodeVersion: vscode.version, extensionPath };
  fs.writeFileSync(out, JSON.stringify(timing) + '\n');
}
