/**
 * Where an export goes. Outputs are written to temp names beside their target and renamed into
 * place on `commit`, so a reader never sees half an export, and `discard` (cancellation, a crash
 * of the writer, a full disk) leaves nothing behind.
 *
 * The core's `FileSystem` has no append, and exports always go to local disk (also from the
 * extension), so the one implementation here uses node:fs directly.
 */
import * as fs from 'node:fs';
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
  folder(path: string): Promise<SinkFolder>;
}

/** The output cannot go where it was asked to (a usage problem, not a data problem). */
export class ExportTargetError extends Error {}

let counter = 0;

function tempName(path: string, kind: string): string {
  const dir = nodePath.dirname(path);
  // hidden, so a corpus walk running over the same folder never mistakes it for an article
  return nodePath.join(dir, `.${nodePath.basename(path)}.${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}.${kind}`);
}

/** Appends are buffered: articles are small, and one write per article would be slow on big corpora. */
const FLUSH_AT = 1 << 16;

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
    await fsp.rename(this.temp, this.target);
  }

  async discard(): Promise<void> {
    this.buffer = [];
    await this.close().catch(() => undefined);
    await fsp.rm(this.temp, { force: true });
  }
}

class NodeSinkFolder implements SinkFolder {
  private readonly made = new Set<string>();

  constructor(
    private readonly temp: string,
    private readonly target: string,
  ) {}

  async write(name: string, text: string): Promise<void> {
    const path = nodePath.join(this.temp, ...name.split('/'));
    const dir = nodePath.dirname(path);
    if (!this.made.has(dir)) {
      await fsp.mkdir(dir, { recursive: true });
      this.made.add(dir);
    }
    await fsp.writeFile(path, text, 'utf8');
  }

  async commit(): Promise<void> {
    // a folder cannot be renamed over a non-empty one: move the old export aside first, and put
    // it back if the swap fails
    const old = (await exists(this.target)) ? tempName(this.target, 'old') : undefined;
    if (old) await fsp.rename(this.target, old);
    try {
      await fsp.rename(this.temp, this.target);
    } catch (err) {
      if (old) await fsp.rename(old, this.target).catch(() => undefined);
      throw err;
    }
    if (old) await fsp.rm(old, { recursive: true, force: true });
  }

  async discard(): Promise<void> {
    await fsp.rm(this.temp, { recursive: true, force: true });
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

/** File names that mark a folder as an earlier brat export, which may be replaced. */
const EXPORT_MARKER = 'annotation.conf';

/**
 * Refuses to replace a folder that holds anything but an earlier export: a mistyped `--out` must
 * never swallow the corpus.
 */
async function checkReplaceableFolder(path: string): Promise<void> {
  const stat = await fsp.lstat(path).catch(() => undefined);
  if (!stat) return;
  if (!stat.isDirectory()) throw new ExportTargetError(`${path} exists and is not a folder`);
  const names = await fsp.readdir(path);
  if (!names.length || names.includes(EXPORT_MARKER)) return;
  for (const name of names) {
    if (fs.existsSync(nodePath.join(path, name, EXPORT_MARKER))) return;
  }
  throw new ExportTargetError(`${path} is a folder that is not empty and does not look like an earlier brat export (no ${EXPORT_MARKER}); choose another --out`);
}

async function checkReplaceableFile(path: string): Promise<void> {
  const stat = await fsp.stat(path).catch(() => undefined);
  if (stat && !stat.isFile()) throw new ExportTargetError(`${path} exists and is not a file`);
}

/** The sink over the local disk. Missing parent folders of the output are created. */
export const nodeSink: ExportSink = {
  async file(path) {
    await checkReplaceableFile(path);
    await fsp.mkdir(nodePath.dirname(path), { recursive: true });
    const temp = tempName(path, 'tmp');
    const handle = await fsp.open(temp, 'wx');
    return new NodeSinkFile(handle, temp, path);
  },
  async folder(path) {
    await checkReplaceableFolder(path);
    await fsp.mkdir(nodePath.dirname(path), { recursive: true });
    const temp = tempName(path, 'tmp');
    await fsp.mkdir(temp);
    return new NodeSinkFolder(temp, path);
  },
};
