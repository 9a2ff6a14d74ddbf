/**
 * Train/dev/test splits by whole article.
 *
 * Each article's part comes from a hash of the seed and its id alone, not from a shuffle of the
 * corpus: the same seed always gives the same split, and adding articles later never moves an
 * existing one to another part (a test article never leaks into training). The price is that the
 * proportions are only approximate on small corpora.
 */
import { createHash } from 'node:crypto';

export interface SplitSpec {
  /** Part names in order: `train, test` for two numbers, `train, dev, test` for three. */
  parts: string[];
  /** Percentages, one per part, summing to 100. */
  weights: number[];
}

export class SplitSyntaxError extends Error {}

/** Parses `80,10,10` (train/dev/test) or `90,10` (train/test). */
export function parseSplit(spec: string): SplitSpec {
  const numbers = spec.split(',').map((s) => s.trim());
  if (numbers.length < 2 || numbers.length > 3 || numbers.some((n) => !/^\d+(\.\d+)?$/.test(n))) {
    throw new SplitSyntaxError(`--split takes two or three percentages, e.g. 80,10,10 (train, dev, test) or 90,10 (train, test); got "${spec}"`);
  }
  const weights = numbers.map(Number);
  const sum = weights.reduce((a, b) => a + b, 0);
  if (Math.abs(sum - 100) > 1e-9) throw new SplitSyntaxError(`--split percentages must add up to 100; ${spec} adds up to ${sum}`);
  return { parts: weights.length === 2 ? ['train', 'test'] : ['train', 'dev', 'test'], weights };
}

/** A number in [0, 1) from the seed and the article id: 48 bits of sha256, exact in a double. */
function splitPoint(seed: string | number, id: string): number {
  const digest: Uint8Array = createHash('sha256').update(`${seed}\u0000${id}`, 'utf8').digest();
  // read as bytes, not with Buffer's readUIntBE: the web build's hash gives a plain Uint8Array
  let n = 0;
  for (let i = 0; i < 6; i++) n = n * 256 + digest[i];
  return n / 2 ** 48;
}

/** The part an article belongs to. */
export function assignPart(split: SplitSpec, seed: string | number, id: string): string {
  const u = splitPoint(seed, id) * 100;
  let cumulative = 0;
  for (let i = 0; i < split.parts.length; i++) {
    cumulative += split.weights[i];
    if (u < cumulative) return split.parts[i];
  }
  // only reachable through rounding when the last weight is 0; give it to the last non-empty part
  for (let i = split.parts.length - 1; i >= 0; i--) if (split.weights[i] > 0) return split.parts[i];
  return split.parts[split.parts.length - 1];
}

/**
 * The file of one part: the part name goes before the file's extension
 * (`out/data.jsonl` → `out/data.train.jsonl`; `corpus` → `corpus.train`).
 */
export function partFilePath(out: string, part: string): string {
  const slash = Math.max(out.lastIndexOf('/'), out.lastIndexOf('\\'));
  const dot = out.lastIndexOf('.');
  // a dot that starts the name (".hidden") is not an extension
  if (dot > slash + 1) return `${out.slice(0, dot)}.${part}${out.slice(dot)}`;
  return `${out}.${part}`;
}
