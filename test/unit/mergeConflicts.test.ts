/**
 * Recorded merge conflicts on relations and form fields: the rules that keep nothing of either side
 * lost, conflicts left from an earlier merge, the driver's report, and resolving one in the live
 * document as one undo step (what Accept Theirs / Keep Mine do in the editor).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnnotationDocument } from '../../src/core/annotationDocument';
import { sha256Hex } from '../../src/core/article';
import { conflictName, mergeForGit, mergeSidecars, resolveConflict, settlementOf } from '../../src/core/merge';
import { Conflict, Relation, Sidecar } from '../../src/core/schema';
import { parseSidecar } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { cli, tempDir } from './helpers';

const TEXT = 'PC Smith of Kent Police was dismissed without notice after lying to investigators.';
const CREATED = '2026-01-01T00:00:00Z';
const ann = (id: string, quote: string, label: string) => {
  const start = TEXT.indexOf(quote);
  return { id, label, start, end: start + quote.length, text: quote, source: 'manual' as const, created: CREATED };
};
const rel = (id: string, label: string, from: string, to: string, note?: string): Relation => ({ id, label, from, to, ...(note ? { note } : {}), created: CREATED });
const base: Sidecar = {
  version: 1,
  article: { file: 'a.txt', sha256: sha256Hex(TEXT), length: TEXT.length },
  annotations: [ann('a1', 'PC Smith', 'officer'), ann('a2', 'Kent Police', 'force'), ann('a3', 'dismissed without notice', 'sanction'), ann('a4', 'lying', 'allegation')],
  relations: [rel('r1', 'member', 'a1', 'a2'), rel('r2', 'outcome', 'a4', 'a3')],
  document: { outcome: 'dismissal', force: 'kent' },
};
const clone = (s: Sidecar): Sidecar => JSON.parse(JSON.stringify(s));

describe('merge conflicts on relations and form fields', () => {
  it('their change to a relation whose end ours removed: their annotation waits with it, so nothing is lost', () => {
    const ours = clone(base);
    ours.annotations = ours.annotations.filter((a) => a.id !== 'a2');
    ours.relations = ours.relations!.filter((r) => r.id !== 'r1');
    const theirs = clone(base);
    theirs.relations![0].note = 'their note';
    const { sidecar } = mergeForGit(base, ours, theirs);
    assert.ok(!sidecar.annotations.some((a) => a.id === 'a2'));
    assert.deepEqual(sidecar.conflicts?.map(conflictName), ['relation:r1', 'a2']);
    parseSidecar('x', serializeSidecar(sidecar));
    const back = resolveConflict(resolveConflict(sidecar, sidecar.conflicts![1], 'theirs'), sidecar.conflicts![0], 'theirs');
    assert.equal(back.relations?.find((r) => r.id === 'r1')?.note, 'their note');
    assert.equal(back.conflicts, undefined);
  });

  it('a conflict left from an earlier merge and resolved on one side stays resolved', () => {
    const pending: Conflict = { kind: 'field', field: 'outcome', theirs: 'final_written_warning' };
    const b = { ...clone(base), conflicts: [pending] };
    const ours = { ...clone(base), document: { ...base.document!, outcome: 'written_warning' } }; // resolved: Keep Mine, then changed
    const theirs = { ...clone(b), document: { ...base.document!, barred_list: true } };
    const { sidecar, fresh } = mergeForGit(b, ours, theirs);
    assert.equal(fresh, 0);
    assert.equal(sidecar.conflicts, undefined);
    assert.deepEqual(sidecar.document, { barred_list: true, force: 'kent', outcome: 'written_warning' });
    // and one still pending on both sides stays
    assert.deepEqual(mergeForGit(b, clone(b), theirs).sidecar.conflicts, [pending]);
  });

  it('the editor\'s merge with the file on disk keeps conflicts resolved in memory resolved', () => {
    const onDisk = { ...clone(base), conflicts: [{ kind: 'field', field: 'outcome', theirs: 'x' } as Conflict] };
    const mine = clone(base); // the conflict resolved (Keep Mine), not saved yet
    const theirs = { ...clone(onDisk), status: 'done' as const };
    const { merged, conflicts } = mergeSidecars(onDisk, mine, theirs);
    assert.deepEqual(conflicts, []);
    assert.equal(merged.conflicts, undefined);
    assert.equal(merged.status, 'done');
  });

  it('the driver names each new conflict (relation:<id>, field:<name>) and exits 1', async () => {
    const dir = tempDir();
    const ours = clone(base);
    const theirs = clone(base);
    ours.relations![1].label = 'sanction_for';
    theirs.relations![1].label = 'result';
    ours.document!.outcome = 'written_warning';
    theirs.document!.outcome = 'final_written_warning';
    const f = (n: string, s: Sidecar) => (fs.writeFileSync(path.join(dir, n), serializeSidecar(s)), path.join(dir, n));
    const [o, a, b] = [f('o', base), f('a', ours), f('b', theirs)];
    const run = await cli('merge-driver', o, a, b, 'a.txt.annotations.json');
    assert.equal(run.code, 1);
    assert.match(run.err, /2 conflict\(s\) recorded \(relation:r2, field:outcome\)/);
    const merged = parseSidecar('a', fs.readFileSync(a, 'utf8'));
    assert.equal(merged.relations?.find((r) => r.id === 'r2')?.label, 'sanction_for');
    assert.equal(merged.document?.outcome, 'written_warning');
  });
});

describe('resolving a recorded conflict in the live document', () => {
  const recorded = (): Sidecar => {
    const s = clone(base);
    s.status = 'in_progress';
    s.conflicts = [
      { kind: 'relation', id: 'r2', theirs: rel('r2', 'outcome', 'a4', 'a3', 'their note') },
      { kind: 'field', field: 'outcome', theirs: 'final_written_warning' },
      { kind: 'annotation', id: 'a1', theirs: { ...ann('a1', 'PC Smith', 'officer'), note: 'their note' } },
      { kind: 'status', theirs: 'done' },
      { kind: 'relation', id: 'r1', theirs: null },
    ];
    return s;
  };
  const sha = sha256Hex(TEXT);

  function resolve(doc: AnnotationDocument, name: string, accept: 'theirs' | 'mine'): void {
    const current = doc.toSidecar(TEXT, sha);
    const conflict = doc.conflicts.find((c) => conflictName(c) === name)!;
    doc.settleConflicts(TEXT, settlementOf(current, resolveConflict(current, conflict, accept, { text: TEXT, sha256: sha })));
  }

  it('Accept Theirs applies their relation, field, annotation and status, each one undo step that brings the conflict back', () => {
    const doc = new AnnotationDocument('a.txt');
    doc.load(recorded(), TEXT);
    const events: Array<{ relations?: boolean; form?: boolean }> = [];
    doc.onDidChange((e) => events.push(e));

    resolve(doc, 'relation:r2', 'theirs');
    assert.equal(doc.getRelation('r2')?.note, 'their note');
    assert.ok(events.at(-1)?.relations);
    resolve(doc, 'field:outcome', 'theirs');
    assert.equal(doc.field('outcome'), 'final_written_warning');
    assert.ok(events.at(-1)?.form);
    resolve(doc, 'a1', 'theirs');
    assert.equal(doc.get('a1')?.meta.note, 'their note');
    resolve(doc, 'status', 'theirs');
    assert.equal(doc.status, 'done');
    resolve(doc, 'relation:r1', 'theirs');
    assert.equal(doc.getRelation('r1'), undefined, 'their removal of the link');
    assert.deepEqual(doc.conflicts, []);
    assert.ok(doc.dirty);
    const saved = doc.toSidecar(TEXT, sha);
    assert.equal(saved.conflicts, undefined);
    parseSidecar('x', serializeSidecar(saved));

    // undo, one resolution at a time, in reverse
    assert.ok(doc.undo());
    assert.equal(doc.getRelation('r1')?.label, 'member');
    assert.deepEqual(doc.conflicts.map(conflictName), ['relation:r1']);
    assert.ok(doc.undo());
    assert.equal(doc.status, 'in_progress');
    assert.ok(doc.undo());
    assert.equal(doc.get('a1')?.meta.note, undefined);
    assert.ok(doc.undo());
    assert.equal(doc.field('outcome'), 'dismissal');
    assert.ok(doc.undo());
    assert.equal(doc.getRelation('r2')?.note, undefined);
    assert.deepEqual(doc.conflicts, recorded().conflicts);
    assert.ok(doc.redo());
    assert.equal(doc.getRelation('r2')?.note, 'their note');
    assert.deepEqual(doc.conflicts.map(conflictName), ['field:outcome', 'a1', 'status', 'relation:r1']);
  });

  it('undoing a resolution leaves a status set after it alone', () => {
    const doc = new AnnotationDocument('a.txt');
    doc.load(recorded(), TEXT);
    resolve(doc, 'field:outcome', 'mine');
    doc.setStatus('done');
    doc.undo();
    assert.equal(doc.status, 'done');
    assert.ok(doc.conflicts.some((c) => c.kind === 'field'));
  });

  it('Keep Mine only removes the conflict, and undo brings it back', () => {
    const doc = new AnnotationDocument('a.txt');
    doc.load(recorded(), TEXT);
    const before = doc.toSidecar(TEXT, sha);
    resolve(doc, 'field:outcome', 'mine');
    const after = doc.toSidecar(TEXT, sha);
    assert.deepEqual({ ...after, conflicts: undefined }, { ...before, conflicts: undefined });
    assert.ok(!after.conflicts!.some((c) => c.kind === 'field'));
    assert.ok(doc.dirty, 'a change to write');
    doc.undo();
    assert.deepEqual(doc.conflicts, recorded().conflicts);
  });
});

describe("the editor's merge with a sidecar changed on disk", () => {
  it('asks about a form field, relation or status both sides changed, as about an annotation (theirs is never dropped silently)', () => {
    const mine = clone(base);
    const theirs = clone(base);
    mine.document!.outcome = 'written_warning';
    theirs.document!.outcome = 'final_written_warning';
    mine.relations![0].note = 'mine';
    theirs.relations![0].note = 'theirs';
    mine.status = 'done';
    theirs.status = 'in_progress';
    assert.deepEqual(mergeSidecars(base, mine, theirs).conflicts, ['status', 'relation:r1', 'field:outcome']);
  });
});
