/**
 * reanchor-vs-approx: re-anchoring 10k spans (200 article-sized documents × 50 spans) after random
 * insertions and deletions, against `approx-string-match` used the way the Hypothesis client uses
 * it (a transcription of its anchoring: the position selector when its quote still matches, else
 * `matchQuote`: exact occurrences first, else approximate search with up to quote.length/2 errors,
 * candidates scored by quote, prefix, suffix and distance from the old position).
 *
 * Both get the same old annotations (quote, 32 code points of context, old offsets) and the same
 * edited texts. The truth comes from following each edit: a span an edit does not touch has one
 * right answer; "found" counts the spans placed exactly there, "wrong" those placed elsewhere
 * (worse than orphaning). Spans an edit touched are counted apart ("damaged").
 * value: our ms; baseline: their ms; ratio = their time / our time.
 */
import search from 'approx-string-match';
import { OffsetMap } from '../../src/core/offsets';
import { reanchorAnnotations } from '../../src/core/reanchor';
import { Annotation } from '../../src/core/schema';
import { log, runCase } from '../lib/case';
import { pick, rng, sampleMaterial, spannedDocument } from '../lib/inputs';
import { round, time } from '../lib/timing';

const DOCUMENTS = 200;
const SPANS_PER_DOCUMENT = 50;

interface Case {
  oldText: string;
  newText: string;
  annotations: Annotation[];
  /** Per annotation: its true [start, end) in the new text, or undefined when an edit touched it. */
  truth: Array<[number, number] | undefined>;
}

interface Edit {
  at: number;
  remove: number;
  insert: string;
}

function makeCase(seed: number): Case {
  const rand = rng(seed * 7919);
  const { text, annotations } = spannedDocument(SPANS_PER_DOCUMENT, seed);
  if (new OffsetMap(text).hasAstral) throw new Error('inputs must be BMP-only (code points = UTF-16 here)');
  const { words, lines } = sampleMaterial();
  // 1–6 edits at random places, applied right to left so offsets stay in old coordinates
  const edits: Edit[] = [];
  const n = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(rand() * text.length);
    const r = rand();
    if (r < 0.35) edits.push({ at, remove: 0, insert: pick(rand, words) + ' ' });
    else if (r < 0.5) edits.push({ at, remove: 0, insert: pick(rand, lines) + '\n' });
    else if (r < 0.85) edits.push({ at, remove: 1 + Math.floor(rand() * 40), insert: '' });
    else edits.push({ at, remove: 1 + Math.floor(rand() * 10), insert: pick(rand, words) });
  }
  edits.sort((a, b) => b.at - a.at);
  // drop edits that overlap a later-applied one, so each is well defined in old coordinates
  const kept: Edit[] = [];
  for (const e of edits) if (!kept.length || e.at + e.remove < kept[kept.length - 1].at) kept.push(e);
  let newText = text;
  for (const e of kept) newText = newText.slice(0, e.at) + e.insert + newText.slice(e.at + e.remove);
  const truth = annotations.map((a): [number, number] | undefined => {
    let shift = 0;
    for (const e of kept) {
      const end = e.at + e.remove;
      if (e.at >= a.end) continue; // after the span (an insertion at its end stays outside)
      if (end <= a.start && !(e.remove === 0 && e.at > a.start)) {
        shift += e.insert.length - e.remove; // before the span (an insertion at its start goes before)
        continue;
      }
      return undefined; // touches the span
    }
    return [a.start + shift, a.end + shift];
  });
  return { oldText: text, newText, annotations, truth };
}

// --- the peer: Hypothesis's anchoring over approx-string-match --------------------------------

interface Found {
  start: number;
  end: number;
}

function hypothesisSearch(text: string, str: string, maxErrors: number): Array<{ start: number; end: number; errors: number }> {
  const exact: Array<{ start: number; end: number; errors: number }> = [];
  for (let i = text.indexOf(str); i !== -1; i = text.indexOf(str, i + 1)) exact.push({ start: i, end: i + str.length, errors: 0 });
  return exact.length ? exact : search(text, str, maxErrors);
}

function textMatchScore(text: string, str: string): number {
  if (!str.length || !text.length) return 0;
  const matches = hypothesisSearch(text, str, str.length);
  return 1 - matches[0].errors / str.length;
}

function matchQuote(text: string, quote: string, context: { prefix?: string; suffix?: string; hint?: number }): Found | null {
  if (!quote.length) return null;
  const maxErrors = Math.min(256, quote.length / 2);
  const matches = hypothesisSearch(text, quote, maxErrors);
  if (!matches.length) return null;
  const score = (m: { start: number; end: number; errors: number }) => {
    const quoteScore = 1 - m.errors / quote.length;
    const prefixScore = context.prefix ? textMatchScore(text.slice(Math.max(0, m.start - context.prefix.length), m.start), context.prefix) : 1;
    const suffixScore = context.suffix ? textMatchScore(text.slice(m.end, m.end + context.suffix.length), context.suffix) : 1;
    const posScore = typeof context.hint === 'number' ? 1 - Math.abs(m.start - context.hint) / text.length : 1;
    return (50 * quoteScore + 20 * prefixScore + 20 * suffixScore + 2 * posScore) / 92;
  };
  let best: Found | null = null;
  let bestScore = -Infinity;
  for (const m of matches) {
    const s = score(m);
    if (s > bestScore) {
      bestScore = s;
      best = { start: m.start, end: m.end };
    }
  }
  return best;
}

function peerReanchor(c: Case): Array<Found | null> {
  const text = c.newText;
  return c.annotations.map((a) => {
    // TextPositionSelector first, accepted when the quote is still there
    if (text.slice(a.start, a.end) === a.text) return { start: a.start, end: a.end };
    return matchQuote(text, a.text, { prefix: a.prefix, suffix: a.suffix, hint: a.start });
  });
}

// --- scoring ---------------------------------------------------------------------------------

interface Score {
  found: number;
  wrong: number;
  orphaned: number;
}

function score(c: Case, results: Array<Found | null>, into: Score): void {
  c.truth.forEach((t, i) => {
    if (!t) return;
    const r = results[i];
    if (!r) into.orphaned++;
    else if (r.start === t[0] && r.end === t[1]) into.found++;
    else into.wrong++;
  });
}

runCase(async () => {
  const cases = Array.from({ length: DOCUMENTS }, (_, i) => makeCase(i + 1));
  const spans = DOCUMENTS * SPANS_PER_DOCUMENT;
  const intact = cases.reduce((n, c) => n + c.truth.filter(Boolean).length, 0);
  log(`${DOCUMENTS} documents (${Math.round(cases.reduce((n, c) => n + c.newText.length, 0) / DOCUMENTS)} chars each), ${spans} spans, ${spans - intact} touched by an edit`);

  let ourResults: Array<Array<Found | null>> = [];
  const ours = await time(
    () =>
      (ourResults = cases.map((c) =>
        reanchorAnnotations(c.annotations, new OffsetMap(c.newText)).annotations.map((a) => (a.orphaned ? null : { start: a.start, end: a.end })),
      )),
    { warmup: 1, runs: 5 },
  );
  let peerResults: Array<Array<Found | null>> = [];
  const theirs = await time(() => (peerResults = cases.map(peerReanchor)), { warmup: 1, runs: 3 });

  const our: Score = { found: 0, wrong: 0, orphaned: 0 };
  const peer: Score = { found: 0, wrong: 0, orphaned: 0 };
  cases.forEach((c, i) => {
    score(c, ourResults[i], our);
    score(c, peerResults[i], peer);
  });
  log(`ours ${ours.ms.toFixed(1)} ms: found ${our.found}/${intact}, wrong ${our.wrong}; approx-string-match ${theirs.ms.toFixed(1)} ms: found ${peer.found}/${intact}, wrong ${peer.wrong}`);
  const ratio = theirs.ms / ours.ms;
  return {
    case: 'reanchor-vs-approx',
    value: round(ours.ms),
    unit: 'ms',
    baseline: round(theirs.ms),
    ratio: round(ratio),
    goal: 'faster (> 1×) and found ≥ peerFound',
    met: ratio > 1 && our.found >= peer.found,
    spans,
    intact,
    found: our.found,
    peerFound: peer.found,
    wrong: our.wrong,
    peerWrong: peer.wrong,
  };
});
