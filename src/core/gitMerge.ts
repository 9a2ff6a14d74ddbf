/**
 * Git integration for sidecars: the merge driver's file handling and `git-setup`.
 *
 * The driver is registered per clone (`.git/config`) under the name below, and `.gitattributes`
 * (committed, so every clone shares it) routes `*.annotations.json` to it. A clone that has not run
 * `git-setup` simply falls back to git's text merge.
 */
import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import { decodeArticle, sha256Hex } from './article';
import { describeSpecial, nodeFileSystem } from './fileSystem';
import { ArticleOnDisk, GitMergeResult, mergeForGit } from './merge';
import { Sidecar } from './schema';
import { articlePathFor, decodeSidecar, parseSidecar, serializeSidecar, SIDECAR_SUFFIX, writeFileAtomic } from './sidecar';

export const MERGE_DRIVER_NAME = 'misconduct-annotations';
export const GITATTRIBUTES_LINE = `*${SIDECAR_SUFFIX} merge=${MERGE_DRIVER_NAME}`;

export interface DriverFiles {
  /** %O: the common ancestor's version (empty when there was none). */
  base: string;
  /** %A: ours; the merged result is written here. */
  ours: string;
  /** %B: theirs. */
  theirs: string;
  /** %P: the sidecar's path in the repository, relative to `cwd` (the worktree's top). */
  path: string;
  cwd: string;
}

export type DriverOutcome =
  | ({ kind: 'merged' } & GitMergeResult)
  /** A side could not be read as a sidecar: ours is left in %A untouched and git reports a conflict. */
  | { kind: 'unreadable'; side: 'base' | 'ours' | 'theirs'; message: string };

async function readSide(file: string, label: string): Promise<Sidecar | undefined> {
  const bytes = await nodeFileSystem.readFile(file);
  const text = decodeSidecar(label, bytes);
  if (!text.trim()) return undefined;
  return parseSidecar(label, text);
}

/** The article beside the sidecar in the worktree, when it is there and readable. */
async function articleOnDisk(cwd: string, sidecarPath: string): Promise<ArticleOnDisk | undefined> {
  try {
    // the worktree's article may be anything a commit can hold: a FIFO or a huge file is refused, not read
    const bytes = await nodeFileSystem.readFile(nodePath.resolve(cwd, articlePathFor(sidecarPath)));
    return { text: decodeArticle(bytes), sha256: sha256Hex(bytes) };
  } catch {
    return undefined;
  }
}

/** Runs the three-way merge for git and writes the result atomically over %A. */
export async function runMergeDriver(files: DriverFiles): Promise<DriverOutcome> {
  const sides = { base: files.base, ours: files.ours, theirs: files.theirs } as const;
  const read: Partial<Record<keyof typeof sides, Sidecar | undefined>> = {};
  for (const side of ['base', 'ours', 'theirs'] as const) {
    try {
      read[side] = await readSide(nodePath.resolve(files.cwd, sides[side]), `${files.path} (${side})`);
    } catch (err) {
      return { kind: 'unreadable', side, message: (err as Error).message };
    }
    if (side !== 'base' && !read[side]) return { kind: 'unreadable', side, message: `${files.path} (${side}) is empty` };
  }
  const result = mergeForGit(read.base, read.ours!, read.theirs!, await articleOnDisk(files.cwd, files.path));
  await writeFileAtomic(nodeFileSystem, nodePath.resolve(files.cwd, files.ours), new TextEncoder().encode(serializeSidecar(result.sidecar)));
  return { kind: 'merged', ...result };
}

// ---------------------------------------------------------------------------------------------
// git-setup

export class NotAGitRepository extends Error {}

/** A file git-setup would write is a link or not a regular file: it is left alone, nothing written. */
export class GitSetupRefused extends Error {}

/** O_NOFOLLOW where the platform has it: an open that fails on a link instead of going through it. */
const NO_FOLLOW = fsConstants.O_NOFOLLOW ?? 0;

/**
 * Refuses a path that is there and is a link or not a regular file. A cloned repository can carry
 * a `.gitattributes` that links anywhere (even to a FIFO, whose read would block).
 */
async function refuseUnlessRegularFile(path: string): Promise<void> {
  let s;
  try {
    s = await fsp.lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (s.isSymbolicLink()) throw new GitSetupRefused(`${path} is a symbolic link; git-setup writes nothing through a link (make it a regular file, then run git-setup again)`);
  if (!s.isFile()) throw new GitSetupRefused(`${path} is not a regular file (${s.isDirectory() ? 'a folder' : describeSpecial(s)}); git-setup left it alone`);
}

/** Opens a regular file, never through a link (a link swapped in after the check fails with ELOOP). */
async function openRegularFile(path: string, flags: number): Promise<fsp.FileHandle> {
  let handle;
  try {
    handle = await fsp.open(path, flags | NO_FOLLOW | (fsConstants.O_NONBLOCK ?? 0), 0o666);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP') await refuseUnlessRegularFile(path);
    throw err;
  }
  if (!(await handle.stat()).isFile()) {
    await handle.close();
    await refuseUnlessRegularFile(path);
    throw new GitSetupRefused(`${path} is not a regular file; git-setup left it alone`);
  }
  return handle;
}

/** The text of `.gitattributes`, '' when there is none. */
async function readAttributes(path: string): Promise<string> {
  await refuseUnlessRegularFile(path);
  let handle;
  try {
    handle = await openRegularFile(path, fsConstants.O_RDONLY);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

/** Appends to `.gitattributes` (created when missing), never through a link. */
async function appendAttributes(path: string, text: string): Promise<void> {
  const handle = await openRegularFile(path, fsConstants.O_WRONLY | fsConstants.O_APPEND | fsConstants.O_CREAT);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
}

function git(cwd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code === 'string') return reject(err); // git itself missing
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Quotes one word for the POSIX shell git runs drivers with. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The driver line for a CLI at `cliPath` run by the Node at `nodePath`. */
export function driverCommand(nodeExecutable: string, cliPath: string): string {
  return `${shellQuote(nodeExecutable)} ${shellQuote(cliPath)} merge-driver %O %A %B %P`;
}

export interface SetupReport {
  /** The repository's top folder. */
  root: string;
  /** One line per thing done or found already done. */
  actions: string[];
}

/**
 * Routes sidecars to the merge driver in the repository holding `folder`: the attribute line in
 * the top folder's `.gitattributes` (committed with the project) and the driver in this clone's
 * git config. Running it again changes nothing, except to update a driver command that moved.
 */
export async function setUpGitMerging(folder: string, command: string): Promise<SetupReport> {
  let top;
  try {
    top = await git(folder, ['rev-parse', '--show-toplevel']);
  } catch (err) {
    throw new NotAGitRepository(`cannot run git (${(err as NodeJS.ErrnoException).code}); install git first`);
  }
  if (top.code !== 0 || !top.stdout.trim()) throw new NotAGitRepository(`${folder} is not inside a git repository (run "git init" first)`);
  const root = top.stdout.trim();
  const actions: string[] = [];

  const attributes = nodePath.join(root, '.gitattributes');
  // both files checked before either is written: a refusal leaves the repository as it was
  const gitPath = await git(root, ['rev-parse', '--git-path', 'config']);
  const config = gitPath.code === 0 && gitPath.stdout.trim() ? nodePath.resolve(root, gitPath.stdout.trim()) : undefined;
  if (config) await refuseUnlessRegularFile(config);
  const existing = await readAttributes(attributes);
  if (existing.split(/\r?\n/).some((l) => l.trim() === GITATTRIBUTES_LINE)) {
    actions.push(`.gitattributes already routes *${SIDECAR_SUFFIX} to the merge driver`);
  } else {
    const sep = existing && !existing.endsWith('\n') ? '\n' : '';
    await appendAttributes(attributes, `${sep}${GITATTRIBUTES_LINE}\n`);
    actions.push(`added "${GITATTRIBUTES_LINE}" to ${attributes} (commit it, so every clone uses it)`);
  }

  const key = `merge.${MERGE_DRIVER_NAME}`;
  const current = await git(root, ['config', '--local', '--get', `${key}.driver`]);
  if (current.code === 0 && current.stdout.trim() === command) {
    actions.push(`the merge driver is already set in this clone's git config: ${command}`);
  } else {
    await git(root, ['config', '--local', `${key}.name`, 'Misconduct Annotator sidecars (merge by annotation id)']);
    const set = await git(root, ['config', '--local', `${key}.driver`, command]);
    if (set.code !== 0) throw new Error(`git config failed: ${set.stderr.trim()}`);
    actions.push(`${current.code === 0 ? 'updated' : 'set'} the merge driver in this clone's git config (${key}.driver): ${command}`);
  }
  return { root, actions };
}
