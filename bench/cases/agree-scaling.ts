/**
 * agree-scaling: `agree` between two annotation sets of one article, at 20,000 and at 80,000 spans
 * per set, the way the CLI runs it (`computeAgreement`: read and validate both sidecars, span F1,
 * κ/α on tokens, relation F1, form fields). Set A has 1–3 word spans, every fifth one inside a
 * longer span of its own; set B keeps most of them, moves some by a word, relabels some, drops
 * some and adds its own, so spans overlap, nest, coincide and touch across the sets.
 * value: ms at 80k; baseline: ms at 20k; ratio = 80k / 20k, about 4.6 for n log n and 16 for a
 * comparison of all pairs; goal ≤ 6×.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeAgreement } from '../../src/core/agreement';
import { sha256Hex } from '../../src/core/article';
import { makeAnnotation } from '../../src/core/annotations';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation, Relation } from '../../src/core/schema';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { log, runCase } from '../lib/case';
import { corpusText, CREATED, LABELS, pick, rng } from '../lib/inputs';
import { round, timeInTurns } from '../lib/timing';

type Bounds = [number, number, string];

/** Set A's spans over `words` (code-point bounds): one short span per stride, every fifth nested in a longer one. */
function spansA(rand: () => number, words: readonly [number, number][], count: number): Bounds[] {
  const stride = Math.floor(words.length / count);
  if (stride < 8) throw new Error('text too short for that many spans');
  const out: Bounds[] = [];
  for (let i = 0; out.length < count; i++) {
    const first = i * stride + 2 + Math.floor(rand() * (stride - 6));
    const last = first + Math.floor(rand() * 3);
    out.push([words[first][0], words[last][1], LABELS[i % LABELS.length]]);
    if (i % 5 === 0 && out.length < count) out.push([words[first - 1][0], words[last + 2][1], LABELS[(i + 1) % LABELS.length]]);
  }
  return out;
}

/** Set B from A: kept, moved by a word, relabelled, touching it, with a longer span of its own, or dropped. */
function spansB(rand: () => number, a: readonly Bounds[], words: readonly [number, number][]): Bounds[] {
  const byStart = new Map(words.map(([s], k) => [s, k]));
  const byEnd = new Map(words.map(([, e], k) => [e, k]));
  const out: Bounds[] = [];
  for (const [start, end, label] of a) {
    const first = byStart.get(start)!;
    const last = byEnd.get(end)!;
    const r = rand();
    if (r < 0.6) out.push([start, end, label]);
    else if (r < 0.75) out.push([words[first + 1][0], words[last + 1][1], label]);
    else if (r < 0.85) out.push([start, end, pick(rand, LABELS)]);
    else if (r < 0.9) out.push([words[first - 1][0], start, label]);
    else if (r < 0.95) out.push([start, end, label], [words[first - 1][0], end, label]);
  }
  return out;
}

function writeSet(dir: string, text: string, map: OffsetMap, spans: readonly Bounds[]): void {
  fs.mkdirSync(dir, { recursive: true });
  const annotations: Annotation[] = spans.map(([s, e, label], n) => makeAnnotation(map, s, e, label, { id: `a-${n.toString(16).padStart(6, '0')}`, created: CREATED }));
  const relations: Relation[] = [];
  for (let n = 0; n + 1 < annotations.length; n += 10) relations.push({ id: `r-${n.toString(16).padStart(6, '0')}`, label: 'outcome', from: annotations[n].id, to: annotations[n + 1].id, created: CREATED });
  const buffer = Buffer.from(text);
  fs.writeFileSync(path.join(dir, 'article.txt'), buffer);
  fs.writeFileSync(
    path.join(dir, 'article.txt.annotations.json'),
    serializeSidecar({ version: 1, article: { file: 'article.txt', sha256: sha256Hex(buffer), length: map.length }, status: 'in_progress', annotations, relations }),
  );
}

/** Two sets of one article with `count` spans in A; returns their folders. */
function writeSets(root: string, count: number, seed: number): [string, string] {
  const rand = rng(seed);
  const text = corpusText(count * 60, seed);
  const map = new OffsetMap(text);
  const words: Array<[number, number]> = [];
  for (const m of text.matchAll(/\p{L}+/gu)) words.push([map.toCodePoint(m.index!), map.toCodePoint(m.index! + m[0].length)]);
  const a = spansA(rand, words, count);
  const b = spansB(rand, a, words);
  const dirs: [string, string] = [path.join(root, 'a'), path.join(root, 'b')];
  writeSet(dirs[0], text, map, a);
  writeSet(dirs[1], text, map, b);
  return dirs;
}

runCase(async () => {
  const tmp = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? '/tmp', 'agree-'));
  const small = writeSets(path.join(tmp, '20k'), 20_000, 61);
  const large = writeSets(path.join(tmp, '80k'), 80_000, 62);
  const run = (sets: string[]) => async () => {
    const r = await computeAgreement(nodeFileSystem, sets);
    if (r.articles !== 1) throw new Error(`the article was not compared: ${JSON.stringify(r.skipped)}`);
    return r;
  };
  const check = await run(large)();
  // in turns, so the ratio compares runs made at the same moments
  const [s, l] = await timeInTurns([run(small), run(large)], { warmup: 1, runs: 5 });
  log(`agree, one article: 20k spans ${s.ms.toFixed(0)} ms, 80k spans ${l.ms.toFixed(0)} ms (overlap F1 ${check.overall.overlapF1?.toFixed(3)}, exact F1 ${check.overall.exactF1?.toFixed(3)})`);
  fs.rmSync(tmp, { recursive: true, force: true });
  const ratio = l.ms / s.ms;
  return {
    case: 'agree-scaling',
    value: round(l.ms),
    unit: 'ms',
    baseline: round(s.ms),
    ratio: round(ratio),
    goal: '80k spans ≤ 6× the 20k time (n log n ≈ 4.6×, all pairs 16×)',
    met: ratio <= 6,
    spans: check.overall.spans.join('/'),
    overlapF1: round(check.overall.overlapF1 ?? NaN),
  };
});
