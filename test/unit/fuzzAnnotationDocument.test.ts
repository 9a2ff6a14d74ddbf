/**
 * Property tests of what the editor runs: `AnnotationDocument`'s public API driven by generated
 * sessions — typing and multi-cursor events, whole-document replacements, select-all + delete,
 * typing-merged backspacing, undo and redo of text (as VS Code sends them, marked as undo/redo),
 * tagging and annotation undo, reloads from the sidecar, and files rewritten on disk.
 *
 * After every step:
 * - every placed span's quote is the text at its offsets;
 * - no span disappears unless the user deleted its whole text by hand in that very step (and the
 *   step reported it); an external rewrite or a reload never removes one;
 * - a span's quote changes only when an edit reached into it;
 * - an orphan is an orphan only while its quote is not found exactly once;
 * - undoing every text edit back to a checkpoint gives back exactly the spans of the checkpoint
 *   (its placed spans at their places), every annotation of it and every relation.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { AnnotationDocument, Span, TextChange } from '../../src/core/annotationDocument';
import { sha256Hex } from '../../src/core/article';
import { parseSidecar, relationProblems } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { checkProperty } from './property';
import { applyText, boundary, inverseOf } from './textEvents';

const WORDS = ['Kent', 'Police', 'PC', 'Jones', 'was', 'dismissed', 'for', 'misconduct', '😀', 'é', '\r\n', '\n', ',', '.'];
const textArb = fc.array(fc.constantFrom(...WORDS), { minLength: 4, maxLength: 30 }).map((ws) => ws.join(' '));
const insertArb = fc.oneof(fc.constantFrom('', 'x', ' ', 'Police ', '😀', '\r\n', 'PC Jones'), fc.string({ maxLength: 4 }).map((s) => s.replace(/[\ud800-\udfff]/g, '')));

type Step =
  | { kind: 'edit'; changes: Array<[number, number, string]> }
  | { kind: 'whole'; text: string }
  | { kind: 'selectAllDelete' }
  | { kind: 'backspaceRun'; at: number; count: number }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'tag'; at: number; length: number; label: string }
  | { kind: 'annotationUndo' }
  | { kind: 'reload' }
  | { kind: 'external'; at: number; length: number; text: string }
  | { kind: 'link'; from: number; to: number }
  | { kind: 'removeSpan'; which: number };

const WHOLE_WEIGHT = 1;

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.tuple(fc.nat(), fc.nat(6), insertArb), { minLength: 1, maxLength: 3 }).map((changes) => ({ kind: 'edit' as const, changes })) },
  { weight: WHOLE_WEIGHT, arbitrary: textArb.map((text) => ({ kind: 'whole' as const, text })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'selectAllDelete' as const }) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 2, max: 12 })).map(([at, count]) => ({ kind: 'backspaceRun' as const, at, count })) },
  { weight: 5, arbitrary: fc.constant({ kind: 'undo' as const }) },
  { weight: 2, arbitrary: fc.constant({ kind: 'redo' as const }) },
  { weight: 3, arbitrary: fc.tuple(fc.nat(), fc.integer({ min: 4, max: 12 }), fc.constantFrom('force', 'allegation')).map(([at, length, label]) => ({ kind: 'tag' as const, at, length, label })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'annotationUndo' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reload' as const }) },
  { weight: WHOLE_WEIGHT, arbitrary: fc.tuple(fc.nat(), fc.nat(20), insertArb).map(([at, length, text]) => ({ kind: 'external' as const, at, length, text })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), fc.nat()).map(([from, to]) => ({ kind: 'link' as const, from, to })) },
  { weight: 1, arbitrary: fc.nat().map((which) => ({ kind: 'removeSpan' as const, which })) },
);




/** Non-overlapping changes, descending, offsets in the text before the event (as VS Code sends them). */
function fitChanges(text: string, raw: Array<[number, number, string]>): TextChange[] {
  const out: TextChange[] = [];
  const n = raw.length;
  const width = Math.floor(text.length / n);
  let prevEnd = -1;
  raw.forEach(([o, l, ins], k) => {
    const lo = Math.max(k * width, prevEnd + 1);
    const hi = k === n - 1 ? text.length : (k + 1) * width - 1;
    if (hi < lo) return;
    let offset = lo + (o % (hi - lo + 1));
    if (boundary(text, offset) < offset) offset++;
    if (offset > hi) return;
    const length = Math.max(0, boundary(text, Math.min(hi, offset + l)) - offset);
    if (!length && !ins) return;
    out.push({ rangeOffset: offset, rangeLength: length, text: ins });
    prevEnd = offset + length;
  });
  return out.sort((a, b) => b.rangeOffset - a.rangeOffset);
}

type Placed = Array<[string, string, number, number]>;
const placed = (doc: AnnotationDocument): Placed =>
  doc
    .all()
    .filter((s) => !s.orphaned)
    .map((s) => [s.id, s.label, s.start, s.end] as [string, string, number, number])
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));

function occurrences(text: string, q: string): number {
  let n = 0;
  for (let i = text.indexOf(q); i >= 0; i = text.indexOf(q, i + 1)) n++;
  return n;
}

/** One generated editing session, with every invariant checked after every step. */
function runSession(text0: string, rawSpans: Array<[number, number]>, steps: Step[]): void {
    let text = text0;
    const read = (s: number, e: number) => text.slice(s, e);
    const doc = new AnnotationDocument('a.txt', 'tester');
    doc.add(
      read,
      rawSpans.map(([s, l], i) => {
        const start = boundary(text, s % text.length);
        let end = Math.min(text.length, start + l);
        if (boundary(text, end) < end) end++; // never half of a surrogate pair
        return { start, end: Math.min(end, text.length), label: i % 2 ? 'force' : 'allegation' };
      }).filter((n) => n.start < n.end),
    );
    // text undo and redo stacks, as VS Code keeps them (an entry is one undo step)
    let undo: Array<{ forward: TextChange[]; inverse: TextChange[] }> = [];
    let redo: Array<{ forward: TextChange[]; inverse: TextChange[] }> = [];
    // a state to come back to: the undo depth and the placed spans there
    const checkpoints: Array<{ depth: number; spans: Placed; text: string; orphans?: Set<string>; relations: string[]; ids: string[] }> = [{ depth: 0, spans: placed(doc), text, relations: [], ids: doc.all().map((x) => x.id).sort() }];
    const relationIds = () => doc.relations().map((r) => r.id).sort();
    /** Relations never dangle: every one written has both ends in the file. */
    const relationsHold = () => {
      const sidecar = doc.toSidecar(text, sha256Hex(text));
      assert.deepEqual(relationProblems('a.txt.annotations.json', sidecar), [], 'a written relation has both ends');
    };

    /** The sorted view (patched after small steps, rebuilt after large ones) is what the index and the orphans hold. */
    const viewHolds = () => {
      const fresh = [...doc.inRange(0, text.length + 1), ...doc.orphans()].map((s) => [s.id, s.label, s.start, s.end, !!s.orphaned].join());
      const view = doc.all().map((s) => [s.id, s.label, s.start, s.end, !!s.orphaned].join());
      assert.deepEqual([...view].sort(), [...fresh].sort(), 'all() holds every span once, where it is');
      const all = doc.all();
      for (let i = 1; i < all.length; i++) assert.ok(all[i - 1].start <= all[i].start, 'all() is in reading order');
      const counts = new Map<string, number>();
      for (const s of [...doc.inRange(0, text.length + 1), ...doc.orphans()]) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
      assert.deepEqual([...doc.labelsInUse()].sort(), [...counts].sort(), 'labelsInUse counts what is there');
    };

    const apply = (changes: TextChange[], reason: 'undo' | 'redo' | undefined, external = false) => {
      const before = new Map(doc.all().map((s) => [s.id, s] as [string, Span]));
      const oldText = text;
      text = applyText(text, changes);
      const outcome = doc.applyTextChanges(changes, read, text.length, { reason, external });
      doc.retryOrphans(read, text.length); // what the editor does when typing pauses
      check(before, oldText, changes, outcome.removed.map((s) => s.id), external, reason);
    };

    const check = (before: Map<string, Span>, oldText: string, changes: TextChange[], removed: string[], external: boolean, reason: 'undo' | 'redo' | undefined) => {
      const now = new Map(doc.all().map((s) => [s.id, s] as [string, Span]));
      for (const s of now.values()) {
        if (s.orphaned) {
          // an orphan stays one only while its quote is not found exactly once (or is already taken)
          const taken = doc.all().some((o) => !o.orphaned && o.label === s.label && text.slice(o.start, o.end) === s.text);
          assert.ok(s.text === '' || occurrences(text, s.text) !== 1 || taken, `orphan ${s.id} ${JSON.stringify(s.text)} occurs once in ${JSON.stringify(text)}`);
          continue;
        }
        assert.equal(s.text, text.slice(s.start, s.end), `span ${s.id}'s quote is its text`);
        assert.ok(s.start < s.end && s.end <= text.length);
      }
      for (const [id, s] of before) {
        if (now.has(id)) continue;
        assert.ok(!external, `${id} was removed by a change on disk`);
        assert.ok(removed.includes(id), `${id} (${JSON.stringify(s.text)}) disappeared without being reported removed`);
      }
      // untouched spans keep their quote (offsets before the event against the old text); an
      // undo or redo may legitimately give a span back the edge an edit took from it
      if (changes.length === 1 && !external && !reason) {
        const c = changes[0];
        for (const [id, s] of before) {
          const after = now.get(id);
          if (!after || s.orphaned || after.orphaned) continue;
          const touched = c.rangeOffset < s.end && c.rangeOffset + c.rangeLength > s.start;
          const inside = c.rangeLength === 0 && c.rangeOffset > s.start && c.rangeOffset < s.end;
          if (!touched && !inside && oldText.slice(s.start, s.end) === s.text) assert.equal(after.text, s.text, `${id}'s quote changed without an edit inside it`);
        }
      }
    };

    /**
     * Before a new edit after undoing: the checkpoints above the undo depth were on the branch it
     * discards (undo cannot reach them again); the state now is the one to come back to.
     */
    const newBranch = () => {
      if (checkpoints[checkpoints.length - 1].depth <= undo.length) return;
      while (checkpoints[checkpoints.length - 1].depth > undo.length) checkpoints.pop();
      checkpoints.push({ depth: undo.length, spans: placed(doc), text, orphans: new Set(doc.orphans().map((o) => o.id)), relations: relationIds(), ids: doc.all().map((x) => x.id).sort() });
    };

    const backToCheckpoint = () => {
      const cp = checkpoints[checkpoints.length - 1];
      if (undo.length !== cp.depth || text !== cp.text) return;
      // orphans of the checkpoint may have been found again since (they are tried after every change)
      const now = placed(doc).filter((p) => !cp.orphans?.has(p[0]) || cp.spans.some((q) => q[0] === p[0]));
      assert.deepEqual(now, cp.spans, 'undoing back to a checkpoint gives its spans back');
      // every annotation of the checkpoint is there (placed or orphaned: an orphan placed on a
      // match inside inserted text is an orphan again when that text is undone, seed 170794675),
      // and so is every relation
      assert.deepEqual(doc.all().map((x) => x.id).sort(), cp.ids, 'undoing back to a checkpoint gives its annotations back');
      assert.deepEqual(relationIds(), cp.relations, 'undoing back to a checkpoint gives its relations back');
    };

    for (const step of steps) {
      switch (step.kind) {
        case 'edit':
        case 'whole':
        case 'selectAllDelete':
        case 'backspaceRun': {
          let changes: TextChange[];
          if (step.kind === 'edit') changes = fitChanges(text, step.changes);
          else if (step.kind === 'whole') changes = text.length && step.text !== text ? [{ rangeOffset: 0, rangeLength: text.length, text: step.text }] : [];
          else if (step.kind === 'selectAllDelete') changes = text.length ? [{ rangeOffset: 0, rangeLength: text.length, text: '' }] : [];
          else {
            // backspace held: one event per character, merged by VS Code into one undo step
            newBranch();
            let at = boundary(text, step.at % (text.length + 1));
            const startText = text;
            const end = at;
            for (let k = 0; k < step.count && at > 0; k++) {
              const from = boundary(text, at - 1) < at - 1 ? at - 2 : at - 1;
              apply([{ rangeOffset: from, rangeLength: at - from, text: '' }], undefined);
              at = from;
            }
            if (at < end) {
              undo.push({ forward: [{ rangeOffset: at, rangeLength: end - at, text: '' }], inverse: [{ rangeOffset: at, rangeLength: 0, text: startText.slice(at, end) }] });
              redo = [];
            }
            break;
          }
          if (!changes.length) break;
          const inverse = inverseOf(text, changes);
          newBranch();
          apply(changes, undefined);
          undo.push({ forward: changes, inverse });
          redo = [];
          break;
        }
        case 'undo': {
          const e = undo.pop();
          if (!e) break;
          apply(e.inverse, 'undo');
          redo.push(e);
          backToCheckpoint();
          break;
        }
        case 'redo': {
          const e = redo.pop();
          if (!e) break;
          apply(e.forward, 'redo');
          undo.push(e);
          break;
        }
        case 'tag': {
          if (!text.length) break;
          const start = boundary(text, step.at % text.length);
          let end = Math.min(text.length, start + step.length);
          if (boundary(text, end) < end) end++;
          if (end <= start) break;
          doc.add(read, [{ start, end, label: step.label }]);
          checkpoints.push({ depth: undo.length, spans: placed(doc), text, orphans: new Set(doc.orphans().map((o) => o.id)), relations: relationIds(), ids: doc.all().map((x) => x.id).sort() });
          break;
        }
        case 'annotationUndo': {
          if (doc.undo()) checkpoints.push({ depth: undo.length, spans: placed(doc), text, orphans: new Set(doc.orphans().map((o) => o.id)), relations: relationIds(), ids: doc.all().map((x) => x.id).sort() });
          break;
        }
        case 'reload': {
          const before = placed(doc);
          const orphans = doc.orphans().map((o) => o.id).sort();
          const sidecar = parseSidecar('a.txt.annotations.json', serializeSidecar(doc.toSidecar(text, sha256Hex(text))));
          const relationsBefore = relationIds();
          doc.load(sidecar, text);
          assert.deepEqual(placed(doc), before, 'a reload from the sidecar gives the same spans');
          assert.deepEqual(relationIds(), relationsBefore, 'a reload gives the same relations');
          assert.deepEqual(doc.orphans().map((o) => o.id).sort(), orphans);
          // a reload forgets text undo (VS Code keeps it, but our stash no longer applies)
          undo = [];
          redo = [];
          checkpoints.push({ depth: 0, spans: before, text, orphans: new Set(doc.orphans().map((o) => o.id)), relations: relationIds(), ids: doc.all().map((x) => x.id).sort() });
          break;
        }
        case 'link': {
          const all = doc.all();
          if (all.length < 2) break;
          const from = all[step.from % all.length];
          const to = all[step.to % all.length];
          const r = doc.link({ from: from.id, to: to.id, label: 'member' });
          assert.equal(!!r, from.id !== to.id, 'a link between two spans is made');
          checkpoints.push({ depth: undo.length, spans: placed(doc), text, orphans: new Set(doc.orphans().map((o) => o.id)), relations: relationIds(), ids: doc.all().map((x) => x.id).sort() });
          break;
        }
        case 'removeSpan': {
          const all = doc.all();
          if (!all.length) break;
          const gone = all[step.which % all.length];
          const linked = doc.relationsOf(gone.id).map((r) => r.id).sort();
          const before = relationIds();
          doc.remove([gone.id]);
          assert.deepEqual(relationIds(), before.filter((id) => !linked.includes(id)), 'removing a span removes exactly its relations');
          doc.undo();
          assert.deepEqual(relationIds(), before, 'one undo brings the span and its relations back');
          doc.redo();
          checkpoints.push({ depth: undo.length, spans: placed(doc), text, orphans: new Set(doc.orphans().map((o) => o.id)), relations: relationIds(), ids: doc.all().map((x) => x.id).sort() });
          break;
        }
        case 'external': {
          // a rewrite on disk that VS Code reloads as one change (its line diff)
          const at = boundary(text, step.at % (text.length + 1));
          const length = Math.max(0, boundary(text, Math.min(text.length, at + step.length)) - at);
          if (!length && !step.text) break;
          apply([{ rangeOffset: at, rangeLength: length, text: step.text }], undefined, true);
          undo = [];
          redo = [];
          checkpoints.push({ depth: 0, spans: placed(doc), text, orphans: new Set(doc.orphans().map((o) => o.id)), relations: relationIds(), ids: doc.all().map((x) => x.id).sort() });
          break;
        }
      }
      relationsHold();
      viewHolds();
    }
}

describe('annotation document: generated editing sessions', function () {
  this.timeout(120_000);

  it('never loses or misplaces a span or a relation through edits, undo/redo, replacements, reloads, rewrites on disk, links and removals', () => {
    checkProperty(
      fc.property(textArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 4, max: 12 })), { minLength: 1, maxLength: 6 }), fc.array(stepArb, { minLength: 1, maxLength: 14 }), runSession),
      3000,
    );
  });
});

describe('annotation document: counterexamples found by the generated sessions', () => {
  // each one failed before the fix named beside it
  const cases: Array<[string, string, Array<[number, number]>, Step[]]> = [
    ['merged backspace into a span from inside (inner edits recorded for a merged undo)', 'Kent Kent Kent Kent', [[0, 4]], [{ kind: 'backspaceRun', at: 2, count: 2 }, { kind: 'undo' }]],
    ['merged backspace over a whole span (an empty index still follows undo)', 'Kent Kent Kent Kent', [[0, 4]], [{ kind: 'backspaceRun', at: 4, count: 4 }, { kind: 'undo' }]],
    ['merged backspace ending at a span end (text deleted at an end lies after it)', 'Kent Kent Kent Kent', [[0, 4]], [{ kind: 'backspaceRun', at: 5, count: 2 }, { kind: 'undo' }]],
    ['merged backspace moving a later span (its place is followed through the run)', 'Kent Kent Kent Kent', [[1, 4], [0, 4]], [{ kind: 'backspaceRun', at: 2, count: 2 }, { kind: 'undo' }]],
    ['an edit, then a whole replacement, undo, undo (the text-undo history comes back)', 'Kent Kent Kent Kent', [[0, 4]], [{ kind: 'edit', changes: [[0, 1, '']] }, { kind: 'whole', text: 'Kent Kent Kent Kent' }, { kind: 'undo' }, { kind: 'undo' }]],
    ['a span pasted over with its own words, then undo (it moved, not vanished)', 'é misconduct PC for 😀', [[20, 2]], [{ kind: 'edit', changes: [[16, 6, '😀']] }, { kind: 'undo' }]],
    ['tag, undo, redo (redo gives back what the undo trimmed)', 'Kent PC Kent Kent', [[0, 4]], [{ kind: 'edit', changes: [[0, 0, ' ']] }, { kind: 'tag', at: 0, length: 4, label: 'force' }, { kind: 'undo' }, { kind: 'redo' }]],
    ['seed -300463189 shape: trims and an insertion, undone in order', 'aaaa Kent', [[0, 4]], [{ kind: 'edit', changes: [[3, 1, '']] }, { kind: 'edit', changes: [[0, 1, 'xx\r\n']] }, { kind: 'edit', changes: [[2, 0, 'x']] }, { kind: 'undo' }, { kind: 'undo' }, { kind: 'undo' }]],
    [
      'seed 170794675 shape: a link, then a whole replacement orphans its ends, a tag, an edit and its undo (an orphan re-attached inside typed text is an orphan again, with its links, when the typing is undone)',
      'Kent Kent Kent , Kent . Kent misconduct was was',
      [[0, 4]],
      [
        { kind: 'tag', at: 108068986, length: 4, label: 'force' },
        { kind: 'link', from: 1, to: 0 },
        { kind: 'backspaceRun', at: 485136352, count: 9 },
        { kind: 'whole', text: '😀 PC \n misconduct' },
        { kind: 'tag', at: 0, length: 4, label: 'force' },
        { kind: 'edit', changes: [[0, 0, 'PC Jones'], [0, 0, '']] },
        { kind: 'undo' },
        { kind: 'tag', at: 0, length: 4, label: 'force' },
      ],
    ],
    [
      'seed -214282471 shape: a whole replacement, a span removed, the replacement undone and redone (the undo of a replacement does not bring back a span removed since)',
      'Kent Kent Kent Kent',
      [[0, 4]],
      [
        { kind: 'whole', text: '\r\n Kent Kent Kent' },
        { kind: 'removeSpan', which: 0 },
        { kind: 'undo' },
        { kind: 'redo' },
        { kind: 'backspaceRun', at: 523, count: 2 },
        { kind: 'undo' },
        { kind: 'tag', at: 0, length: 4, label: 'force' },
      ],
    ],
    [
      'seed 947270901 shape: an orphan re-attached across the edge of typed text, then the typing undone (an orphan again, not trimmed to what is left)',
      'was for Police , . Police \r\n PC Kent . , . Kent',
      [[930171994, 4], [0, 4]],
      [
        { kind: 'whole', text: '\r\n , PC Kent' },
        { kind: 'tag', at: 0, length: 4, label: 'force' },
        { kind: 'edit', changes: [[0, 0, '\r\n']] },
        { kind: 'edit', changes: [[281293008, 0, 'Police '], [0, 0, ''], [0, 0, '']] },
        { kind: 'undo' },
        { kind: 'undo' },
      ],
    ],
    [
      'seed 452412018 shape: an orphan re-attached in the middle of a backspace run, then the run undone in one step (the run still gives back what it trimmed)',
      'dismissed \r\n é Kent Jones é \r\n',
      [[814706283, 7], [0, 4]],
      [{ kind: 'external', at: 1089063644, length: 8, text: '' }, { kind: 'backspaceRun', at: 1511780972, count: 8 }, { kind: 'undo' }],
    ],
    [
      'seed 696592187 shape: a rewrite on disk orphans a span, a backspace run re-attaches it and then deletes into it, one undo',
      'dismissed Kent dismissed Police \n was misconduct Jones , Police é for , \n \r\n 😀 . was',
      [[2052212509, 6]],
      [
        { kind: 'edit', changes: [[0, 1, '  '], [0, 1, 'Police '], [67671151, 4, '']] },
        { kind: 'edit', changes: [[0, 2, ''], [0, 3, '   ']] },
        { kind: 'external', at: 1862155280, length: 1, text: '😀' },
        { kind: 'tag', at: 1393032910, length: 4, label: 'force' },
        { kind: 'backspaceRun', at: 1198179110, count: 12 },
        { kind: 'undo' },
      ],
    ],
    [
      'seed -268283943 shape: undo, then the same typing again (a checkpoint on the discarded redo branch is not come back to)',
      'Kent Kent Kent Kent',
      [[0, 4]],
      [
        { kind: 'edit', changes: [[0, 0, 'x']] },
        { kind: 'tag', at: 0, length: 4, label: 'force' },
        { kind: 'undo' },
        { kind: 'edit', changes: [[0, 0, 'x']] },
        { kind: 'edit', changes: [[0, 0, '\r\n']] },
        { kind: 'undo' },
      ],
    ],
    [
      'seed -107476749 shape: re-attached orphans, select all + delete, undo (they come back exactly, not by a new guess)',
      'Kent Kent Kent PC Kent Police',
      [[30419114, 4], [0, 4]],
      [
        { kind: 'whole', text: 'was misconduct Kent Kent Kent misconduct' },
        { kind: 'edit', changes: [[0, 0, ''], [0, 4, ''], [0, 1, '']] },
        { kind: 'edit', changes: [[0, 0, 'PC Jones']] },
        { kind: 'tag', at: 0, length: 4, label: 'force' },
        { kind: 'selectAllDelete' },
        { kind: 'undo' },
        { kind: 'redo' },
      ],
    ],
    [
      'seed -951305090 shape: a re-attached orphan cut into, placed elsewhere by the retry, then the cut undone (it goes back where it was)',
      ', , misconduct misconduct \n misconduct 😀',
      [[313527003, 4], [0, 4]],
      [
        { kind: 'external', at: 0, length: 8, text: ' ' },
        { kind: 'backspaceRun', at: 985532681, count: 2 },
        { kind: 'tag', at: 0, length: 4, label: 'force' },
        { kind: 'edit', changes: [[1206632333, 3, '']] },
        { kind: 'undo' },
      ],
    ],
    [
      'seed 778843316 shape: a re-attached orphan deleted, placed elsewhere by the retry, then the deletion undone',
      'Kent misconduct Kent Kent',
      [[0, 4], [181016804, 4]],
      [
        { kind: 'whole', text: '😀 misconduct , Police misconduct' },
        { kind: 'backspaceRun', at: 58713821, count: 2 },
        { kind: 'undo' },
        { kind: 'removeSpan', which: 0 },
        { kind: 'edit', changes: [[1421995449, 4, '']] },
        { kind: 'undo' },
      ],
    ],
    [
      'seed 24858252 shape: a merged backspace run undone after a tag on text an older single edit also touched (the run is matched, not the older entry of the same shape)',
      '😀 Kent Kent Kent ,',
      [[0, 4]],
      [
        { kind: 'removeSpan', which: 0 },
        { kind: 'edit', changes: [[0, 0, ''], [0, 0, ' ']] },
        { kind: 'backspaceRun', at: 468496206, count: 2 },
        { kind: 'tag', at: 0, length: 4, label: 'force' },
        { kind: 'backspaceRun', at: 78738122, count: 2 },
        { kind: 'undo' },
      ],
    ],
    [
      'seed 348131267 shape: two whole replacements of mirror-image lengths, both undone (each undo takes its own snapshot)',
      'misconduct PC \r\n for for . PC',
      [[301197042, 4], [0, 4]],
      [{ kind: 'whole', text: 'Kent Kent Kent Kent' }, { kind: 'whole', text: 'dismissed , dismissed é Jones' }, { kind: 'undo' }, { kind: 'undo' }],
    ],
  ];
  for (const [what, text, spans, steps] of cases) it(what, () => runSession(text, spans, steps));
});
