/**
 * Deterministic benchmark inputs, made from the sample articles (samples/corpus/*.txt) by
 * recombining their lines and varying words and numbers with a seeded generator: the same seed
 * gives byte-identical inputs on every machine, so runs compare.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation } from '../../src/core/schema';

export const REPO = process.env.BENCH_REPO ?? process.cwd();
export const LABELS = ['force', 'allegation', 'sanction'] as const;
export const CREATED = '2026-01-01T00:00:00Z';

import { pick, seededRandom as rng } from '../../test/unit/seededRandom';

export { pick, rng };

let samples: { lines: string[]; words: string[] } | undefined;

/** The sample articles' non-empty lines and their distinct words. */
export function sampleMaterial(): { lines: string[]; words: string[] } {
  if (samples) return samples;
  const dir = path.join(REPO, 'samples', 'corpus');
  const texts = fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => fs.readFileSync(path.join(dir, n), 'utf8'));
  if (!texts.length) throw new Error(`no sample articles in ${dir}`);
  const lines = texts.flatMap((t) => t.split(/\r?\n/)).filter((l) => l.trim());
  const words = [...new Set(texts.flatMap((t) => t.match(/\p{L}+/gu) ?? []))].sort();
  return (samples = { lines, words });
}

/** One line of a sample, with about 3% of its words swapped for other sample words and its digits changed. */
function varyLine(rand: () => number, line: string, words: readonly string[]): string {
  return line
    .replace(/\p{L}+/gu, (w) => (rand() < 0.03 ? pick(rand, words) : w))
    .replace(/\d/g, () => String(Math.floor(rand() * 10)));
}

/** An article of 8–24 varied sample lines. */
export function article(rand: () => number): string {
  const { lines, words } = sampleMaterial();
  const n = 8 + Math.floor(rand() * 17);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(varyLine(rand, pick(rand, lines), words));
  return out.join('\n') + '\n';
}

/** About `bytes` bytes (UTF-8) of article text: varied articles separated by a blank line. */
export function corpusText(bytes: number, seed = 1): string {
  const rand = rng(seed);
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const a = article(rand) + '\n';
    parts.push(a);
    size += Buffer.byteLength(a);
  }
  return parts.join('');
}

/**
 * A document with `count` spans of 1–3 words (labels cycling through LABELS, ids `a-<n>`), about
 * one span every 60 characters, spans not overlapping. Annotations are in code points, as in a
 * sidecar, with quote and context.
 */
export function spannedDocument(count: number, seed = 2): { text: string; annotations: Annotation[] } {
  const rand = rng(seed);
  const text = corpusText(count * 60, seed);
  const words: Array<[number, number]> = [];
  for (const m of text.matchAll(/\p{L}+/gu)) words.push([m.index!, m.index! + m[0].length]);
  const map = new OffsetMap(text);
  const annotations: Annotation[] = [];
  const stride = Math.floor(words.length / count);
  if (stride < 4) throw new Error('text too short for that many spans');
  for (let i = 0; i < count; i++) {
    const first = i * stride + Math.floor(rand() * (stride - 3));
    const last = first + Math.floor(rand() * 3);
    const start = map.toCodePoint(words[first][0]);
    const end = map.toCodePoint(words[last][1]);
    annotations.push(makeAnnotation(map, start, end, LABELS[i % LABELS.length], { id: `a-${i.toString(16).padStart(6, '0')}`, created: CREATED }));
  }
  return { text, annotations };
}

/**
 * An article of about `bytes` bytes with `count` non-overlapping spans of 1–3 words spread evenly
 * over it (labels cycling through LABELS, ids `a-<n>`), for the end-to-end rows. Also returns the
 * first word of line `freeLine` (1-based) that no span touches, where the harness tags and types,
 * a few more below it, BURST_WORDS for the tag burst, and TYPING_TAG_WORDS after those for tags
 * between bursts of typing (on no line of the first words, where the typing row types).
 */
export function spannedArticle(
  bytes: number,
  count: number,
  seed: number,
  freeLine = 12,
): { text: string; annotations: Annotation[]; free: FreeWord; more: FreeWord[]; burst: FreeWord[]; typingTags: FreeWord[] } {
  const rand = rng(seed);
  const text = corpusText(bytes, seed);
  const words: Array<[number, number]> = [];
  for (const m of text.matchAll(/\p{L}+/gu)) words.push([m.index!, m.index! + m[0].length]);
  const map = new OffsetMap(text);
  const stride = Math.floor(words.length / count);
  if (stride < 4) throw new Error('text too short for that many spans');
  const annotations: Annotation[] = [];
  const taken = new Set<number>();
  for (let i = 0; i < count; i++) {
    const first = i * stride + Math.floor(rand() * (stride - 3));
    const last = first + Math.floor(rand() * 3);
    for (let w = first; w <= last; w++) taken.add(w);
    const start = map.toCodePoint(words[first][0]);
    const end = map.toCodePoint(words[last][1]);
    annotations.push(makeAnnotation(map, start, end, LABELS[i % LABELS.length], { id: `a-${i.toString(16).padStart(6, '0')}`, created: CREATED }));
  }
  // a free word: on a given line, at least 4 letters, with untagged words on both sides
  const freeWordsOn = function* (line: number): Generator<FreeWord & { index: number }> {
    let lineStart = 0;
    for (let l = 1; l < line; l++) lineStart = text.indexOf('\n', lineStart) + 1;
    const lineEnd = text.indexOf('\n', lineStart);
    for (let w = 1; w < words.length - 1; w++) {
      const [s, e] = words[w];
      if (s < lineStart || e > lineEnd || e - s < 4 || taken.has(w - 1) || taken.has(w) || taken.has(w + 1)) continue;
      if (/[^\x20-\x7e]/.test(text.slice(lineStart, s))) continue; // columns counted in UTF-16 = characters
      yield { line, column: s - lineStart + 1, word: text.slice(s, e), index: w };
    }
  };
  const freeOn = (line: number): FreeWord | undefined => {
    const first = freeWordsOn(line).next();
    return first.done ? undefined : { line: first.value.line, column: first.value.column, word: first.value.word };
  };
  const free = freeOn(freeLine);
  if (!free) throw new Error(`no untagged word on line ${freeLine}`);
  // more free words on the lines below it (in view with it), for tags after the first
  const more: FreeWord[] = [];
  for (let line = freeLine + 1; line <= freeLine + 10 && more.length < 3; line++) {
    const f = freeOn(line);
    if (f) more.push(f);
  }
  // the burst's words: free words in reading order from the first one on (so in view with it),
  // neither one of the words above nor next to one (each keeps untagged neighbours)
  const used = new Set([free, ...more].map((f) => `${f.line}:${f.column}`));
  const burst: FreeWord[] = [];
  const typingTags: FreeWord[] = [];
  const typedLines = new Set([free, ...more].map((f) => f.line));
  let last = -2;
  for (let line = freeLine; line <= freeLine + 80 && typingTags.length < TYPING_TAG_WORDS; line++) {
    for (const { index, ...f } of freeWordsOn(line)) {
      if (typingTags.length >= TYPING_TAG_WORDS) break;
      if (used.has(`${f.line}:${f.column}`)) {
        last = index;
        continue;
      }
      if (index - last < 2) continue;
      if (burst.length < BURST_WORDS) burst.push(f);
      else if (typedLines.has(f.line)) continue;
      else typingTags.push(f);
      last = index;
    }
  }
  if (burst.length < BURST_WORDS) throw new Error(`only ${burst.length} free words for the burst`);
  if (typingTags.length < TYPING_TAG_WORDS) throw new Error(`only ${typingTags.length} free words for the tags between typing`);
  return { text, annotations, free, more, burst, typingTags };
}

/** How many words the end-to-end tag burst tags, one after the other. */
export const BURST_WORDS = 20;
/** How many words are tagged between bursts of typing. */
export const TYPING_TAG_WORDS = 10;

/** An untagged word the bench tags (line and column 1-based, as Go to Line takes them). */
export interface FreeWord {
  line: number;
  column: number;
  word: string;
}
