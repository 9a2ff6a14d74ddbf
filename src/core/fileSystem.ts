/**
 * The file system the pure core reads and writes through. The CLI and the unit tests use
 * `nodeFileSystem` (node:fs); the extension passes an adapter over `vscode.workspace.fs`, so the
 * same code works on remote and virtual workspaces.
 *
 * Paths are opaque strings to the core except for two operations it needs: appending a suffix
 * (sidecar and temp names live beside the article, so `path + suffix` is always the same folder)
 * and `join` for walking folders.
 */
import * as nodeFs from 'node:fs';
import { constants as fsConstants, Stats } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface FileStat {
  type: EntryType;
  size: number;
  mtime: number;
  /** For `other`, what it is ("a FIFO", "a character device" …), where the file system can tell. */
  special?: string;
}

/**
 * The most bytes an article or sidecar may hold (256 MiB): more than any news article or sidecar,
 * less than a string V8 can hold, so a huge or endless file is refused instead of read until killed.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/**
 * An input file the tools refuse to read: a FIFO or device (reading one blocks forever or never
 * ends), a folder, or a file over `MAX_INPUT_BYTES`. The message is one line naming the path.
 */
export class InputFileError extends Error {
  constructor(
    readonly path: string,
    readonly reason: 'folder' | 'special' | 'too-large',
    /** The message without the path: "is not a regular file (a FIFO)". */
    readonly detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/** What a file that is neither a regular file nor a folder is, in words (from node's stat). */
export function describeSpecial(s: Pick<Stats, 'isFIFO' | 'isCharacterDevice' | 'isBlockDevice' | 'isSocket'>): string {
  if (s.isFIFO()) return 'a FIFO';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSocket()) return 'a socket';
  return 'not a file or folder';
}

export function notRegularFile(path: string, special: string | undefined): InputFileError {
  return new InputFileError(path, 'special', `is not a regular file (${special ?? 'a special file'})`);
}

function tooLarge(path: string): InputFileError {
  return new InputFileError(path, 'too-large', `is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB, the most an article or sidecar may hold`);
}

/**
 * Refuses, before a read, what `stat` says is not a regular file of a readable size. The node file
 * system checks again on the open file (a FIFO swapped in between); other file systems rely on this.
 */
export async function checkInputFile(fs: FileSystem, path: string, what: 'file' | 'article' = 'file'): Promise<void> {
  const stat = await fs.stat(path);
  if (!stat) return; // the read says it is missing
  if (stat.type === 'directory') throw new InputFileError(path, 'folder', `is a folder, not ${what === 'file' ? 'a file' : `an ${what}`}`);
  if (stat.type !== 'file') throw notRegularFile(path, stat.special);
  if (stat.size > MAX_INPUT_BYTES) throw tooLarge(path);
}

/** An input file's bytes, refused unless it is a regular file of a readable size (`checkInputFile`). */
export async function readInputFile(fs: FileSystem, path: string, what: 'file' | 'article' = 'file'): Promise<Uint8Array> {
  if (!fs.refusesOnRead?.(path)) {
    await checkInputFile(fs, path, what);
    return fs.readFile(path);
  }
  try {
    return await fs.readFile(path);
  } catch (err) {
    // the read refused a folder, or found nothing: the stat tells them apart as before (a folder in
    // an article's place, a link to nothing)
    const code = (err as NodeJS.ErrnoException)?.code;
    if ((err instanceof InputFileError && err.reason === 'folder') || code === 'EISDIR' || isNotFound(err)) await checkInputFile(fs, path, what);
    throw err;
  }
}

/**
 * One line naming the path for an error reading it: ours name it already; node's get their code
 * ("cannot be read (EACCES)") rather than a message that repeats the path.
 */
export function describeReadError(path: string, err: unknown): string {
  if (err instanceof InputFileError) return err.message;
  const code = (err as NodeJS.ErrnoException)?.code;
  if (typeof code === 'string') return `${path}: cannot be read (${code})`;
  return `${path}: ${(err as Error)?.message ?? String(err)}`;
}

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Whether `readFile(path)` itself refuses what `checkInputFile` refuses (a folder, a special file,
   * a file over `MAX_INPUT_BYTES`), so `readInputFile` reads without a stat first.
   */
  refusesOnRead?(path: string): boolean;
  /**
   * The file's bytes in order, a chunk at a time, for files too long to hold twice (a 50 MB article
   * exported as CoNLL). A chunk is valid only until the next is asked for: the reader may reuse its
   * buffer. Absent: callers read the whole file with `readFile`.
   */
  readChunks?(path: string): AsyncIterable<Uint8Array>;
  /** Plain (non-atomic) write; the core builds atomic writes from this and `rename`. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Rename, replacing `to` if it exists. */
  rename(from: string, to: string): Promise<void>;
  delete(path: string): Promise<void>;
  /** undefined when nothing is there. */
  stat(path: string): Promise<FileStat | undefined>;
  readDirectory(path: string): Promise<Array<[name: string, type: EntryType]>>;
  join(dir: string, name: string): string;
  /** The path with symlinks resolved (a missing file resolves to itself); absent: links are not followed. */
  realPath?(path: string): Promise<string>;
  /** Flushes a folder's entries to disk (after a rename), where the file system can. */
  syncFolder?(path: string): Promise<void>;
}

/**
 * Bytes per `readChunks` chunk. Their text (up to two bytes a character) stays under V8's
 * large-object size (128 KB), so decoded chunks die young instead of filling the old generation.
 */
const READ_CHUNK_BYTES = 1 << 15;

function isNotFound(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

// fs's callback calls as promises, by hand: node:util (promisify) is not among the web build's shims
const fdOpen = (path: string, flags: number) => new Promise<number>((resolve, reject) => nodeFs.open(path, flags, (err, fd) => (err ? reject(err) : resolve(fd))));
const fdStat = (fd: number) => new Promise<Stats>((resolve, reject) => nodeFs.fstat(fd, (err, s) => (err ? reject(err) : resolve(s))));
const fdRead = (fd: number, into: Buffer) => new Promise<number>((resolve, reject) => nodeFs.read(fd, into, 0, into.length, null, (err, n) => (err ? reject(err) : resolve(n))));
const fdClose = (fd: number) => new Promise<void>((resolve, reject) => nodeFs.close(fd, (err) => (err ? reject(err) : resolve())));

/**
 * Opens a file for reading without blocking on a FIFO (O_NONBLOCK) and refuses it, on the open
 * file itself, unless it is a regular file of at most `MAX_INPUT_BYTES`. Returns its size.
 */
async function openInput(path: string): Promise<[fsp.FileHandle, number]> {
  const handle = await fsp.open(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const s = await handle.stat();
    checkOpened(path, s);
    return [handle, s.size];
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function checkOpened(path: string, s: Stats): void {
  if (s.isDirectory()) throw new InputFileError(path, 'folder', 'is a folder, not a file');
  if (!s.isFile()) throw notRegularFile(path, describeSpecial(s));
  if (s.size > MAX_INPUT_BYTES) throw tooLarge(path);
}

/**
 * A whole file, checked as `openInput` does, through plain descriptors: a corpus reads thousands
 * of small files, and a FileHandle's promises cost several times the processor time of these calls.
 */
async function readWhole(path: string): Promise<Uint8Array> {
  const fd = await fdOpen(path, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
  try {
    const s = await fdStat(fd);
    checkOpened(path, s);
    const chunks: Buffer[] = [];
    let total = 0;
    // the size plus one byte first: a regular file that reads short has ended, so one read tells
    // the end; then small steps for a file that grows (never past MAX_INPUT_BYTES)
    for (let want = s.size + 1; ; want = READ_CHUNK_BYTES) {
      const chunk = Buffer.allocUnsafe(Math.min(want, MAX_INPUT_BYTES + 1 - total));
      const bytesRead = await fdRead(fd, chunk);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > MAX_INPUT_BYTES) throw tooLarge(path);
      if (bytesRead < chunk.length) break;
    }
    const all = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, total);
    return new Uint8Array(all.buffer, all.byteOffset, all.length);
  } finally {
    await fdClose(fd);
  }
}

export const nodeFileSystem: FileSystem = {
  readFile: readWhole,
  refusesOnRead: () => true,
  async *readChunks(path) {
    const [handle] = await openInput(path);
    try {
      // one buffer, reused: chunks are consumed before the next read (see the interface)
      const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      let total = 0;
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) return;
        total += bytesRead;
        if (total > MAX_INPUT_BYTES) throw tooLarge(path);
        yield buffer.subarray(0, bytesRead);
      }
    } finally {
      await handle.close();
    }
  },
  async writeFile(path, data) {
    const handle = await fsp.open(path, 'w');
    try {
      await handle.writeFile(data);
      // flush before the rename, so a power cut cannot leave a renamed but empty file
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async rename(from, to) {
    await fsp.rename(from, to);
  },
  async delete(path) {
    await fsp.rm(path, { force: true });
  },
  async stat(path) {
    try {
      const s = await fsp.lstat(path);
      let type: EntryType = s.isFile() ? 'file' : s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symlink' : 'other';
      let size = s.size;
      let special = type === 'other' ? describeSpecial(s) : undefined;
      if (type === 'symlink') {
        // follow links (a symlinked article is still an article) but remember nothing of the link
        try {
          const t = await fsp.stat(path);
          type = t.isFile() ? 'file' : t.isDirectory() ? 'directory' : 'other';
          size = t.size;
          special = type === 'other' ? describeSpecial(t) : undefined;
        } catch {
          return { type: 'other', size: 0, mtime: s.mtimeMs, special: 'a link to nothing' };
        }
      }
      return special ? { type, size, mtime: s.mtimeMs, special } : { type, size, mtime: s.mtimeMs };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  },
  async readDirectory(path) {
    const entries = await fsp.readdir(path, { withFileTypes: true });
    return entries.map((e) => [
      e.name,
      e.isFile() ? 'file' : e.isDirectory() ? 'directory' : e.isSymbolicLink() ? 'symlink' : 'other',
    ]);
  },
  join: (dir, name) => nodePath.join(dir, name),
  async realPath(path) {
    try {
      return await fsp.realpath(path);
    } catch (err) {
      if (isNotFound(err)) return path;
      throw err;
    }
  },
  async syncFolder(path) {
    const handle = await fsp.open(path, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

export function isFileNotFound(err: unknown): boolean {
  return isNotFound(err) || (err as { code?: string })?.code === 'FileNotFound';
}
