/**
 * The rules' fast paths find what their definitions find: triggers tried only where their heads
 * are (and without the u flag on text without ſ or K), the table tokenizer, and the case-insensitive
 * twins, over every sentence of the samples and the development set, as written and with letters
 * that Unicode case folding turns into ASCII ones.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { CaseInsensitive, foldsToAscii } from '../../src/core/detect/caseInsensitive';
import { misconductContext, misconductContexts, TRIGGERS, triggerHeads, triggerHits } from '../../src/core/detect/triggers';
import type { SuggestionSource } from '../../src/core/detect/rules';
import { sentences, tokenize, tokenizeByDefinition } from '../../src/core/detect/sentences';
import { withoutNesting } from '../../src/core/detect/withoutNesting';
import { REPO, SAMPLES } from './helpers';
import { checkProperty } from './property';

function corpus(): string[] {
  const dirs = [SAMPLES, path.join(REPO, 'test', 'fixtures', 'devset')];
  const texts = dirs.flatMap((d) => fs.readdirSync(d).filter((n) => n.endsWith('.txt')).map((n) => fs.readFileSync(path.join(d, n), 'utf8')));
  // the same with ſ, K and İ for some s, k and I, and with emoji and marks between words
  const exotic = texts.map((t, i) => t.replace(/[skI]/g, (c, at: number) => ((at + i) % 7 === 0 ? { s: '\u017f', k: '\u212a', I: '\u0130' }[c]! : c)));
  const astral = texts.map((t) => t.replace(/ (\w)/g, (m, c: string, at: number) => (at % 11 === 0 ? ` 🚔 ${c}` : at % 13 === 0 ? ` \u0301${c}` : m)));
  return [...texts, ...exotic, ...astral];
}

/**
 * Every trigger's matches by exec in a loop over the sentence: the definition (the gerund triggers
 * only in a sentence about misconduct, judged with the u flag).
 */
function hitsByDefinition(sentence: string): Array<{ trigger: number; at: number }> {
  const out: Array<{ trigger: number; at: number }> = [];
  const inContext = misconductContext(sentence, true);
  TRIGGERS.forEach((t, trigger) => {
    if (t.expect === 'gerund' && !inContext) return;
    t.re.lastIndex = 0;
    for (let m = t.re.exec(sentence); m; m = t.re.exec(sentence)) out.push({ trigger, at: m.index + m[0].length });
  });
  return out;
}

/** The sentences as rules.ts first split them, with a regex per sentence end. */
function sentencesByDefinition(text: string): Array<[number, number]> {
  const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'no', 'sgt', 'insp', 'supt', 'det', 'ch', 'pc', 'dc', 'ds', 'di', 'co', 'ltd', 'vs', 'v']);
  const out: Array<[number, number]> = [];
  let start = 0;
  const push = (end: number) => {
    if (text.slice(start, end).trim()) out.push([start, end]);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === ' ') {
      if (i - start > 2000) push(i);
    } else if (c === '\n' || c === '\r') {
      push(i + 1);
    } else if ((c === '.' || c === '!' || c === '?') && (i + 1 >= text.length || /[\s"'’”]/.test(text[i + 1]))) {
      const word = /([\p{L}]+)$/u.exec(text.slice(Math.max(start, i - 6), i));
      if (c === '.' && word && ABBREVIATIONS.has(word[1].toLowerCase())) continue;
      push(i + 1);
    }
  }
  push(text.length);
  return out;
}

interface Span {
  start: number;
  end: number;
  category: string;
  source: SuggestionSource;
  id: number;
}

/** `withoutNesting` as first written: every label's spans sorted, then everything sorted again. */
function withoutNestingByDefinition(spans: readonly Span[]): Span[] {
  const rank = (s: Span) => (s.source === 'rule' ? 0 : s.source === 'gazetteer' ? 1 : 2);
  const better = (a: Span, b: Span) => b.end - b.start - (a.end - a.start) || a.start - b.start || rank(a) - rank(b);
  const byCategory = new Map<string, Span[]>();
  for (const s of spans) byCategory.set(s.category, [...(byCategory.get(s.category) ?? []), s]);
  const out: Span[] = [];
  for (const list of byCategory.values()) {
    list.sort((a, b) => a.start - b.start || b.end - a.end);
    for (let i = 0; i < list.length; ) {
      let j = i + 1;
      let reach = list[i].end;
      while (j < list.length && list[j].start < reach) reach = Math.max(reach, list[j++].end);
      const taken: Span[] = [];
      for (const s of list.slice(i, j).sort(better)) if (!taken.some((t) => t.start < s.end && s.start < t.end)) taken.push(s);
      out.push(...taken);
      i = j;
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
}

describe('suggestion rules: fast paths agree with their definitions', function () {
  this.timeout(60_000);
  const texts = corpus();

  it('finds every trigger match, each sentence on its own and from heads found once in the whole text', () => {
    let found = 0;
    for (const text of texts) {
      const exotic = foldsToAscii(text);
      const heads = triggerHeads(text, exotic);
      const contexts = misconductContexts(text, exotic);
      for (const [from, to] of sentences(text)) {
        const sentence = text.slice(from, to);
        const expected = hitsByDefinition(sentence);
        found += expected.length;
        assert.deepEqual(triggerHits(sentence), expected, sentence);
        assert.deepEqual(triggerHits(sentence, exotic, heads, from), expected, sentence);
        assert.equal(contexts.within(from, to), misconductContext(sentence, true), sentence);
      }
    }
    assert.ok(found > 500, `only ${found} trigger matches: the corpus does not exercise them`);
  });

  it('splits sentences as before', () => {
    for (const text of texts) assert.deepEqual(sentences(text), sentencesByDefinition(text));
    const tricky = ['Mr. Smith. Dr.\u2029x', 'PC𝐀. No. 5! \ufeff? 🚔. E.g.\u00a0x', `${'word '.repeat(500)}.`, 'Sgt.\r\n\r\n  \t. ?!"\'’”'];
    for (const text of tricky) assert.deepEqual(sentences(text), sentencesByDefinition(text), text);
  });

  it('tokenizes as the token regex does', () => {
    for (const text of texts) {
      for (const [from, to] of sentences(text)) assert.deepEqual(tokenize(text, from, to), tokenizeByDefinition(text, from, to));
    }
    const tricky = "O’Neill's co-worker\u2011led PC\u00a0Smith’ -x 'y é\u0301 \u0301a 1,500 🚔x x🚔 \ud83d";
    assert.deepEqual(tokenize(tricky, 0, tricky.length), tokenizeByDefinition(tricky, 0, tricky.length));
    assert.deepEqual(tokenize(tricky, 3, 20), tokenizeByDefinition(tricky, 3, 20));
  });

  it('keeps the same spans, in the same order, when no two of a label may overlap', () => {
    const span = fc.record({
      start: fc.integer({ min: 0, max: 40 }),
      length: fc.integer({ min: 0, max: 8 }),
      category: fc.constantFrom('force', 'allegation', 'sanction', 'officer'),
      source: fc.constantFrom<SuggestionSource>('rule', 'gazetteer', 'learned'),
    });
    checkProperty(
      fc.property(fc.array(span, { maxLength: 60 }), (drawn) => {
        const spans = drawn.map((s, id) => ({ start: s.start, end: s.start + s.length, category: s.category, source: s.source, id }));
        assert.deepEqual(withoutNesting(spans).map((s) => s.id), withoutNestingByDefinition(spans).map((s) => s.id));
      }),
      500,
    );
  });

  it('drops the u flag only where that changes nothing', () => {
    const re = new CaseInsensitive(/\bmisconduct\b/iu);
    assert.equal(re.pick(false).flags, 'i');
    assert.equal(re.pick(true).flags, 'iu');
    // a letter class needs u; ſ makes a text exotic
    assert.equal(new CaseInsensitive(/\p{L}+s\b/iu).pick(false).flags, 'iu');
    assert.ok(re.pick(true).test('MIſCONDUCT') && !re.pick(false).test('MIſCONDUCT') && foldsToAscii('MIſCONDUCT'));
  });
});
