/**
 * The core's FileSystem over `vscode.workspace.fs`, so sidecars are read and written the same way
 * on local, remote and virtual workspaces. Paths are URI strings.
 */
import * as vscode from 'vscode';
import { EntryType, FileSystem } from '../core/fileSystem';

function typeOf(t: vscode.FileType): EntryType {
  if (t & vscode.FileType.SymbolicLink) return t & vscode.FileType.Directory ? 'directory' : t & vscode.FileType.File ? 'file' : 'symlink';
  return t === vscode.FileType.File ? 'file' : t === vscode.FileType.Directory ? 'directory' : 'other';
}

const uri = (p: string) => vscode.Uri.parse(p, true);

export const vscodeFileSystem: FileSystem = {
  readFile: async (p) => vscode.workspace.fs.readFile(uri(p)),
  writeFile: async (p, data) => vscode.workspace.fs.writeFile(uri(p), data),
  rename: async (from, to) => vscode.workspace.fs.rename(uri(from), uri(to), { overwrite: true }),
  delete: async (p) => {
    try {
      await vscode.workspace.fs.delete(uri(p));
    } catch (err) {
      if (!(err instanceof vscode.FileSystemError && err.code === 'FileNotFound')) throw err;
    }
  },
  stat: async (p) => {
    try {
      const s = await vscode.workspace.fs.stat(uri(p));
      return { type: typeOf(s.type), size: s.size, mtime: s.mtime };
    } catch (err) {
      if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
      throw err;
    }
  },
  readDirectory: async (p) => (await vscode.workspace.fs.readDirectory(uri(p))).map(([n, t]) => [n, typeOf(t)]),
  join: (dir, name) => vscode.Uri.joinPath(uri(dir), name).toString(),
};

export function key(u: vscode.Uri): string {
  return u.toString();
}
