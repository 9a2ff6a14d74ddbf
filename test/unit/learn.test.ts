import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { makeAnnotation } from '../../src/core/annotations';
import { PhraseLearner } from '../../src/core/learn';
import { tagOccurrencesInSidecar } from '../../src/core/occurrences';
import { OffsetMap } from '../../src/core/offsets';
import { consistencyProblems } from '../../src/core/sidecar';
import { suggestAll } from '../../src/core/suggest';
import { checkProperty } from './property';

const tag = (text: string, label: string, type?: string) => ({ text, label, attributes: type ? { type } : undefined });

describe('learning from the corpus', () => {
  it('suggests a tagged phrase wherever it occurs, with the label given most often and why', () => {
    const l = new PhraseLearner();
    l.setArticle('a', { annotations: [tag('Operation Hotton', 'allegation'), tag('Operation Hotton', 'allegation')] });
    l.setArticle('b', { annotations: [tag('operation hotton', 'allegation'), tag('Operation Hotton', 'force')] });
    const found = l.suggest('The OPERATION HOTTON report, and Operation\nHotton again.');
    assert.deepEqual(found.map((s) => [s.text, s.category, s.reason]), [
      ['OPERATION HOTTON', 'allegation', 'learned: tagged 2× in 1 article'],
      ['Operation\nHotton', 'allegation', 'learned: tagged 2× in 1 article'],
    ]);
  });

  it('counts rejections against a label, and forgets an article', () => {
    const l = new PhraseLearner();
    l.setArticle('a', { annotations: [tag('desk duty', 'sanction')] });
    assert.equal(l.suggest('put on desk duty').length, 1);
    l.setArticle('b', { annotations: [], rejected: [{ text: 'desk duty', label: 'sanction' }] });
    assert.deepEqual(l.suggest('put on desk duty'), []);
    l.setArticle('b', undefined);
    assert.equal(l.suggest('put on desk duty').length, 1);
  });

  it('keeps the capitals the annotator typed and matches on word boundaries, longest first', () => {
    const l = new PhraseLearner();
    l.setArticle('a', { annotations: [tag('Met', 'force', 'metropolitan'), tag('PC Smith', 'officer'), tag('PC Smith Jones', 'officer')] });
    assert.deepEqual(l.suggest('He met PC Smith Jones. Metropolitan Met.').map((s) => [s.text, s.category, s.type]), [
      ['PC Smith Jones', 'officer', ''],
      ['Met', 'force', 'metropolitan'],
    ]);
  });

  it('does not learn a phrase of function words only ("he", "in the"), but one with a content word or in capitals', () => {
    const l = new PhraseLearner();
    l.setArticle('a', { annotations: [tag('he', 'officer'), tag('In the', 'allegation'), tag('was', 'allegation'), tag('US', 'force'), tag('the officer', 'officer'), tag('of 2020', 'allegation')] });
    assert.deepEqual(l.suggest('In the end he was the officer of the US force in 2020, of 2020.').map((s) => [s.text, s.category]), [
      ['the officer', 'officer'],
      ['US', 'force'],
      ['of 2020', 'allegation'],
    ]);
  });

  it('joins the detector without nesting two spans of one label', () => {
    const l = new PhraseLearner();
    l.setArticle('a', { annotations: [tag('Police', 'force')] });
    const all = suggestAll('Staffordshire Police said so.', l).filter((s) => s.category === 'force');
    assert.deepEqual(all.map((s) => [s.text, s.source]), [['Staffordshire Police', 'gazetteer']]);
  });

  it('tags all untagged occurrences in a sidecar, in code points, keeping it canonical', () => {
    const text = '🚔 The desk duty rule: desk duty, Desk Duty and deskduty.';
    const map = new OffsetMap(text);
    const first = text.indexOf('desk duty');
    const existing = makeAnnotation(map, map.toCodePoint(first), map.toCodePoint(first + 9), 'sanction', { id: 'a-1', created: '2026-11-29T12:00:00Z' });
    const sidecar = { version: 1 as const, article: { file: 'x.txt', sha256: '0'.repeat(64), length: map.length }, annotations: [existing] };
    const { sidecar: out, added } = tagOccurrencesInSidecar(text, sidecar, 'desk duty', 'sanction', { author: 'me' });
    assert.equal(added, 2);
    assert.deepEqual(out.annotations.map((a) => [a.text, a.start, a.author ?? '']), [
      ['desk duty', 6, ''],
      ['desk duty', 22, 'me'],
      ['Desk Duty', 33, 'me'],
    ]);
    assert.deepEqual(consistencyProblems('x', out, map), []);
  });
});


describe('learning from the corpus: incremental updates', () => {
  // the learner keeps each article's counts and patches its phrase lists; whatever the order of
  // updates, it must suggest exactly what a learner given only the final articles suggests
  const PHRASES = ['Met', 'met', 'MET', 'Met Police', 'desk duty', 'gross misconduct', 'gross', 'Operation Hotton', 'operation hotton', 'PC', 'the'];
  const LABELS = ['force', 'allegation', 'sanction'];
  const TEXT = 'The Met Police said the MET put him on desk duty; gross misconduct at Operation Hotton, met by PC the Met.';
  const articleArb = fc.record({
    annotations: fc.array(fc.record({ text: fc.constantFrom(...PHRASES), label: fc.constantFrom(...LABELS), type: fc.constantFrom('', 'a', 'b'), orphaned: fc.boolean() }), { maxLength: 8 }),
    rejected: fc.array(fc.record({ text: fc.constantFrom(...PHRASES), label: fc.constantFrom(...LABELS) }), { maxLength: 3 }),
  });
  const labelsOf = (a: { annotations: Array<{ text: string; label: string; type: string; orphaned: boolean }>; rejected: Array<{ text: string; label: string }> }) => ({
    annotations: a.annotations.map((x) => ({ text: x.text, label: x.label, attributes: x.type ? { type: x.type } : undefined, ...(x.orphaned ? { orphaned: true } : {}) })),
    rejected: a.rejected,
  });

  it('suggests the same as a learner built from the final articles, after any sequence of updates and forgets', () => {
    checkProperty(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.option(articleArb, { nil: undefined }), fc.boolean()), { minLength: 1, maxLength: 12 }), (updates) => {
        const live = new PhraseLearner();
        const final = new Map<string, ReturnType<typeof labelsOf>>();
        for (const [id, article, look] of updates) {
          const labels = article && labelsOf(article);
          live.setArticle(id, labels);
          if (labels) final.set(id, labels);
          else final.delete(id);
          if (look) live.suggest(TEXT); // compile now, so later updates patch the lists
        }
        const fresh = new PhraseLearner();
        for (const [id, labels] of final) fresh.setArticle(id, labels);
        assert.deepEqual(live.suggest(TEXT), fresh.suggest(TEXT));
      }),
      600,
    );
  });
});
