/**
 * Span matching for `agree` against a straightforward reference: every pair of spans compared,
 * as the matching rule in spanF1.ts is written. The matching used finds its candidates by a sweep
 * instead; on random spans (overlapping, nested, identical, touching, several labels, two to four
 * sets) it must give the same pairs, so the same F1 and relation scores, and it must look at each
 * span about log n times rather than n times.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { compareArticle, exactMatching, matchSpanIds, overlapMatching, RelationLink, RelationTally, Span } from '../../src/core/agreement';
import { checkProperty } from './property';

/** The matching rule read literally: all same-label pairs that share a code point, sorted, taken greedily. */
function referenceOverlapMatching(a: readonly Span[], b: readonly Span[]): Array<[number, number]> {
  const candidates: Array<{ i: number; j: number; shared: number; union: number; first: number; second: number }> = [];
  a.forEach((x, i) =>
    b.forEach((y, j) => {
      if (x.label !== y.label) return;
      const shared = Math.min(x.end, y.end) - Math.max(x.start, y.start);
      if (shared <= 0) return;
      const union = Math.max(x.end, y.end) - Math.min(x.start, y.start);
      candidates.push({ i, j, shared, union, first: Math.min(x.start, y.start), second: Math.max(x.start, y.start) });
    }),
  );
  candidates.sort((p, q) => q.shared - p.shared || p.union - q.union || p.first - q.first || p.second - q.second || p.i - q.i || p.j - q.j);
  const takenA = new Set<number>();
  const takenB = new Set<number>();
  const out: Array<[number, number]> = [];
  for (const c of candidates) {
    if (takenA.has(c.i) || takenB.has(c.j)) continue;
    takenA.add(c.i);
    takenB.add(c.j);
    out.push([c.i, c.j]);
  }
  return out;
}

/** Exact matching read literally: each span of a takes the first unmatched identical span of b. */
function referenceExactMatching(a: readonly Span[], b: readonly Span[]): Array<[number, number]> {
  const taken = new Set<number>();
  const out: Array<[number, number]> = [];
  a.forEach((x, i) => {
    const j = b.findIndex((y, k) => !taken.has(k) && y.start === x.start && y.end === x.end && y.label === x.label);
    if (j < 0) return;
    taken.add(j);
    out.push([i, j]);
  });
  return out;
}

const LABELS = ['force', 'allegation', 'sanction'];
const TEXT = 'the officer hit him and was later fired from the force for it '; // 62 code points, 14 words

interface IdSpan extends Span {
  id: string;
}

/**
 * Spans packed into a short text, so they overlap, nest and touch; sets draw from a shared pool
 * too, so identical spans (also twice in one set) are common.
 */
const spanArb: fc.Arbitrary<Span> = fc
  .record({ start: fc.nat(TEXT.length - 1), length: fc.integer({ min: 1, max: 12 }), label: fc.constantFrom(...LABELS) })
  .map(({ start, length, label }) => ({ start, end: Math.min(TEXT.length, start + length), label }));

const setsArb: fc.Arbitrary<IdSpan[][]> = fc
  .tuple(fc.array(spanArb, { minLength: 1, maxLength: 10 }), fc.integer({ min: 2, max: 4 }))
  .chain(([pool, setCount]) =>
    fc.array(fc.array(fc.oneof(fc.constantFrom(...pool), spanArb), { maxLength: 14 }), { minLength: setCount, maxLength: setCount }),
  )
  .map((sets) => sets.map((spans, s) => spans.map((x, n) => ({ ...x, id: `s${s}-${n}` }))));

function pairsOf(setCount: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let a = 0; a < setCount; a++) for (let b = a + 1; b < setCount; b++) out.push([a, b]);
  return out;
}

function f1(matches: number, sizeA: number, sizeB: number): number | null {
  return sizeA + sizeB ? (2 * matches) / (sizeA + sizeB) : null;
}

describe('agree: span matching by sweep equals the all-pairs reference', () => {
  it('matches the same pairs by overlap and exactly, both ways round', () => {
    checkProperty(
      fc.property(setsArb, (sets) => {
        for (const [a, b] of pairsOf(sets.length)) {
          for (const [x, y] of [[sets[a], sets[b]], [sets[b], sets[a]]]) {
            assert.deepEqual(overlapMatching(x, y), referenceOverlapMatching(x, y));
            assert.deepEqual(exactMatching(x, y), referenceExactMatching(x, y));
          }
        }
      }),
      600,
    );
  });

  it('gives every pair of sets the F1 per label and overall that the reference matching gives', () => {
    checkProperty(
      fc.property(setsArb, (sets) => {
        const result = compareArticle(TEXT, sets);
        for (const p of result.pairs) {
          const [a, b] = p.sets;
          const matched = referenceOverlapMatching(sets[a], sets[b]).map(([i]) => sets[a][i].label);
          const exact = referenceExactMatching(sets[a], sets[b]).map(([i]) => sets[a][i].label);
          const count = (spans: readonly Span[], label?: string) => spans.filter((x) => label === undefined || x.label === label).length;
          for (const label of Object.keys(p.labels)) {
            const sizes = [count(sets[a], label), count(sets[b], label)] as const;
            assert.equal(p.labels[label].overlapF1, f1(matched.filter((l) => l === label).length, ...sizes), `overlap F1 of ${label}, sets ${a}–${b}`);
            assert.equal(p.labels[label].exactF1, f1(exact.filter((l) => l === label).length, ...sizes), `exact F1 of ${label}, sets ${a}–${b}`);
          }
          assert.equal(p.overall.overlapF1, f1(matched.length, count(sets[a]), count(sets[b])));
          assert.equal(p.overall.exactF1, f1(exact.length, count(sets[a]), count(sets[b])));
        }
      }),
      300,
    );
  });

  it('scores relations between the spans the reference matches', () => {
    const relationArb = fc.array(fc.record({ from: fc.nat(13), to: fc.nat(13), label: fc.constantFrom('outcome', 'subject') }), { maxLength: 8 });
    checkProperty(
      fc.property(setsArb, fc.array(relationArb, { minLength: 4, maxLength: 4 }), (sets, raw) => {
        // relations between spans that exist in their set (ends by position, folded into range)
        const relations: RelationLink[][] = sets.map((spans, s) =>
          spans.length ? raw[s].map((r) => ({ label: r.label, from: spans[r.from % spans.length].id, to: spans[r.to % spans.length].id })) : [],
        );
        const tally = new RelationTally(sets.length);
        tally.addArticle(sets, relations);
        const result = tally.result();
        for (const p of result.pairs) {
          const [a, b] = p.sets;
          assert.deepEqual(matchSpanIds(sets[a], sets[b], 'overlap'), new Map(referenceOverlapMatching(sets[a], sets[b]).map(([i, j]) => [sets[a][i].id, sets[b][j].id])));
          assert.deepEqual(matchSpanIds(sets[a], sets[b], 'exact'), new Map(referenceExactMatching(sets[a], sets[b]).map(([i, j]) => [sets[a][i].id, sets[b][j].id])));
          for (const mode of ['exact', 'overlap'] as const) {
            const reference = mode === 'exact' ? referenceExactMatching : referenceOverlapMatching;
            const aToB = new Map(reference(sets[a], sets[b]).map(([i, j]) => [sets[a][i].id, sets[b][j].id]));
            const pool = relations[b].map((r) => `${r.from} ${r.to} ${r.label}`);
            let matches = 0;
            for (const r of relations[a]) {
              const k = pool.indexOf(`${aToB.get(r.from)} ${aToB.get(r.to)} ${r.label}`);
              if (k < 0) continue;
              pool.splice(k, 1);
              matches++;
            }
            assert.equal(p.overall[mode].f1, f1(matches, relations[a].length, relations[b].length), `${mode} relation F1, sets ${a}–${b}`);
          }
        }
      }),
      300,
    );
  });
});

describe('agree: span matching grows as n log n', () => {
  /** Spans of one article as an annotator makes them (short, a few nested), each read counted. */
  function countedSpans(count: number, shift: number): { spans: Span[]; reads: () => number } {
    let reads = 0;
    const spans: Span[] = [];
    for (let n = 0; n < count; n++) {
      const start = n * 10 + (n % 3 === 0 ? shift : 0);
      const end = start + 4 + (n % 7 === 0 ? 12 : 0);
      const label = LABELS[n % LABELS.length];
      spans.push({
        get start() {
          reads++;
          return start;
        },
        get end() {
          reads++;
          return end;
        },
        label,
      });
    }
    return { spans, reads: () => reads };
  }

  /** How many times overlapMatching reads a start or an end, for `count` spans a side. */
  function readsFor(count: number): number {
    const a = countedSpans(count, 0);
    const b = countedSpans(count, 2);
    const matched = overlapMatching(a.spans, b.spans).length;
    assert.equal(matched, count, 'every span has its counterpart');
    return a.reads() + b.reads();
  }

  it('reads starts and ends at most 6× as often for 4× the spans (all pairs: 16×)', () => {
    // counting reads, not time: the same figure on every machine
    const ratio = readsFor(8000) / readsFor(2000);
    assert.ok(ratio < 6, `4× the spans took ${ratio.toFixed(1)}× the reads`);
  });
});
