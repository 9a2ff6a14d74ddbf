/**
 * git, and the CLI that runs git, without this machine's own settings: no system config, and a
 * temporary home, so a global hook, driver or default branch of whoever runs the tests changes nothing.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { REPO, tempDir } from './helpers';

/** The built CLI, as git's merge driver runs it. */
export const BIN = path.join(REPO, 'dist', 'cli.js');

const ISOLATED_HOME = tempDir('misconduct-git-home-');
const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: ISOLATED_HOME, XDG_CONFIG_HOME: ISOLATED_HOME };

export function git(cwd: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: GIT_ENV });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}

export function runBin(cwd: string, ...args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: GIT_ENV });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}
