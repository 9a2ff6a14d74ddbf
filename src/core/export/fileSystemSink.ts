/**
 * An export sink over the core's `FileSystem`, for where node:fs is not (VS Code for the Web: the
 * extension writes through `vscode.workspace.fs`). That interface has no append and no folders of
 * its own, so each output is held in memory until `commit`, then written to a temp name beside its
 * target and renamed into place: a cancelled export writes nothing, and a reader never sees half a
 * file. A folder export (brat, cases) is committed file by file, under the same rules as the Node
 * sink: into an empty or new folder, or with `force` over the files an earlier export's manifest
 * lists, never over anything else. Paths are the file system's own (URIs in the extension); its
 * `writeFile` must make the folders a path needs, as `vscode.workspace.fs.writeFile` does.
 */
import { FileSystem } from '../fileSystem';
import { ExportSink, ExportTargetError, ExportWriteError, SinkFile, SinkFolder } from './sink';

const EXPORT_MANIFEST = '.misconduct-export.json';
const encoder = new TextEncoder();

const parentOf = (path: string) => path.slice(0, path.lastIndexOf('/'));
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** Writes `text` to a hidden temp name beside `path`, then renames it over `path`. */
async function writeReplacing(fs: FileSystem, path: string, text: string): Promise<void> {
  const temp = fs.join(parentOf(path), `.${nameOf(path)}.misconduct-tmp-${Math.random().toString(36).slice(2, 10)}`);
  try {
    await fs.writeFile(temp, encoder.encode(text));
    await fs.rename(temp, path);
  } catch (err) {
    await fs.delete(temp).catch(() => undefined);
    throw new ExportWriteError(`cannot write ${path}: ${(err as Error)?.message ?? String(err)}`);
  }
}

async function manifestOf(fs: FileSystem, folder: string): Promise<Set<string>> {
  try {
    const raw = JSON.parse(new TextDecoder().decode(await fs.readFile(fs.join(folder, EXPORT_MANIFEST)))) as { tool?: string; files?: unknown };
    if (raw?.tool !== 'misconduct-annotator' || !Array.isArray(raw.files)) return new Set();
    // names stay inside the folder: a hand-edited manifest cannot send a delete elsewhere
    return new Set(raw.files.filter((f): f is string => typeof f === 'string' && f !== '' && f.split('/').every((p) => p && p !== '.' && p !== '..')));
  } catch {
    return new Set();
  }
}

const joinAll = (fs: FileSystem, root: string, name: string) => name.split('/').reduce((p, part) => fs.join(p, part), root);

export function createFileSystemSink(fs: FileSystem): ExportSink {
  return {
    async file(path): Promise<SinkFile> {
      const stat = await fs.stat(path);
      if (stat && stat.type !== 'file') throw new ExportTargetError(`${path} exists and is not a file`);
      let parts: string[] = [];
      return {
        append: async (text) => void parts.push(text),
        commit: () => writeReplacing(fs, path, parts.join('')),
        discard: async () => void (parts = []),
      };
    },
    async folder(path, options): Promise<SinkFolder> {
      const stat = await fs.stat(path);
      if (stat && stat.type !== 'directory') throw new ExportTargetError(`${path} exists and is not a folder`);
      const existing = stat ? (await fs.readDirectory(path)).map(([name]) => name) : [];
      if (existing.length && options?.force !== true) {
        throw new ExportTargetError(`${path} is not empty; choose an empty or new folder, or replace an earlier export there (only files it wrote are removed)`);
      }
      let files = new Map<string, string>();
      return {
        write: async (name, text) => void files.set(name, text),
        discard: async () => void (files = new Map()),
        async commit() {
          const ours = existing.length ? await manifestOf(fs, path) : new Set<string>();
          for (const name of files.keys()) {
            const there = await fs.stat(joinAll(fs, path, name));
            if (there && !ours.has(name)) throw new ExportTargetError(`${joinAll(fs, path, name)} was not written by an earlier export and would be overwritten; choose another folder`);
          }
          for (const name of ours) if (!files.has(name)) await fs.delete(joinAll(fs, path, name));
          for (const [name, text] of files) await writeReplacing(fs, joinAll(fs, path, name), text);
          const manifest = { tool: 'misconduct-annotator', files: [...files.keys()].sort() };
          await writeReplacing(fs, fs.join(path, EXPORT_MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
        },
      };
    },
  };
}
