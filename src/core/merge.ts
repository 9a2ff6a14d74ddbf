/**
 * Three-way merge of sidecars by annotation id, for a sidecar that changed on disk (another
 * annotator, a git checkout) while the editor held unsaved annotation changes. Changes to
 * different annotations merge; changes to the same annotation are conflicts for the user to decide.
 */
import { Annotation, Rejection, Sidecar } from './schema';

export interface MergeResult {
  merged: Sidecar;
  /** Ids changed differently on both sides. */
  conflicts: string[];
}

function same(a: Annotation | undefined, b: Annotation | undefined): boolean {
  if (!a || !b) return a === b;
  return JSON.stringify(normal(a)) === JSON.stringify(normal(b));
}

/** The fields that carry meaning; prefix/suffix follow from the text and are ignored. */
function normal(a: Annotation): unknown {
  return [a.label, a.start, a.end, a.text, a.source, a.note ?? '', a.author ?? '', a.orphaned ?? false, Object.entries(a.attributes ?? {}).sort()];
}

function rejectionKey(r: Rejection): string {
  return `${r.start}:${r.end}:${r.label}:${r.text}`;
}

/** `base` is what both sides started from (undefined when there was no sidecar). */
export function mergeSidecars(base: Sidecar | undefined, mine: Sidecar, theirs: Sidecar): MergeResult {
  const index = (s: Sidecar | undefined) => new Map((s?.annotations ?? []).map((a) => [a.id, a]));
  const b = index(base);
  const m = index(mine);
  const t = index(theirs);
  const ids = new Set([...b.keys(), ...m.keys(), ...t.keys()]);
  const annotations: Annotation[] = [];
  const conflicts: string[] = [];
  for (const id of ids) {
    const [ba, ma, ta] = [b.get(id), m.get(id), t.get(id)];
    let pick: Annotation | undefined;
    if (same(ma, ba)) pick = ta;
    else if (same(ta, ba) || same(ma, ta)) pick = ma;
    else {
      conflicts.push(id);
      pick = ma;
    }
    if (pick) annotations.push(pick);
  }
  // rejections only accumulate: keep everything either side rejected
  const rejected = new Map<string, Rejection>();
  for (const r of [...(mine.rejected ?? []), ...(theirs.rejected ?? [])]) rejected.set(rejectionKey(r), r);
  const status = mine.status === base?.status ? theirs.status : mine.status;
  const merged: Sidecar = { ...mine, annotations, status };
  if (status === undefined) delete merged.status;
  if (rejected.size) merged.rejected = [...rejected.values()];
  else delete merged.rejected;
  return { merged, conflicts };
}
