/**
 * The extension's one file-system adapter: the core's FileSystem over `vscode.workspace.fs`, so
 * sidecars are read and written the same way on local, remote and virtual workspaces. Paths are
 * URI strings.
 *
 * Reads, writes, stats and folder listings of `file:` URIs go through node:fs instead (the extension
 * host runs where those files are): they then need no round trip through the workbench, which for a
 * long sidecar in a remote window is most of a second, and for the stats of a corpus of thousands of
 * articles most of a minute; and `workspace.fs.writeFile` neither flushes to disk nor
 * exposes the folder, so an atomic write (temp file, fsync, rename, fsync of the folder) needs the
 * real file system. Other schemes keep `workspace.fs`, and so does everything in VS Code for the Web.
 */
import * as vscode from 'vscode';
import { EntryType, FileSystem, nodeFileSystem } from '../core/fileSystem';
import { inWebWorker } from './common/host';

function typeOf(t: vscode.FileType): EntryType {
  if (t & vscode.FileType.SymbolicLink) return t & vscode.FileType.Directory ? 'directory' : t & vscode.FileType.File ? 'file' : 'symlink';
  return t === vscode.FileType.File ? 'file' : t === vscode.FileType.Directory ? 'directory' : 'other';
}

const uri = (p: string) => vscode.Uri.parse(p, true);

// in a web worker a file: URI is the browser's (vscode.dev's local folders): workspace.fs only
const isLocal = (p: string) => !inWebWorker && p.startsWith('file:');
const local = (p: string) => uri(p).fsPath;

export const vscodeFileSystem: FileSystem = {
  // (the core tells "not found" by Node's code and by VS Code's alike; the node read refuses a FIFO or a huge file)
  readFile: async (p) => (isLocal(p) ? nodeFileSystem.readFile(local(p)) : vscode.workspace.fs.readFile(uri(p))),
  refusesOnRead: isLocal,
  writeFile: async (p, data) => (isLocal(p) ? nodeFileSystem.writeFile(local(p), data) : vscode.workspace.fs.writeFile(uri(p), data)),
  rename: async (from, to) =>
    isLocal(from) && isLocal(to) ? nodeFileSystem.rename(local(from), local(to)) : vscode.workspace.fs.rename(uri(from), uri(to), { overwrite: true }),
  realPath: async (p) => (isLocal(p) ? vscode.Uri.file(await nodeFileSystem.realPath!(local(p))).toString() : p),
  syncFolder: async (p) => (isLocal(p) ? nodeFileSystem.syncFolder!(local(p)) : undefined),
  delete: async (p) => {
    try {
      await vscode.workspace.fs.delete(uri(p));
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) throw err;
    }
  },
  stat: async (p) => {
    if (isLocal(p)) return nodeFileSystem.stat(local(p));
    try {
      const s = await vscode.workspace.fs.stat(uri(p));
      return { type: typeOf(s.type), size: s.size, mtime: s.mtime };
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
      throw err;
    }
  },
  readDirectory: async (p) => (isLocal(p) ? nodeFileSystem.readDirectory(local(p)) : (await vscode.workspace.fs.readDirectory(uri(p))).map(([n, t]) => [n, typeOf(t)])),
  join: (dir, name) => vscode.Uri.joinPath(uri(dir), name).toString(),
};

/** A file's bytes, through the adapter. */
export function readBytes(u: vscode.Uri): Promise<Uint8Array> {
  return vscodeFileSystem.readFile(u.toString());
}
