/**
 * Where an export goes. Outputs are written to temp names beside their target and renamed into
 * place on `commit`, so a reader never sees half an export, and `discard` (cancellation, a crash
 * of the writer, a full disk) leaves nothing behind. Every I/O error on the output becomes one
 * `ExportWriteError` line naming the path the user asked for, never the temp name.
 *
 * The core's `FileSystem` has no append, and exports always go to local disk (also from the
 * extension), so the one implementation here uses node:fs directly; the only seam is how a new
 * file is created and written (`CreateFile`), so tests can fail it as a full disk does.
 */
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';

export interface SinkFile {
  append(text: string): Promise<void>;
  /** Flushes and renames the temp file over the target. */
  commit(): Promise<void>;
  /** Removes the temp file; safe to call more than once and after a failed commit. */
  discard(): Promise<void>;
}

export interface SinkFolder {
  /** Writes a whole file; `name` is relative, `/`-separated. */
  write(name: string, text: string): Promise<void>;
  commit(): Promise<void>;
  discard(): Promise<void>;
}

export interface ExportSink {
  file(path: string): Promise<SinkFile>;
  /** `force`: a non-empty folder may be written into, replacing only the files of an earlier export. */
  folder(path: string, options?: { force?: boolean }): Promise<SinkFolder>;
}

/** The output cannot go where it was asked to (a usage problem, not a data problem). */
export class ExportTargetError extends Error {}

/** The output could not be written (a full disk, an I/O error, no permission): the message names the path. */
export class ExportWriteError extends ExportTargetError {}

/** A file being written. `write` may take fewer bytes than it was given, as write(2) does on a full disk. */
export interface WriteHandle {
  write(data: Uint8Array): Promise<number>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Creates a new file for writing; fails when something is there already. */
export type CreateFile = (path: string) => Promise<WriteHandle>;

export const createNodeFile: CreateFile = async (path) => {
  const handle = await fsp.open(path, 'wx');
  return {
    write: async (data) => (await handle.write(data, 0, data.length, null)).bytesWritten,
    sync: () => handle.sync(),
    close: () => handle.close(),
  };
};

/** Writes all of `data`: a short write is retried with the rest, so a full disk ends in its error, not in a cut file. */
async function writeAll(handle: WriteHandle, data: Uint8Array): Promise<void> {
  let at = 0;
  while (at < data.length) {
    const n = await handle.write(at ? data.subarray(at) : data);
    // a write that takes nothing makes no progress: treat it as the full disk it is
    if (!(n > 0)) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    at += n;
  }
}

/** A whole small file (a brat .ann, the manifest): created, written, closed. */
async function writeWholeFile(create: CreateFile, path: string, text: string): Promise<void> {
  const handle = await create(path);
  try {
    await writeAll(handle, Buffer.from(text, 'utf8'));
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
  await handle.close();
}

/**
 * Temp names: hidden (a corpus walk over the same folder never takes one for an article) and
 * recognisable with the pid of the process writing them, so a later export can remove those a
 * killed export left (see `removeStaleTemps`).
 */
const TEMP_MARK = 'misconduct-tmp';

function tempName(path: string): string {
  const random = Math.random().toString(36).slice(2, 10) || '0';
  return nodePath.join(nodePath.dirname(path), `.${nodePath.basename(path)}.${TEMP_MARK}-${process.pid}-${random}`);
}

/**
 * Our temp files for a target named `name`, with the writer's pid as the first group: today's
 * names, and `.name.<pid>-<time>-<n>.tmp` of earlier builds (the leftovers users have).
 */
function tempPatterns(name: string): RegExp[] {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return [new RegExp(`^\\.${escaped}\\.${TEMP_MARK}-([0-9]+)-[0-9a-z]+$`), new RegExp(`^\\.${escaped}\\.([0-9]+)-[0-9a-z]+-[0-9a-z]+\\.tmp$`)];
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, as another user's process
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files and folders of ours for `path` that an export killed mid-way left: named
 * exactly as ours, by a process that is gone. Links and anything else are left alone. Best effort:
 * a temp that cannot be removed stays.
 */
async function removeStaleTemps(path: string): Promise<string[]> {
  const dir = nodePath.dirname(path);
  const patterns = tempPatterns(nodePath.basename(path));
  const removed: string[] = [];
  for (const name of await fsp.readdir(dir).catch(() => [])) {
    const pid = patterns.map((p) => p.exec(name)?.[1]).find((m) => m !== undefined);
    if (pid === undefined || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    const temp = nodePath.join(dir, name);
    const stat = await fsp.lstat(temp).catch(() => undefined);
    if (!stat || !(stat.isFile() || stat.isDirectory())) continue;
    try {
      // recursive removal never follows a link inside the folder
      await fsp.rm(temp, { recursive: true, force: true });
      removed.push(temp);
    } catch {
      // someone else's permissions, or gone already: not ours to insist on
    }
  }
  return removed;
}

/**
 * Appends are buffered: articles are small, and one write per article would be slow on big
 * corpora. The buffer stays under V8's large-object size (a joined string of 64 K two-byte
 * characters was one, and lived until a full collection).
 */
const FLUSH_AT = 1 << 15;

class NodeSinkFile implements SinkFile {
  private buffer: string[] = [];
  private size = 0;
  private closed = false;

  constructor(
    private readonly handle: WriteHandle,
    private readonly temp: string,
    private readonly target: string,
  ) {}

  async append(text: string): Promise<void> {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) await targetOp(this.target, () => this.flush());
  }

  private async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    await writeAll(this.handle, Buffer.from(chunk, 'utf8'));
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  async commit(): Promise<void> {
    await targetOp(this.target, async () => {
      await this.flush();
      // on disk before the rename, so a power cut cannot leave a renamed but empty file; a full
      // disk that only shows at the flush or the close fails here, with the old file in place
      await this.handle.sync();
      await this.close();
      await fsp.rename(this.temp, this.target);
    });
  }

  async discard(): Promise<void> {
    this.buffer = [];
    await this.close().catch(() => undefined);
    await fsp.rm(this.temp, { force: true });
  }
}

/**
 * The manifest a folder export leaves in its folder: the files it wrote, so a later export with
 * `force` removes exactly those and nothing else.
 */
const EXPORT_MANIFEST = '.misconduct-export.json';

interface Manifest {
  tool: 'misconduct-annotator';
  files: string[];
}

async function readManifest(folder: string): Promise<Set<string> | undefined> {
  try {
    const raw = JSON.parse(await fsp.readFile(nodePath.join(folder, EXPORT_MANIFEST), 'utf8')) as Partial<Manifest>;
    if (raw?.tool !== 'misconduct-annotator' || !Array.isArray(raw.files)) return undefined;
    // names stay inside the folder: a hand-edited manifest cannot send a delete elsewhere
    return new Set(raw.files.filter((f): f is string => typeof f === 'string' && isPlainRelative(f)));
  } catch {
    return undefined;
  }
}

function isPlainRelative(name: string): boolean {
  return name !== '' && !name.startsWith('/') && !name.includes('\\') && name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** What is at a relative name below a folder; `blocked`: a folder on its way is a link or not a folder. */
type Entry = { kind: 'missing' | 'file' | 'other' } | { kind: 'blocked'; at: string };

/**
 * Looks at `name` below `root` one component at a time without following links, so a subfolder
 * swapped for a link to elsewhere is seen as such and nothing below it is taken for ours.
 */
async function entryInside(root: string, name: string): Promise<Entry> {
  const parts = name.split('/');
  let path = root;
  for (const [i, part] of parts.entries()) {
    path = nodePath.join(path, part);
    let stat;
    try {
      stat = await fsp.lstat(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
      throw err;
    }
    if (i === parts.length - 1) return { kind: stat.isFile() ? 'file' : 'other' };
    if (!stat.isDirectory()) return { kind: 'blocked', at: path };
  }
  return { kind: 'missing' };
}

class NodeSinkFolder implements SinkFolder {
  private readonly made = new Set<string>();
  private readonly written: string[] = [];

  constructor(
    private readonly create: CreateFile,
    private readonly temp: string,
    private readonly target: string,
    private readonly force: boolean,
  ) {}

  async write(name: string, text: string): Promise<void> {
    await targetOp(nodePath.join(this.target, ...name.split('/')), async () => {
      const path = nodePath.join(this.temp, ...name.split('/'));
      const dir = nodePath.dirname(path);
      if (!this.made.has(dir)) {
        await fsp.mkdir(dir, { recursive: true });
        this.made.add(dir);
      }
      await writeWholeFile(this.create, path, text);
    });
    this.written.push(name);
  }

  async commit(): Promise<void> {
    const manifest: Manifest = { tool: 'misconduct-annotator', files: [...this.written].sort() };
    await targetOp(nodePath.join(this.target, EXPORT_MANIFEST), () =>
      writeWholeFile(this.create, nodePath.join(this.temp, EXPORT_MANIFEST), JSON.stringify(manifest, null, 2) + '\n'),
    );
    const names = await fsp.readdir(this.target).catch(() => undefined);
    if (!names) {
      await targetOp(this.target, () => fsp.rename(this.temp, this.target));
      return;
    }
    if (!names.length) {
      await targetOp(this.target, async () => {
        await fsp.rmdir(this.target);
        await fsp.rename(this.temp, this.target);
      });
      return;
    }
    await this.replaceInto(names);
  }

  /**
   * Into a folder that holds files already: only with `force`, and then only the files our own
   * manifest names are removed, and only regular files reached through real folders inside the
   * target (a subfolder swapped for a link is never followed). A file of ours whose name is taken
   * by something we did not write, or whose folder is a link, stops the export before anything is
   * touched.
   */
  private async replaceInto(names: string[]): Promise<void> {
    if (!this.force) {
      throw new ExportTargetError(`${this.target} is not empty; choose an empty or new --out, or add --force to replace an earlier export there (only files it wrote are removed)`);
    }
    const ours = (await readManifest(this.target)) ?? new Set<string>();
    const clashes: string[] = [];
    for (const name of [...this.written, EXPORT_MANIFEST]) {
      const entry = await targetOp(this.target, () => entryInside(this.target, name));
      if (entry.kind === 'blocked') {
        throw new ExportTargetError(`${entry.at} is a link or a file, not a folder an earlier export wrote; nothing was removed; choose another --out`);
      }
      if (entry.kind === 'missing') continue;
      if (entry.kind === 'file' && name !== EXPORT_MANIFEST && ours.has(name)) continue;
      if (entry.kind === 'file' && name === EXPORT_MANIFEST && names.includes(EXPORT_MANIFEST) && ours.size) continue;
      clashes.push(name);
    }
    if (clashes.length) {
      throw new ExportTargetError(`${nodePath.join(this.target, clashes[0])} was not written by an earlier export and would be overwritten${clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : ''}; choose another --out`);
    }
    await targetOp(this.target, async () => {
      for (const name of ours) {
        if ((await entryInside(this.target, name)).kind !== 'file') continue;
        const path = nodePath.join(this.target, ...name.split('/'));
        await fsp.rm(path);
        await removeEmptyParents(nodePath.dirname(path), this.target);
      }
      for (const name of [...this.written, EXPORT_MANIFEST]) {
        const to = nodePath.join(this.target, ...name.split('/'));
        await fsp.mkdir(nodePath.dirname(to), { recursive: true });
        await fsp.rename(nodePath.join(this.temp, ...name.split('/')), to);
      }
    });
    await fsp.rm(this.temp, { recursive: true, force: true });
  }

  async discard(): Promise<void> {
    await fsp.rm(this.temp, { recursive: true, force: true });
  }
}

/** Removes folders left empty below `root` (a part folder of an earlier split), never `root`. */
async function removeEmptyParents(dir: string, root: string): Promise<void> {
  while (dir !== root && dir.startsWith(root + nodePath.sep)) {
    try {
      await fsp.rmdir(dir);
    } catch {
      return;
    }
    dir = nodePath.dirname(dir);
  }
}

/** I/O errors on the output become one line naming the path (not a stack trace). */
async function targetOp<T>(path: string, op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw asTargetError(path, err);
  }
}

/** Words for the errors a user can act on; any other error with a code keeps Node's own words. */
const TARGET_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'something is in the way',
  EISDIR: 'it is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EFBIG: 'file too large',
  EIO: 'input/output error',
  EXDEV: 'cannot move across file systems',
  ENOTEMPTY: 'the folder is not empty',
};

/** An error with an errno-style code, as one line naming the path; anything else (a bug) as it is. */
function asTargetError(path: string, err: unknown): unknown {
  if (err instanceof ExportTargetError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return err;
  const words = Object.prototype.hasOwnProperty.call(TARGET_ERRORS, code)
    ? TARGET_ERRORS[code]
    : // Node's "ECODE: what happened, syscall 'path'" without the code, the call and the path
      (/^E[A-Z0-9]+: ([^,]+)/.exec((err as Error).message ?? '')?.[1] ?? 'input/output error');
  return new ExportWriteError(`cannot write ${path}: ${words} (${code})`);
}

async function checkFolderTarget(path: string): Promise<void> {
  const stat = await fsp.lstat(path).catch(() => undefined);
  if (stat && !stat.isDirectory()) throw new ExportTargetError(`${path} exists and is not a folder`);
}

async function checkReplaceableFile(path: string): Promise<void> {
  const stat = await fsp.stat(path).catch(() => undefined);
  if (stat && !stat.isFile()) throw new ExportTargetError(`${path} exists and is not a file`);
}

/**
 * The sink over the local disk; `create` makes its files (tests pass one that fails). Missing
 * parent folders of the output are created, and temp files a killed export left are removed.
 */
export function createNodeSink(create: CreateFile = createNodeFile): ExportSink {
  return {
    async file(path) {
      await checkReplaceableFile(path);
      return targetOp(path, async () => {
        await fsp.mkdir(nodePath.dirname(path), { recursive: true });
        await removeStaleTemps(path);
        const temp = tempName(path);
        return new NodeSinkFile(await create(temp), temp, path);
      });
    },
    async folder(path, options) {
      await checkFolderTarget(path);
      const force = options?.force === true;
      // refuse early, before any article is read
      const names = await fsp.readdir(path).catch(() => []);
      if (names.length && !force) {
        throw new ExportTargetError(`${path} is not empty; choose an empty or new --out, or add --force to replace an earlier export there (only files it wrote are removed)`);
      }
      return targetOp(path, async () => {
        await fsp.mkdir(nodePath.dirname(path), { recursive: true });
        await removeStaleTemps(path);
        const temp = tempName(path);
        await fsp.mkdir(temp);
        return new NodeSinkFolder(create, temp, path, force);
      });
    },
  };
}

export const nodeSink: ExportSink = createNodeSink();
