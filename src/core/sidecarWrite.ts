/**
 * Writing sidecars to disk: atomically, through a temp file beside the target, and never over a
 * file that is not a valid sidecar (a broken or newer one is the researcher's to fix, not ours to
 * lose).
 */
import type { FileSystem } from './fileSystem';
import type { Sidecar } from './schema';
import { parseSidecar, readSidecarText, SidecarError } from './sidecar';
import { isEmptySidecar, serializeSidecar } from './sidecarEncoding';

export class SidecarProtectedError extends Error {
  constructor(readonly sidecarError: SidecarError) {
    super(`${sidecarError.file}: not saved, because the file on disk is not a valid sidecar and would be lost:\n${sidecarError.message}`);
  }
}

let tempCounter = 0;

/** Splits an opaque path (a file path or a URI string) into its folder and its name. */
function splitPath(path: string): [folder: string, name: string] {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return [path.slice(0, cut), path.slice(cut + 1)];
}

/**
 * Our temp files for a target: hidden (`.name.<pid>-<time>-<n>.tmp`), and the visible
 * `name.<pid>-<time>-<n>.tmp` of older builds. Nothing else is ever taken for one of ours.
 */
function tempPattern(name: string): RegExp {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^\\.?${escaped}\\.[0-9]+-[0-9a-z]+-[0-9a-z]+\\.tmp$`);
}

/** A temp file this old was left by a crashed write (no write takes this long). */
const STALE_TEMP_MS = 60_000;

/**
 * The targets whose stale temp files this process has looked for: once each is enough (a failed
 * write of ours removes its own), and listing a folder of thousands of articles on every write is not.
 */
const cleanedTargets = new Set<string>();

/**
 * Writes bytes atomically: a hidden temp file in the same folder (flushed to disk by the file
 * system's `writeFile`), then a rename over the target, then the folder flushed, so a crash leaves
 * either the old file or the new one. A symlinked target is written through to the file it points
 * at (the link stays a link). The temp file is removed when anything fails; temp files of ours that
 * a crashed write left behind are cleaned up (on this process's first write of the target).
 */
export async function writeFileAtomic(fs: FileSystem, path: string, data: Uint8Array, now = Date.now()): Promise<void> {
  const target = fs.realPath ? await fs.realPath(path) : path;
  const [folder, name] = splitPath(target);
  const temp = fs.join(folder, `.${name}.${process.pid}-${now.toString(36)}-${(tempCounter++).toString(36)}.tmp`);
  try {
    await fs.writeFile(temp, data);
    await fs.rename(temp, target);
  } catch (err) {
    await fs.delete(temp).catch(() => undefined);
    throw err;
  }
  await fs.syncFolder?.(folder).catch(() => undefined);
  if (!cleanedTargets.has(target)) {
    cleanedTargets.add(target);
    await cleanStaleTemps(fs, folder, name, now).catch(() => undefined);
  }
}

/** Removes temp files of ours for `name` in `folder` that are older than a write can take. */
export async function cleanStaleTemps(fs: FileSystem, folder: string, name: string, now = Date.now()): Promise<string[]> {
  const pattern = tempPattern(name);
  const removed: string[] = [];
  for (const [entry, type] of await fs.readDirectory(folder)) {
    if (type !== 'file' || !pattern.test(entry)) continue;
    const path = fs.join(folder, entry);
    const stat = await fs.stat(path);
    if (!stat || now - stat.mtime < STALE_TEMP_MS) continue;
    await fs.delete(path);
    removed.push(path);
  }
  return removed;
}

export type WriteOutcome = 'written' | 'unchanged' | 'skipped-empty';

/**
 * Writes a sidecar, refusing to replace a file on disk that is not a valid sidecar
 * (`SidecarProtectedError`), and writing nothing for an empty sidecar where none existed.
 */
export async function writeSidecar(
  fs: FileSystem,
  sidecarPath: string,
  sidecar: Sidecar,
  known?: {
    /** What the caller has just read from the file (one read per write). */
    existing: string | undefined;
    /** The caller knows `existing` is a sidecar this process wrote (a long one takes long to check again). */
    existingIsOurs?: boolean;
    /** `serializeSidecar(sidecar)`, when the caller has it already. */
    serialized?: string;
    /** The UTF-8 of `serialized`, when the caller has it already. */
    bytes?: Uint8Array;
  },
): Promise<WriteOutcome> {
  let existing: string | undefined;
  try {
    existing = known ? known.existing : await readSidecarText(fs, sidecarPath);
    if (existing === undefined && isEmptySidecar(sidecar)) return 'skipped-empty';
    if (existing !== undefined && !known?.existingIsOurs) parseSidecar(sidecarPath, existing);
  } catch (err) {
    if (err instanceof SidecarError) throw new SidecarProtectedError(err);
    throw err;
  }
  const text = known?.serialized ?? serializeSidecar(sidecar);
  if (text === existing) return 'unchanged';
  await writeFileAtomic(fs, sidecarPath, (known?.serialized !== undefined && known.bytes) || new TextEncoder().encode(text));
  return 'written';
}
