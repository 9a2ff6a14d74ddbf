/**
 * Finding articles about the same case (issue 31): each article is profiled once — a MinHash
 * signature of its word 3-shingles (Broder's estimate of Jaccard similarity, so comparing two
 * articles costs a fixed number of integer comparisons whatever their length), the force ids of
 * its force spans, the outcome and finding ids of its sanction spans, and the words of its officer
 * spans — and the corpus is ranked against one article by text similarity plus those matches, each
 * score with the reason for a person.
 */
import { fnv1a } from '../fnv1a';

/** Hash functions in a signature: the estimate's standard error is about 1/√64 = 0.125. */
export const SIGNATURE_SIZE = 64;
const SHINGLE = 3;

export interface ArticleProfile {
  file: string;
  signature: Uint32Array;
  forces: ReadonlySet<string>;
  /** Outcome and finding ids (sanction spans' types). */
  outcomes: ReadonlySet<string>;
  /** Lower-case words of the officer spans longer than two letters ("jane", "doe", "sergeant"). */
  officerWords: ReadonlySet<string>;
}

export interface ProfileSpan {
  label: string;
  text: string;
  type?: string;
}

/** The k-th hash of a shingle's base hash: a multiply–xorshift mix seeded per k (fixed seeds: profiles compare across runs). */
function mix(h: number, k: number): number {
  let x = (h ^ Math.imul(k + 1, 0x9e3779b1)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The MinHash signature of a text's word 3-shingles (case and punctuation ignored). */
export function minHash(text: string): Uint32Array {
  const words = text.toLowerCase().match(WORD) ?? [];
  const sig = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  // each word hashed once, a shingle's hash made from its words' (no string per shingle); a
  // repeated shingle changes no minimum, so no set of those seen is kept
  const hashes = words.map(fnv1a);
  const n = Math.max(1, words.length - SHINGLE + 1);
  for (let i = 0; i < n; i++) {
    let h = 0;
    for (let j = i; j < Math.min(i + SHINGLE, hashes.length); j++) h = mix(h ^ hashes[j], j - i);
    for (let k = 0; k < SIGNATURE_SIZE; k++) {
      const v = mix(h, k);
      if (v < sig[k]) sig[k] = v;
    }
  }
  return sig;
}

/** The estimated Jaccard similarity of two signatures' shingle sets. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let k = 0; k < SIGNATURE_SIZE; k++) if (a[k] === b[k]) same++;
  return same / SIGNATURE_SIZE;
}

export function profileArticle(file: string, text: string, spans: readonly ProfileSpan[]): ArticleProfile {
  const forces = new Set<string>();
  const outcomes = new Set<string>();
  const officerWords = new Set<string>();
  for (const s of spans) {
    if (s.label === 'force' && s.type) forces.add(s.type);
    else if (s.label === 'sanction' && s.type) outcomes.add(s.type);
    else if (s.label === 'officer') for (const w of s.text.toLowerCase().match(WORD) ?? []) if (w.length > 2 && !COMMON_OFFICER_WORDS.has(w)) officerWords.add(w);
  }
  return { file, signature: minHash(text), forces, outcomes, officerWords };
}

/** Words of officer spans that say nothing about which officer ("the two officers"). */
const COMMON_OFFICER_WORDS = new Set(['the', 'officer', 'officers', 'police', 'two', 'three', 'four', 'other', 'former', 'serving', 'and', 'who', 'was', 'his', 'her']);

export interface SameCaseCandidate {
  file: string;
  /** 0–1: text similarity weighted 0.55, force 0.2, outcome 0.15, officer 0.1. */
  score: number;
  textSimilarity: number;
  /** For a person: "text 41% alike; same force (metropolitan); officer “doe”". */
  reason: string;
}

function shared(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  return [...a].filter((x) => b.has(x)).sort();
}

/** The corpus's other articles ranked against `query`, best first; those with nothing in common are left out. */
export function rankSameCase(query: ArticleProfile, corpus: readonly ArticleProfile[], limit = 50): SameCaseCandidate[] {
  const out: SameCaseCandidate[] = [];
  for (const p of corpus) {
    if (p.file === query.file) continue;
    const text = similarity(query.signature, p.signature);
    const forces = shared(query.forces, p.forces);
    const outcomes = shared(query.outcomes, p.outcomes);
    const officers = shared(query.officerWords, p.officerWords);
    const score = 0.55 * text + (forces.length ? 0.2 : 0) + (outcomes.length ? 0.15 * Math.min(1, outcomes.length / 2) : 0) + (officers.length ? 0.1 : 0);
    if (score <= 0) continue;
    const reasons = [`text ${Math.round(text * 100)}% alike`];
    if (forces.length) reasons.push(`same force (${forces.join(', ')})`);
    if (outcomes.length) reasons.push(`same outcome or finding (${outcomes.join(', ')})`);
    if (officers.length) reasons.push(`officer ${officers.map((w) => `“${w}”`).join(', ')}`);
    out.push({ file: p.file, score: Math.round(score * 1000) / 1000, textSimilarity: text, reason: reasons.join('; ') });
  }
  out.sort((a, b) => b.score - a.score || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return out.slice(0, limit);
}
