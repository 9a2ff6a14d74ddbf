/**
 * Git integration for sidecars: the merge driver's file handling and `git-setup`.
 *
 * The driver is registered per clone (`.git/config`) under the name below, and `.gitattributes`
 * (committed, so every clone shares it) routes `*.annotations.json` to it. A clone that has not run
 * `git-setup` simply falls back to git's text merge.
 *
 * The driver gets the three sidecars only; the article's text it reads itself, ours' version (the
 * worktree's while git merges, else HEAD's), because the merged sidecar names ours' text when the
 * branches annotated different texts (see merge.ts). Each side must pass `validate`'s rules (all of
 * them for a side of ours' text, all but the quote check otherwise); a side that does not, or a
 * merge that could not be placed on ours' text, is refused: nothing written, git reports a conflict.
 */
import { execFile } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import { decodeArticle, sha256Hex } from './article';
import { CASE_SUFFIX } from './corpus';
import { describeSpecial, nodeFileSystem } from './fileSystem';
import { ArticleOnDisk, GitMergeResult, mergeForGit, OurTextMissing } from './merge';
import { OffsetMap } from './offsets';
import { Sidecar } from './schema';
import {
  articlePathFor,
  consistencyProblems,
  decodeSidecar,
  parseSidecar,
  Problem,
  recordedLengthProblems,
  SIDECAR_SUFFIX,
} from './sidecar';
import { serializeSidecar } from './sidecarEncoding';
import { writeFileAtomic } from './sidecarWrite';

const MERGE_DRIVER_NAME = 'misconduct-annotations';
const GITATTRIBUTES_LINE = `*${SIDECAR_SUFFIX} merge=${MERGE_DRIVER_NAME}`;
/** Case records (src/core/cases, `.case.json`) go to the same driver, which tells them by name. */
const CASE_ATTRIBUTES_LINE = `*${CASE_SUFFIX} merge=${MERGE_DRIVER_NAME}`;

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
  | { kind: 'unreadable'; side: 'base' | 'ours' | 'theirs'; message: string }
  /** A side breaks `validate`'s rules, or the merge could not be made valid: ours is left untouched. */
  | { kind: 'invalid'; problems: Problem[] };

async function readSide(file: string, label: string): Promise<Sidecar | undefined> {
  const bytes = await nodeFileSystem.readFile(file);
  const text = decodeSidecar(label, bytes);
  if (!text.trim()) return undefined;
  return parseSidecar(label, text);
}

/**
 * Ours' article: the worktree's file while git merges (git writes the merged files after the
 * drivers ran), else HEAD's blob; whichever has the hash ours' sidecar names. Undefined when neither.
 */
async function ourArticle(cwd: string, sidecarPath: string, sha256: string): Promise<ArticleOnDisk | undefined> {
  const articlePath = articlePathFor(sidecarPath);
  // (the worktree's article may be anything a commit can hold: a FIFO or a huge file is refused, not read)
  const candidates = [() => nodeFileSystem.readFile(nodePath.resolve(cwd, articlePath)), () => gitBlob(cwd, `HEAD:${articlePath}`)];
  for (const read of candidates) {
    try {
      const bytes = new Uint8Array(await read());
      if (sha256Hex(bytes) === sha256) return { text: decodeArticle(bytes), sha256 };
    } catch {
      // not there, or not text: try the next
    }
  }
  return undefined;
}

function gitBlob(cwd: string, object: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', ['cat-file', 'blob', object], { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => (err ? reject(err) : resolve(stdout)));
  });
}

/** `validate`'s rules for one side: against ours' text when the side names it, else its recorded length. */
function sideProblems(file: string, sidecar: Sidecar, oursText: ArticleOnDisk | undefined): Problem[] {
  if (oursText?.sha256 === sidecar.article.sha256) return consistencyProblems(file, sidecar, new OffsetMap(oursText.text));
  return recordedLengthProblems(file, sidecar);
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
  const [base, ours, theirs] = [read.base, read.ours!, read.theirs!];
  const oursText = await ourArticle(files.cwd, files.path, ours.article.sha256);
  // merging by id needs unique ids, and a side that breaks a rule would pass it on (or lose a span)
  const problems = (['base', 'ours', 'theirs'] as const).flatMap((side) => (read[side] ? sideProblems(`${files.path} (${side})`, read[side]!, oursText) : []));
  if (problems.length) return { kind: 'invalid', problems };
  let result: GitMergeResult;
  try {
    result = mergeForGit(base, ours, theirs, oursText);
  } catch (err) {
    if (err instanceof OurTextMissing) {
      return { kind: 'invalid', problems: [{ file: articlePathFor(files.path), message: `${err.message} (neither the worktree's article nor HEAD's has that hash)` }] };
    }
    throw err;
  }
  // never written unless it passes them too
  const merged = sideProblems(`${files.path} (merged)`, result.sidecar, oursText);
  if (merged.length) return { kind: 'invalid', problems: merged };
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
function shellQuote(word: string): string {
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
  let existing = await readAttributes(attributes);
  for (const line of [GITATTRIBUTES_LINE, CASE_ATTRIBUTES_LINE]) {
    const pattern = line.split(' ')[0];
    if (existing.split(/\r?\n/).some((l) => l.trim() === line)) {
      actions.push(`.gitattributes already routes ${pattern} to the merge driver`);
    } else {
      const sep = existing && !existing.endsWith('\n') ? '\n' : '';
      await appendAttributes(attributes, `${sep}${line}\n`);
      existing += `${sep}${line}\n`;
      actions.push(`added "${line}" to ${attributes} (commit it, so every clone uses it)`);
    }
  }

  const key = `merge.${MERGE_DRIVER_NAME}`;
  const current = await git(root, ['config', '--local', '--get', `${key}.driver`]);
  if (current.code === 0 && current.stdout.trim() === command) {
    actions.push(`the merge driver is already set in this clone's git config: ${command}`);
  } else {
    await git(root, ['config', '--local', `${key}.name`, 'Misconduct Annotator sidecars and case records (merge by id)']);
    const set = await git(root, ['config', '--local', `${key}.driver`, command]);
    if (set.code !== 0) throw new Error(`git config failed: ${set.stderr.trim()}`);
    actions.push(`${current.code === 0 ? 'updated' : 'set'} the merge driver in this clone's git config (${key}.driver): ${command}`);
  }
  return { root, actions };
}
