/**
 * The case record editor's core (src/core/cases/edit.ts, join.ts): rows per field with each
 * article's value and disagreements, taking a value with its evidence, undo and redo, joining two
 * records (Merge Cases…) and removing only a case file that is still the record read.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CaseHistory,
  caseEditorRows,
  CaseProtectedError,
  CaseRecord,
  fieldClashes,
  isUnchanged,
  joinCases,
  parseCase,
  removeCase,
  serializeCase,
  setCaseField,
  takeArticleValue,
  writeCase,
} from '../../src/core/cases';
import type { FieldDefinition } from '../../src/core/codebook';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { caseEditorHtml } from '../../src/extension/caseRecords/editor/html';
import type { DocumentForm } from '../../src/core/schema';
import { tempDir } from './helpers';

const T = '2026-12-07T10:00:00Z';
const LATER = '2026-12-07T11:00:00Z';
const DEFS: FieldDefinition[] = [
  { name: 'outcome', type: 'choice', options: ['dismissal_without_notice', 'final_written_warning'] },
  { name: 'force', type: 'choice', options: ['kent', 'metropolitan'] },
  { name: 'barred_list', type: 'boolean' },
];

function record(extra: Partial<CaseRecord> = {}): CaseRecord {
  return {
    version: 1,
    id: 'c-1',
    title: 'PC A',
    fields: { force: 'kent' },
    evidence: [
      { id: 'e-1', file: 'a.txt', annotation: 'a-1', quote: 'PC A' },
      { id: 'e-2', file: 'b.txt', annotation: 'b-1', quote: 'PC A' },
      { id: 'e-3', file: 'b.txt', annotation: 'b-2', field: 'outcome', quote: 'given a final written warning' },
    ],
    created: T,
    ...extra,
  };
}

const forms = new Map<string, DocumentForm>([
  ['a.txt', { outcome: 'dismissal_without_notice', force: 'kent' }],
  ['b.txt', { outcome: 'final_written_warning', force: 'kent', barred_list: true }],
]);

describe('case record editor (core)', () => {
  it('lists each field with the case value and every article’s value, disagreements marked', () => {
    const rows = new Map(caseEditorRows(record({ fields: { force: 'kent', extra: 'x' } }), forms, DEFS).map((r) => [r.field, r]));
    assert.deepEqual([...rows.keys()], ['outcome', 'force', 'barred_list', 'extra'], 'the codebook’s fields, then the case’s own');
    const outcome = rows.get('outcome')!;
    assert.equal(outcome.disagree, true);
    assert.equal(outcome.display, '—');
    assert.deepEqual(outcome.articles.map((a) => [a.file, a.value, a.taken]), [['a.txt', 'dismissal_without_notice', false], ['b.txt', 'final_written_warning', false]]);
    assert.deepEqual(outcome.articles[1].quotes, ['given a final written warning']);
    const force = rows.get('force')!;
    assert.equal(force.disagree, false);
    assert.equal(force.differs, false);
    assert.ok(force.articles.every((a) => a.taken));
    assert.equal(rows.get('barred_list')!.disagree, false, 'one article giving a value is no disagreement');
    assert.equal(rows.get('barred_list')!.differs, true);
    assert.equal(rows.get('extra')!.type, 'unknown');
  });

  it('takes an article’s value with that article’s form as evidence, dropping other articles’ form evidence for the field', () => {
    const before = record({ evidence: [...record().evidence, { id: 'e-9', file: 'a.txt', field: 'outcome', quote: '' }] });
    const after = takeArticleValue(before, 'outcome', 'b.txt', 'final_written_warning', LATER);
    assert.equal(after.fields.outcome, 'final_written_warning');
    assert.equal(after.modified, LATER);
    assert.ok(!after.evidence.some((e) => e.id === 'e-9'), 'a.txt’s form no longer supports it');
    assert.ok(after.evidence.some((e) => e.id === 'e-3'), 'the span evidence stays');
    assert.equal(after.evidence.filter((e) => e.file === 'b.txt' && e.field === 'outcome').length, 1, 'b.txt already had evidence for it: none added');
    const again = takeArticleValue(after, 'outcome', 'a.txt', 'dismissal_without_notice', LATER);
    const added = again.evidence.filter((e) => e.file === 'a.txt' && e.field === 'outcome');
    assert.equal(added.length, 1);
    assert.equal(added[0].annotation, undefined);
    assert.doesNotThrow(() => parseCase('c-1.case.json', serializeCase(again)), 'still a valid case record');
  });

  it('setting a field settles its merge conflict; null removes it', () => {
    const r = record({ conflicts: [{ kind: 'field', field: 'force', theirs: 'metropolitan' }, { kind: 'property', name: 'title', theirs: 'B' }] });
    assert.match(caseEditorRows(r, forms, DEFS).find((x) => x.field === 'force')!.conflict!, /metropolitan/i);
    const set = setCaseField(r, 'force', 'metropolitan', LATER);
    assert.deepEqual(set.conflicts, [{ kind: 'property', name: 'title', theirs: 'B' }]);
    const cleared = setCaseField(set, 'force', null, LATER);
    assert.equal('force' in cleared.fields, false);
  });

  it('undoes and redoes per case, newest first, and forgets redo after a new edit', () => {
    const history = new CaseHistory();
    const a0 = record();
    const a1 = setCaseField(a0, 'barred_list', true, LATER);
    const a2 = setCaseField(a1, 'outcome', 'final_written_warning', LATER);
    const b0 = record({ id: 'c-2' });
    const b1 = setCaseField(b0, 'force', 'metropolitan', LATER);
    history.push({ caseId: 'c-1', what: 'barred', before: a0, after: a1 });
    history.push({ caseId: 'c-1', what: 'outcome', before: a1, after: a2 });
    history.push({ caseId: 'c-2', what: 'force', before: b0, after: b1 });
    history.push({ caseId: 'c-2', what: 'nothing', before: b1, after: b1 });

    const newest = history.undo()!;
    assert.equal(newest.change.what, 'force', 'without a case: the newest edit (an edit that changed nothing is not one)');
    const step = history.undo('c-1')!;
    assert.equal(step.record, a1);
    assert.equal(step.expect, a2);
    history.done(step, 'undo');
    assert.equal(history.undo('c-1')!.record, a0);
    assert.ok(history.canRedo('c-1'));
    const redo = history.redo('c-1')!;
    assert.equal(redo.record, a2);
    history.done(redo, 'redo');
    assert.equal(history.canRedo('c-1'), false);

    history.done(history.undo('c-1')!, 'undo');
    history.push({ caseId: 'c-1', what: 'other', before: a1, after: setCaseField(a1, 'force', null, LATER) });
    assert.equal(history.canRedo('c-1'), false, 'a new edit clears redo');
    history.forget('c-2');
    assert.equal(history.canUndo('c-2'), false);
    // a new case: undoing it expects the file and removes it, redoing expects none
    const made = record({ id: 'c-new' });
    history.push({ caseId: 'c-new', what: 'new case', before: undefined, after: made });
    const unmake = history.undo('c-new')!;
    assert.equal(unmake.record, undefined);
    assert.equal(unmake.expect, made);
    history.done(unmake, 'undo');
    assert.equal(history.redo('c-new')!.expect, undefined);
    assert.ok(isUnchanged(undefined, undefined));
    assert.equal(isUnchanged(made, undefined), false, 'a file where none is expected (made again elsewhere)');
    assert.ok(isUnchanged(parseCase('x', serializeCase(a2)), a2));
    assert.equal(isUnchanged(undefined, a2), false);
    assert.equal(isUnchanged(a1, a2), false);
  });

  it('joins two records: evidence united without repeats, clashes resolved per field or kept as conflicts', () => {
    const a = record({ fields: { force: 'kent', outcome: 'dismissal_without_notice' }, note: 'from A' });
    const b: CaseRecord = {
      version: 1,
      id: 'c-2',
      title: 'PC A again',
      fields: { force: 'metropolitan', outcome: 'final_written_warning', barred_list: true },
      evidence: [
        { id: 'e-1', file: 'c.txt', annotation: 'c-1', quote: 'PC A' },
        { id: 'e-x', file: 'a.txt', annotation: 'a-1', quote: 'PC A' },
      ],
      created: '2026-12-01T00:00:00Z',
      author: 'bea',
    };
    assert.deepEqual(fieldClashes(a, b).map((c) => c.field), ['force', 'outcome']);
    const joined = joinCases(a, b, new Map([['force', 'b']]), LATER);
    assert.equal(joined.id, 'c-1');
    assert.equal(joined.fields.force, 'metropolitan', 'B’s, as chosen');
    assert.equal(joined.fields.outcome, 'dismissal_without_notice', 'no choice: A’s kept …');
    assert.deepEqual(joined.conflicts, [{ kind: 'field', field: 'outcome', theirs: 'final_written_warning' }], '… and B’s recorded');
    assert.equal(joined.fields.barred_list, true, 'a field only B sets comes along');
    assert.equal(joined.evidence.length, 4, 'the same span once');
    assert.equal(new Set(joined.evidence.map((e) => e.id)).size, 4, 'B’s e-1 renamed');
    assert.equal(joined.created, '2026-12-01T00:00:00Z');
    assert.equal(joined.author, 'bea');
    assert.match(joined.note!, /from A\nJoined with c-2 \(“PC A again”\)\./);
    assert.doesNotThrow(() => parseCase('c-1.case.json', serializeCase(joined)));
    const aOnly = joinCases(a, b, new Map([['force', 'a'], ['outcome', 'a']]), LATER);
    assert.equal(aOnly.conflicts, undefined);
  });

  it('removes a case file only while it is the record read', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'c-1.case.json');
    const r = record();
    await writeCase(nodeFileSystem, file, r);
    await assert.rejects(removeCase(nodeFileSystem, file, setCaseField(r, 'force', null, LATER)), (e: Error) => e instanceof CaseProtectedError && /not removed: changed since it was read/.test(e.message));
    assert.ok(fs.existsSync(file));
    const other = path.join(dir, 'c-2.case.json');
    fs.writeFileSync(other, '{"not": "ours"}');
    await assert.rejects(removeCase(nodeFileSystem, other, record({ id: 'c-2' })), CaseProtectedError);
    assert.equal(fs.readFileSync(other, 'utf8'), '{"not": "ours"}', 'a file that is not a case record is never removed');
    await removeCase(nodeFileSystem, file, r);
    assert.equal(fs.existsSync(file), false);
  });

  it('serves the editor page under the dashboard policy: one nonce script, no inline style, no network, a live status', () => {
    const html = caseEditorHtml({ cspSource: 'https://file+.vscode-resource.test', scriptUri: 'https://x.test/caseRecord.js', styleUri: 'https://x.test/caseRecord.css', nonce: 'n0nce' });
    assert.match(html, /content="default-src 'none'; img-src https:\/\/file\+\.vscode-resource\.test data:; style-src https:\/\/file\+\.vscode-resource\.test; script-src 'nonce-n0nce'"/);
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.doesNotMatch(html, /style=|<style|unsafe-inline|http:\/\//);
    assert.match(html, /role="status" aria-live="polite"/);
  });
});
