/**
 * Where an export goes. Outputs are written to temp names beside their target and renamed into
 * place on `commit`, so a reader never sees half an export, and `discard` (cancellation, a crash
 * of the writer, a full disk) leaves nothing behind.
 *
 * The core's `FileSystem` has no append, and exports always go to local disk (also from the
 * extension), so the one implementation here uses node:fs directly.
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

let counter = 0;

function tempName(path: string, kind: string): string {
  const dir = nodePath.dirname(path);
  // hidden, so a corpus walk running over the same folder never mistakes it for an article
  return nodePath.join(dir, `.${nodePath.basename(path)}.${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}.${kind}`);
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
    private readonly handle: fsp.FileHandle,
    private readonly temp: string,
    private readonly target: string,
  ) {}

  async append(text: string): Promise<void> {
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= FLUSH_AT) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const chunk = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    await this.handle.write(chunk, null, 'utf8');
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  async commit(): Promise<void> {
    await this.flush();
    // on disk before the rename, so a power cut cannot leave a renamed but empty file
    await this.handle.sync();
    await this.close();
    await targetOp(this.target, () => fsp.rename(this.temp, this.target));
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
export const EXPORT_MANIFEST = '.misconduct-export.json';

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

class NodeSinkFolder implements SinkFolder {
  private readonly made = new Set<string>();
  private readonly written: string[] = [];

  constructor(
    private readonly temp: string,
    private readonly target: string,
    private readonly force: boolean,
  ) {}

  async write(name: string, text: string): Promise<void> {
    const path = nodePath.join(this.temp, ...name.split('/'));
    const dir = nodePath.dirname(path);
    if (!this.made.has(dir)) {
      await fsp.mkdir(dir, { recursive: true });
      this.made.add(dir);
    }
    await fsp.writeFile(path, text, 'utf8');
    this.written.push(name);
  }

  async commit(): Promise<void> {
    const manifest: Manifest = { tool: 'misconduct-annotator', files: [...this.written].sort() };
    await fsp.writeFile(nodePath.join(this.temp, EXPORT_MANIFEST), JSON.stringify(manifest, null, 2) + '\n', 'utf8');
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
   * manifest names are removed; a file of ours whose name is taken by a file we did not write
   * stops the export before anything is touched.
   */
  private async replaceInto(names: string[]): Promise<void> {
    if (!this.force) {
      throw new ExportTargetError(`${this.target} is not empty; choose an empty or new --out, or add --force to replace an earlier export there (only files it wrote are removed)`);
    }
    const ours = (await readManifest(this.target)) ?? new Set<string>();
    const clashes: string[] = [];
    for (const name of [...this.written, EXPORT_MANIFEST]) {
      if (name !== EXPORT_MANIFEST && ours.has(name)) continue;
      if (name === EXPORT_MANIFEST && names.includes(EXPORT_MANIFEST) && ours.size) continue;
      if (await exists(nodePath.join(this.target, ...name.split('/')))) clashes.push(name);
    }
    if (clashes.length) {
      throw new ExportTargetError(`${nodePath.join(this.target, clashes[0])} was not written by an earlier export and would be overwritten${clashes.length > 1 ? ` (and ${clashes.length - 1} more)` : ''}; choose another --out`);
    }
    await targetOp(this.target, async () => {
      for (const name of ours) {
        const path = nodePath.join(this.target, ...name.split('/'));
        const stat = await fsp.lstat(path).catch(() => undefined);
        if (stat?.isFile()) await fsp.rm(path);
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

async function exists(path: string): Promise<boolean> {
  try {
    await fsp.lstat(path);
    return true;
  } catch {
    return false;
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

const TARGET_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOENT: 'no such file or folder',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'something is in the way',
  EISDIR: 'it is a folder',
  EROFS: 'read-only file system',
  ENOSPC: 'the disk is full',
  EXDEV: 'cannot move across file systems',
  ENOTEMPTY: 'the folder is not empty',
};

export function asTargetError(path: string, err: unknown): unknown {
  if (err instanceof ExportTargetError) return err;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (!code || !Object.prototype.hasOwnProperty.call(TARGET_ERRORS, code)) return err;
  return new ExportTargetError(`cannot write ${path}: ${TARGET_ERRORS[code]} (${code})`);
}

async function checkFolderTarget(path: string): Promise<void> {
  const stat = await fsp.lstat(path).catch(() => undefined);
  if (stat && !stat.isDirectory()) throw new ExportTargetError(`${path} exists and is not a folder`);
}

async function checkReplaceableFile(path: string): Promise<void> {
  const stat = await fsp.stat(path).catch(() => undefined);
  if (stat && !stat.isFile()) throw new ExportTargetError(`${path} exists and is not a file`);
}

/** The sink over the local disk. Missing parent folders of the output are created. */
export const nodeSink: ExportSink = {
  async file(path) {
    await checkReplaceableFile(path);
    return targetOp(path, async () => {
      await fsp.mkdir(nodePath.dirname(path), { recursive: true });
      const temp = tempName(path, 'tmp');
      const handle = await fsp.open(temp, 'wx');
      return new NodeSinkFile(handle, temp, path);
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
      const temp = tempName(path, 'tmp');
      await fsp.mkdir(temp);
      return new NodeSinkFolder(temp, path, force);
    });
  },
};
