/** A case from an annotation (issue 31): the relation chain, the pre-filled draft, the likely cases. */
import * as assert from 'node:assert/strict';
import { addEvidence, CaseRecord, ChainSpan, draftFromChain, perArticleValues, rankCases, relationChain } from '../../src/core/cases';
import { defaultDocumentFields } from '../../src/core/codebook';

const spans = new Map<string, ChainSpan>(
  [
    { id: 'o1', label: 'officer', text: 'The two officers' },
    { id: 'o2', label: 'officer', text: 'The four other officers' },
    { id: 'f', label: 'force', text: 'Met', type: 'metropolitan' },
    { id: 'a1', label: 'allegation', text: 'using prostitutes', type: 'using_sex_workers' },
    { id: 'a2', label: 'allegation', text: 'using sex workers', type: 'using_sex_workers' },
    { id: 's1', label: 'sanction', text: 'reflective practice', type: 'reflective_practice' },
    { id: 's2', label: 'sanction', text: 'would have been dismissed', type: 'would_have_been_dismissed' },
  ].map((s) => [s.id, s]),
);
// both officers are members of one force span: the chain must not cross it
const relations = [
  { id: 'r1', label: 'member', from: 'o1', to: 'f' },
  { id: 'r2', label: 'member', from: 'o2', to: 'f' },
  { id: 'r3', label: 'subject', from: 'o1', to: 'a1' },
  { id: 'r4', label: 'outcome', from: 'a1', to: 's1' },
  { id: 'r5', label: 'subject', from: 'o2', to: 'a2' },
  { id: 'r6', label: 'outcome', from: 'a2', to: 's2' },
];

describe('case records: from an annotation', () => {
  it('follows officer → allegation → sanction from any of them, with the force, never through the force', () => {
    for (const start of ['o1', 'a1', 's1']) {
      const chain = relationChain(spans, relations, start);
      assert.deepEqual(chain.spans.map((s) => s.id).sort(), ['a1', 'f', 'o1', 's1'], start);
      assert.deepEqual(chain.relations.map((r) => r.id).sort(), ['r1', 'r3', 'r4'], start);
    }
  });

  it('pre-fills the fields from the chain, each with its evidence; the form only when the article has one case', () => {
    const chain = relationChain(spans, relations, 's2');
    const form = { force: 'metropolitan', officer_status: 'serving', outcome: 'reflective_practice' };
    const draft = draftFromChain('003.txt', chain, spans, defaultDocumentFields(), form, false);
    assert.deepEqual(draft.fields, { force: 'metropolitan', outcome: 'would_have_been_dismissed' });
    assert.equal(draft.evidence.find((e) => e.field === 'outcome')?.annotation, 's2');
    assert.equal(draft.evidence.find((e) => e.field === 'force')?.annotation, 'f');
    assert.equal(draft.evidence.find((e) => e.relation === 'r6')?.quote, 'using sex workers → would have been dismissed');
    assert.ok(draft.evidence.every((e) => e.file === '003.txt' && /^e-/.test(e.id)));
    const withForm = draftFromChain('003.txt', chain, spans, defaultDocumentFields(), form, true);
    assert.equal(withForm.fields.officer_status, 'serving');
    assert.equal(withForm.fields.outcome, 'would_have_been_dismissed', 'the chain wins over the form');
    assert.deepEqual(withForm.evidence.filter((e) => e.field === 'officer_status').map((e) => [e.annotation, e.quote]), [[undefined, '']]);
  });

  it('ranks the likely same case first and says what matched', () => {
    const record = (id: string, fields: CaseRecord['fields'], file = 'x.txt'): CaseRecord => ({ version: 1, id, title: id, fields, evidence: [{ id: 'e-1', file, quote: 'q' }], created: '2026-12-07T00:00:00Z' });
    const draft = { fields: { force: 'metropolitan', outcome: 'would_have_been_dismissed' }, evidence: [] };
    const ranked = rankCases([record('c-a', { force: 'kent' }), record('c-b', { force: 'metropolitan', outcome: 'would_have_been_dismissed' }), record('c-c', {}, '005.txt')], '005.txt', draft);
    assert.deepEqual(ranked.map((r) => r.record.id), ['c-b', 'c-c', 'c-a']);
    assert.deepEqual(ranked[0].reasons, ['same force (metropolitan)', 'same outcome (would_have_been_dismissed)']);
    assert.deepEqual(ranked[1].reasons, ['already has evidence in this article']);
    const added = addEvidence(ranked[0].record, [{ id: 'e-2', file: 'y.txt', annotation: 'a', quote: 'q' }, { id: 'e-3', file: 'x.txt', quote: 'q' }], '2026-12-08T00:00:00Z');
    assert.deepEqual(added.evidence.map((e) => e.id), ['e-1', 'e-2'], 'evidence already there is not added twice');
  });

  it('gives each article\'s value for a field and marks a disagreement', () => {
    const record: CaseRecord = { version: 1, id: 'c-1', title: 't', fields: {}, evidence: [{ id: 'e-1', file: 'a.txt', quote: '' }, { id: 'e-2', file: 'b.txt', quote: '' }], created: '2026-12-07T00:00:00Z' };
    const forms = new Map([['a.txt', { outcome: 'resigned' }], ['b.txt', { outcome: 'dismissal_without_notice' }]]);
    assert.deepEqual(perArticleValues(record, forms, 'outcome'), { values: [{ file: 'a.txt', value: 'resigned' }, { file: 'b.txt', value: 'dismissal_without_notice' }], disagree: true });
    assert.equal(perArticleValues(record, forms, 'force').disagree, false);
  });
});
