/** Shared helpers for unit tests: temp folders, CLI runners (in memory, and bundled for another user). */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildSync } from 'esbuild';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { runCli } from '../../src/cli/main';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const SAMPLES = path.join(REPO, 'samples', 'corpus');

export function tempDir(prefix = 'misconduct-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Copies the sample corpus (with its cases folder) into a fresh temp folder, so tests can change it. */
export function copySamples(): string {
  const dir = tempDir();
  fs.cpSync(SAMPLES, dir, { recursive: true });
  return dir;
}

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(...argv: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, { fs: nodeFileSystem, out: (l) => out.push(l), err: (l) => err.push(l), cwd: process.cwd() });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A Python with NLTK: $MISCONDUCT_PYTHON, else `python3`, else Debian's /usr/bin/python3 (python3-nltk installs there). */
export function findNltkPython(): string {
  const candidates = [process.env.MISCONDUCT_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  for (const c of candidates) {
    if (spawnSync(c, ['-c', 'import nltk.metrics.agreement'], { stdio: 'ignore' }).status === 0) return c;
  }
  assert.fail(`NLTK not found (tried ${candidates.join(', ')}): install it with "apt-get install -y python3-nltk" or set MISCONDUCT_PYTHON`);
}

/**
 * The CLI bundled into one file in `dir` (made world-readable), for running it as another user:
 * that user may not be able to enter the folders above the checkout (a clone in a private folder,
 * a home folder), so nothing it runs may be loaded from there.
 */
export function cliForAnyUser(dir: string): string {
  const file = path.join(dir, 'cli.js');
  buildSync({ entryPoints: [path.join(REPO, 'out', 'src', 'cli', 'main.js')], bundle: true, platform: 'node', outfile: file, logLevel: 'silent' });
  fs.chmodSync(dir, 0o755);
  fs.chmodSync(file, 0o644);
  return file;
}
