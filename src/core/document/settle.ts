/**
 * Resolving the merge conflicts the git driver recorded, as one undo step: the records given
 * replace the live ones by id or name, keeping their ids and metadata (the other branch's
 * versions), and the recorded conflicts become what is left. Its undo brings the conflicts back
 * with what they replaced.
 */
import { OffsetMap } from '../offsets';
import { Annotation, ArticleStatus, Conflict, FieldValue, Relation } from '../schema';
import { CodingForm } from './form';
import { Change, conflictChange, FieldChange, RelationChange, SpanChange, statusChange, Step } from './history';
import { Relations } from './relations';
import { fromAnnotation } from './span';
import { Spans } from './spans';

/** The resolution of recorded merge conflicts, applied as one step: records put in as given (undefined removes one). */
export interface ConflictSettlement {
  /** In code points of the text given to `settleConflicts`. */
  annotations?: ReadonlyMap<string, Annotation | undefined>;
  relations?: ReadonlyMap<string, Relation | undefined>;
  fields?: ReadonlyMap<string, FieldValue | undefined>;
  status?: ArticleStatus | undefined;
  /** The conflicts still recorded afterwards. */
  conflicts: Conflict[];
}

/** Values given by key, with the ones they replace (none when nothing is given). */
function pairs<V>(given: ReadonlyMap<string, V | undefined> | undefined, now: (k: string) => V | undefined) {
  if (!given?.size) return undefined;
  const pair = { before: new Map<string, V | undefined>(), after: new Map<string, V | undefined>() };
  for (const [k, v] of given) {
    pair.before.set(k, now(k));
    pair.after.set(k, v);
  }
  return pair;
}

/** The step that settles conflicts in a document of these parts, for the live `text`. */
export function settlementStep(parts: { spans: Spans; relations: Relations; form: CodingForm }, text: string, change: ConflictSettlement): Step {
  const { spans, relations, form } = parts;
  const map = new OffsetMap(text);
  const annotations = { before: new Map(), after: new Map() };
  for (const [id, a] of change.annotations ?? []) {
    annotations.before.set(id, spans.get(id));
    annotations.after.set(id, a && fromAnnotation(a, map));
  }
  const links = pairs(change.relations, (id) => relations.kept(id));
  const fields = pairs(change.fields, (name) => form.held(name));
  const changes: Change[] = [new SpanChange(spans, annotations)];
  if (links) changes.push(new RelationChange(spans, relations, links));
  if (fields) changes.push(new FieldChange(form, fields));
  changes.push(conflictChange(form, change.conflicts));
  // only a step that changes the status undoes to the status before it
  if ('status' in change) changes.push(statusChange(form, change.status));
  return new Step(changes);
}
