/**
 * The file system the pure core reads and writes through. The CLI and the unit tests use
 * `nodeFileSystem` (node:fs); the extension passes an adapter over `vscode.workspace.fs`, so the
 * same code works on remote and virtual workspaces.
 *
 * Paths are opaque strings to the core except for two operations it needs: appending a suffix
 * (sidecar and temp names live beside the article, so `path + suffix` is always the same folder)
 * and `join` for walking folders.
 */
import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';

export type EntryType = 'file' | 'directory' | 'symlink' | 'other';

export interface FileStat {
  type: EntryType;
  size: number;
  mtime: number;
}

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
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

export const nodeFileSystem: FileSystem = {
  async readFile(path) {
    return new Uint8Array(await fsp.readFile(path));
  },
  async *readChunks(path) {
    const handle = await fsp.open(path, 'r');
    try {
      // one buffer, reused: chunks are consumed before the next read (see the interface)
      const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      for (;;) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) return;
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
      if (type === 'symlink') {
        // follow links (a symlinked article is still an article) but remember nothing of the link
        try {
          const t = await fsp.stat(path);
          type = t.isFile() ? 'file' : t.isDirectory() ? 'directory' : 'other';
          size = t.size;
        } catch {
          return { type: 'other', size: 0, mtime: s.mtimeMs };
        }
      }
      return { type, size, mtime: s.mtimeMs };
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
