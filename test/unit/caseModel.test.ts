/** Relations between spans and the coding form of an article (issue 15): the core model. */
import * as assert from 'node:assert/strict';
import { AnnotationDocument, TextChange } from '../../src/core/annotationDocument';
import { sha256Hex } from '../../src/core/article';
import { defaultDocumentFields, fieldValueProblem, prefillSuggestions, relationTypesFor, DEFAULT_RELATION_TYPES } from '../../src/core/codebook';
import { mergeForGit, resolveConflict } from '../../src/core/merge';
import { Sidecar, toJsonSchema } from '../../src/core/schema';
import { parseSidecar, reconcileWithArticle, SidecarError } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';

const TEXT = 'PC Jane Doe of Kent Police was dismissed without notice for dishonesty.';

function setup(): { doc: AnnotationDocument; read: (s: number, e: number) => string; ids: Record<string, string>; edit: (c: TextChange, reason?: 'undo' | 'redo') => void; text: () => string } {
  let text = TEXT;
  const read = (s: number, e: number) => text.slice(s, e);
  const doc = new AnnotationDocument('a.txt', 'tester');
  const at = (phrase: string) => ({ start: text.indexOf(phrase), end: text.indexOf(phrase) + phrase.length });
  const [officer, force, sanction, allegation] = doc.add(read, [
    { ...at('PC Jane Doe'), label: 'officer' },
    { ...at('Kent Police'), label: 'force', attributes: { type: 'kent' } },
    { ...at('dismissed without notice'), label: 'sanction', attributes: { type: 'dismissal_without_notice' } },
    { ...at('dishonesty'), label: 'allegation', attributes: { type: 'dishonesty' } },
  ]);
  return {
    doc,
    read: (s, e) => text.slice(s, e),
    ids: { officer: officer.id, force: force.id, sanction: sanction.id, allegation: allegation.id },
    edit: (c, reason) => {
      text = text.slice(0, c.rangeOffset) + c.text + text.slice(c.rangeOffset + c.rangeLength);
      doc.applyTextChanges([c], (s, e) => text.slice(s, e), text.length, { reason });
    },
    text: () => text,
  };
}

describe('relations', () => {
  it('links two spans once, and writes the link into the sidecar by ids', () => {
    const { doc, ids } = setup();
    const r = doc.link({ from: ids.officer, to: ids.force, label: 'member' })!;
    assert.match(r.id, /^r-[0-9a-f]{12}$/);
    assert.equal(doc.link({ from: ids.officer, to: ids.force, label: 'member' })?.id, r.id, 'the same link is not made twice');
    assert.equal(doc.link({ from: ids.officer, to: ids.officer, label: 'member' }), undefined, 'no link to itself');
    assert.equal(doc.link({ from: ids.officer, to: 'a-missing', label: 'member' }), undefined);
    assert.throws(() => doc.link({ from: ids.officer, to: ids.force, label: 'Not A Type' }), /not a relation type name/);
    assert.deepEqual(doc.relationsOf(ids.force).map((x) => x.id), [r.id]);
    assert.deepEqual(doc.relationsOf(ids.sanction), []);
    const sidecar = doc.toSidecar(TEXT, sha256Hex(TEXT));
    assert.deepEqual(sidecar.relations?.map((x) => [x.label, x.from, x.to, x.author]), [['member', ids.officer, ids.force, 'tester']]);
    const back = parseSidecar('a.txt.annotations.json', serializeSidecar(sidecar));
    assert.deepEqual(back.relations, sidecar.relations);
  });

  it('removing an annotation removes its relations, and one undo brings both back', () => {
    const { doc, ids } = setup();
    doc.link({ from: ids.officer, to: ids.force, label: 'member' });
    doc.link({ from: ids.allegation, to: ids.sanction, label: 'outcome' });
    doc.remove([ids.force]);
    assert.deepEqual(doc.relations().map((r) => r.label), ['outcome']);
    assert.equal(doc.toSidecar(TEXT, sha256Hex(TEXT)).relations?.length, 1);
    doc.undo();
    assert.ok(doc.get(ids.force));
    assert.deepEqual(doc.relations().map((r) => r.label).sort(), ['member', 'outcome']);
    doc.redo();
    assert.deepEqual(doc.relations().map((r) => r.label), ['outcome']);
  });

  it('keep their ends across text edits, and come back with a span a text undo restores', () => {
    const { doc, ids, edit, text } = setup();
    doc.link({ from: ids.officer, to: ids.force, label: 'member' });
    edit({ rangeOffset: 0, rangeLength: 0, text: 'Yesterday ' });
    assert.equal(doc.relations().length, 1, 'an edit before both ends changes nothing');
    const at = text().indexOf('Kent Police');
    edit({ rangeOffset: at, rangeLength: 'Kent Police'.length, text: '' });
    assert.equal(doc.get(ids.force), undefined);
    assert.deepEqual(doc.relations(), [], 'a link without an end is neither shown nor written');
    assert.equal(doc.toSidecar(text(), sha256Hex(text())).relations, undefined);
    edit({ rangeOffset: at, rangeLength: 0, text: 'Kent Police' }, 'undo');
    assert.ok(doc.get(ids.force));
    assert.equal(doc.relations().length, 1);
  });

  it('are undone and redone like annotations', () => {
    const { doc, ids } = setup();
    const r = doc.link({ from: ids.allegation, to: ids.sanction, label: 'outcome' })!;
    doc.undo();
    assert.deepEqual(doc.relations(), []);
    doc.redo();
    assert.equal(doc.getRelation(r.id)?.label, 'outcome');
    doc.unlink([r.id]);
    assert.deepEqual(doc.relations(), []);
    doc.undo();
    assert.equal(doc.relations().length, 1);
  });

  it('survive saving and reloading against a changed article (ids, not offsets)', () => {
    const { doc, ids } = setup();
    doc.link({ from: ids.allegation, to: ids.sanction, label: 'outcome' });
    const sidecar = doc.toSidecar(TEXT, sha256Hex(TEXT));
    const changed = 'Update: ' + TEXT;
    const loaded = reconcileWithArticle('a.txt.annotations.json', parseSidecar('a.txt.annotations.json', serializeSidecar(sidecar)), changed, sha256Hex(changed));
    const again = new AnnotationDocument('a.txt');
    again.load(loaded.sidecar, changed);
    assert.deepEqual(again.relations().map((r) => [r.from, r.to]), [[ids.allegation, ids.sanction]]);
  });

  it('a relation with a missing end or a repeated id fails validation, naming the relation', () => {
    const { doc, ids } = setup();
    const r = doc.link({ from: ids.allegation, to: ids.sanction, label: 'outcome' })!;
    const sidecar = doc.toSidecar(TEXT, sha256Hex(TEXT));
    const dangling: Sidecar = { ...sidecar, relations: [{ ...r, to: 'a-000000000000' }, { ...r }] };
    assert.throws(
      () => reconcileWithArticle('a.txt.annotations.json', parseSidecar('a.txt.annotations.json', serializeSidecar(dangling)), TEXT, sha256Hex(TEXT)),
      (e: unknown) => e instanceof SidecarError && e.problems.some((p) => p.message.includes(`id ${r.id}`) && p.message.includes('a-000000000000')) && e.problems.some((p) => /same id as an earlier relation/.test(p.message)),
    );
  });

  it('offers the configured types that fit the two labels', () => {
    assert.deepEqual(relationTypesFor(DEFAULT_RELATION_TYPES, 'allegation', 'sanction').map((t) => t.name), ['outcome']);
    assert.deepEqual(relationTypesFor(DEFAULT_RELATION_TYPES, 'officer', 'force').map((t) => t.name), ['member']);
    assert.deepEqual(relationTypesFor(DEFAULT_RELATION_TYPES, 'force', 'officer'), []);
  });
});

describe('the coding form', () => {
  it('sets, clears and undoes fields as one step each, and writes them sorted', () => {
    const { doc } = setup();
    assert.equal(doc.setFields(new Map<string, string | string[] | boolean>([['outcome', 'dismissal_without_notice'], ['standards', ['std_honesty_and_integrity']], ['barred_list', true]])), true);
    assert.equal(doc.setField('outcome', 'dismissal_without_notice'), false, 'the same value is no change');
    const sidecar = doc.toSidecar(TEXT, sha256Hex(TEXT));
    assert.deepEqual(Object.keys(sidecar.document!), ['barred_list', 'outcome', 'standards']);
    doc.setField('outcome', undefined);
    assert.equal(doc.field('outcome'), undefined);
    doc.undo();
    assert.equal(doc.field('outcome'), 'dismissal_without_notice');
    doc.undo();
    assert.deepEqual(Object.keys(doc.documentForm()), []);
    assert.throws(() => doc.setField('__proto__', 'x'), /may not be named/);
    assert.throws(() => doc.setField('outcome', { nested: 1 } as never), /must be text/);
    assert.throws(() => doc.setField('count', Number.NaN), /must be text/);
  });

  it('keeps a value outside the options and a field the settings do not know, and says so', () => {
    const json = serializeSidecar({
      version: 1,
      article: { file: 'a.txt', sha256: sha256Hex(TEXT), length: TEXT.length },
      annotations: [],
      document: { outcome: 'banished', mood: 'grim', hearing_date: '2024-13-01' },
    });
    const back = parseSidecar('x', json);
    assert.deepEqual(back.document, { hearing_date: '2024-13-01', mood: 'grim', outcome: 'banished' });
    const fields = new Map(defaultDocumentFields().map((f) => [f.name, f]));
    assert.match(fieldValueProblem(fields.get('outcome'), 'banished') ?? '', /not one of the options/);
    assert.match(fieldValueProblem(fields.get('mood'), 'grim') ?? '', /not a field/);
    assert.match(fieldValueProblem(fields.get('hearing_date'), '2024-13-01') ?? '', /YYYY-MM-DD/);
    assert.equal(fieldValueProblem(fields.get('standards'), ['std_use_of_force']), undefined);
  });

  it('refuses values of the wrong type and prototype keys in the schema', () => {
    const base = { version: 1, article: { file: 'a.txt', sha256: sha256Hex(TEXT), length: TEXT.length }, annotations: [] };
    assert.throws(() => parseSidecar('x', JSON.stringify({ ...base, document: { outcome: { nested: 1 } } })), SidecarError);
    assert.throws(() => parseSidecar('x', JSON.stringify(base).replace('"annotations":[]', '"annotations":[],"document":{"__proto__":"x"}')), SidecarError);
    const schema = JSON.stringify(toJsonSchema());
    assert.ok(schema.includes('"relations"') && schema.includes('"document"'), 'the published JSON Schema has both');
  });

  it('pre-fills force, outcome and standards from the spans, saying where from', () => {
    const spans = [
      { id: 'a1', label: 'force', text: 'Kent Police', type: 'kent' },
      { id: 'a2', label: 'sanction', text: 'final written warning', type: 'final_written_warning' },
      { id: 'a3', label: 'sanction', text: 'dismissed without notice', type: 'dismissal_without_notice' },
      { id: 'a4', label: 'allegation', text: 'honesty and integrity', type: 'std_honesty_and_integrity' },
      { id: 'a5', label: 'allegation', text: 'dishonesty', type: 'dishonesty' },
    ];
    const got = new Map(prefillSuggestions(defaultDocumentFields(), spans).map((s) => [s.field, s]));
    assert.equal(got.get('force')?.value, 'kent');
    assert.equal(got.get('outcome')?.value, 'dismissal_without_notice', 'the most severe outcome');
    assert.deepEqual(got.get('outcome')?.from, ['a3']);
    assert.match(got.get('outcome')!.reason, /from 1 sanction span: “dismissed without notice”/);
    assert.deepEqual(got.get('standards')?.value, ['std_honesty_and_integrity']);
  });
});

describe('merging relations and forms', () => {
  const ann = (id: string, start: number, end: number, label: string) => ({ id, label, start, end, text: TEXT.slice(start, end), source: 'manual' as const, created: '2026-01-01T00:00:00Z' });
  const base: Sidecar = {
    version: 1,
    article: { file: 'a.txt', sha256: sha256Hex(TEXT), length: TEXT.length },
    annotations: [ann('a1', 0, 11, 'officer'), ann('a2', 15, 26, 'force'), ann('a3', 31, 55, 'sanction'), ann('a4', 60, 70, 'allegation')],
    document: { outcome: 'dismissal_without_notice' },
  };
  const rel = (id: string, from: string, to: string, label: string) => ({ id, from, to, label, created: '2026-01-02T00:00:00Z' });

  it('keeps both sides\' relations and fields, and records a field both changed', () => {
    const ours: Sidecar = { ...base, relations: [rel('r1', 'a1', 'a2', 'member')], document: { outcome: 'written_warning', barred_list: false } };
    const theirs: Sidecar = { ...base, relations: [rel('r2', 'a4', 'a3', 'outcome')], document: { outcome: 'final_written_warning', hearing_date: '2024-05-01' } };
    const { sidecar, fresh } = mergeForGit(base, ours, theirs);
    assert.deepEqual(sidecar.relations?.map((r) => r.id).sort(), ['r1', 'r2']);
    assert.deepEqual(sidecar.document, { outcome: 'written_warning', barred_list: false, hearing_date: '2024-05-01' });
    assert.equal(fresh, 1);
    assert.deepEqual(sidecar.conflicts, [{ kind: 'field', field: 'outcome', theirs: 'final_written_warning' }]);
    parseSidecar('x', serializeSidecar(sidecar));
    const accepted = resolveConflict(sidecar, sidecar.conflicts![0], 'theirs');
    assert.equal(accepted.document?.outcome, 'final_written_warning');
    assert.equal(accepted.conflicts, undefined);
  });

  it('never leaves a relation without an end: theirs waits as a conflict when ours removed its annotation', () => {
    const ours: Sidecar = { ...base, annotations: base.annotations.filter((a) => a.id !== 'a2') };
    const theirs: Sidecar = { ...base, relations: [rel('r1', 'a1', 'a2', 'member')] };
    const { sidecar, fresh } = mergeForGit(base, ours, theirs);
    assert.equal(sidecar.relations, undefined);
    assert.ok(fresh >= 1);
    assert.deepEqual(sidecar.conflicts?.map((c) => c.kind).sort(), ['annotation', 'relation']);
    const text = serializeSidecar(sidecar);
    reconcileWithArticle('x', parseSidecar('x', text), TEXT, sha256Hex(TEXT));
    assert.throws(() => resolveConflict(sidecar, sidecar.conflicts!.find((c) => c.kind === 'relation')!, 'theirs'), /accept their annotation first/);
    const withAnnotation = resolveConflict(sidecar, sidecar.conflicts!.find((c) => c.kind === 'annotation')!, 'theirs');
    const both = resolveConflict(withAnnotation, withAnnotation.conflicts!.find((c) => c.kind === 'relation')!, 'theirs');
    assert.deepEqual(both.relations?.map((r) => r.id), ['r1']);
  });

  it('keeps ours\' annotation when ours linked what theirs removed', () => {
    const ours: Sidecar = { ...base, relations: [rel('r1', 'a1', 'a2', 'member')] };
    const theirs: Sidecar = { ...base, annotations: base.annotations.filter((a) => a.id !== 'a2') };
    const { sidecar } = mergeForGit(base, ours, theirs);
    assert.deepEqual(sidecar.relations?.map((r) => r.id), ['r1']);
    assert.ok(sidecar.annotations.some((a) => a.id === 'a2'));
    assert.deepEqual(sidecar.conflicts, [{ kind: 'annotation', id: 'a2', theirs: null }]);
  });
});
