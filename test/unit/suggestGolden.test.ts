/**
 * `suggest` gives the same suggestions as the code it was recorded with: every suggestion (file,
 * offsets, label, type, source, reason, text) over the sample corpus with its sidecars (so learned
 * phrases are on) and over generated articles (long, on one line, CRLF with typographic quotes,
 * emoji, many short ones with sidecars of their own, letters that fold to ASCII ones), compared
 * file by file with fixtures/suggest-golden.json. A change meant to alter suggestions re-records it with
 * MISCONDUCT_UPDATE_GOLDEN=1 and shows the difference in its diff.
 */
import * as assert from 'node:assert/strict';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../../src/core/article';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation } from '../../src/core/schema';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import type { Suggestion } from '../../src/cli/verbs/suggest';
import { cli, REPO, SAMPLES, tempDir } from './helpers';
import { pick, seededRandom as rng } from './seededRandom';

const GOLDEN = path.join(REPO, 'test', 'unit', 'fixtures', 'suggest-golden.json');

/** The samples the golden output was recorded over (later samples would change it: new words, new phrases). */
const recordedSamples = (): string[] => fs.readdirSync(SAMPLES).filter((n) => /^00[0-4]_[0-9a-f]+\.txt(\.annotations\.json)?$/.test(n));

function sampleMaterial(): { lines: string[]; words: string[] } {
  const texts = recordedSamples()
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => fs.readFileSync(path.join(SAMPLES, n), 'utf8'));
  return {
    lines: texts.flatMap((t) => t.split(/\r?\n/)).filter((l) => l.trim()),
    words: [...new Set(texts.flatMap((t) => t.match(/\p{L}+/gu) ?? []))].sort(),
  };
}

/** About `chars` characters of sample lines, about 3% of their words swapped for other sample words. */
function generated(rand: () => number, chars: number): string {
  const { lines, words } = sampleMaterial();
  const out: string[] = [];
  let size = 0;
  while (size < chars) {
    const line = pick(rand, lines).replace(/\p{L}+/gu, (w) => (rand() < 0.03 ? pick(rand, words) : w));
    out.push(line);
    size += line.length + 1;
    if (rand() < 0.08) out.push('');
  }
  return out.join('\n') + '\n';
}

/** A sidecar for `text` with spans of 1–3 words every ~`every` words, labels and types varied, a few rejections. */
function sidecarFor(rand: () => number, name: string, text: string, every: number): string {
  const map = new OffsetMap(text);
  const words = [...text.matchAll(/\p{L}+/gu)].map((m) => [m.index!, m.index! + m[0].length] as const);
  const labels = ['force', 'allegation', 'sanction', 'officer'];
  const annotations: Annotation[] = [];
  for (let k = Math.floor(rand() * every); k + 3 < words.length; k += 1 + Math.floor(rand() * every * 2)) {
    const last = k + Math.floor(rand() * 3);
    const label = pick(rand, labels);
    const attributes = rand() < 0.3 ? { type: pick(rand, ['alpha', 'beta']) } : undefined;
    annotations.push(makeAnnotation(map, map.toCodePoint(words[k][0]), map.toCodePoint(words[last][1]), label, { id: `a-${annotations.length}`, created: '2026-01-01T00:00:00Z', attributes }));
    k = last;
  }
  const rejected = annotations.filter(() => rand() < 0.1).map((a) => ({ start: a.start, end: a.end, label: rand() < 0.5 ? a.label : 'force', text: a.text }));
  return serializeSidecar({ version: 1, article: { file: name, sha256: sha256Hex(text), length: map.length }, annotations, ...(rejected.length ? { rejected } : {}) });
}

/** The corpus: the samples with their sidecars, and generated articles (some with sidecars). */
function writeCorpus(dir: string): void {
  for (const name of recordedSamples()) fs.copyFileSync(path.join(SAMPLES, name), path.join(dir, name));
  const gen = path.join(dir, 'gen');
  fs.mkdirSync(gen);
  const rand = rng(30);
  const long = generated(rand, 200_000);
  fs.writeFileSync(path.join(gen, 'long.txt'), long);
  // no line breaks: sentences are cut at sentence ends and every 2,000 characters
  fs.writeFileSync(path.join(gen, 'oneline.txt'), long.slice(0, 80_000).replace(/\n+/g, ' '));
  const typographic = generated(rand, 40_000)
    .replace(/'/g, '\u2019')
    .replace(/"([^"\n]*)"/g, '\u201c$1\u201d')
    .replace(/ - /g, ' \u2013 ')
    .replace(/\n/g, '\r\n');
  fs.writeFileSync(path.join(gen, 'crlf.txt'), typographic);
  // astral characters: code point offsets differ from UTF-16 ones after each
  const emoji = generated(rand, 40_000).replace(/ (?=\p{L})/gu, (s) => (rand() < 0.02 ? pick(rand, [' 🚔 ', ' 👮\u200d♀️ ', ' é ', ' \u00a0']) : s));
  fs.writeFileSync(path.join(gen, 'emoji.txt'), emoji);
  fs.writeFileSync(path.join(gen, 'emoji.txt.annotations.json'), sidecarFor(rand, 'emoji.txt', emoji, 40));
  for (let i = 0; i < 60; i++) {
    const name = `short-${String(i).padStart(2, '0')}.txt`;
    const text = generated(rand, 600 + Math.floor(rand() * 2400));
    fs.writeFileSync(path.join(gen, name), text);
    if (i % 2 === 0) fs.writeFileSync(path.join(gen, name + '.annotations.json'), sidecarFor(rand, name, text, 12));
  }
  // the long s and the Kelvin sign fold to "s" and "k" in a case-insensitive Unicode regex
  const exotic = generated(rand, 20_000).replace(/[sk]/g, (c) => (rand() < 0.1 ? (c === 's' ? '\u017f' : '\u212a') : c));
  fs.writeFileSync(path.join(gen, 'exotic.txt'), exotic.replace(/\bI/g, () => (rand() < 0.2 ? '\u0130' : 'I')));
}

/** Per file (relative, with /): its suggestions as JSON lines, in the order printed. */
async function suggestionsByFile(dir: string, ...flags: string[]): Promise<Map<string, string[]>> {
  const run = await cli('suggest', dir, '--json', ...flags);
  assert.equal(run.code, 0, run.err);
  assert.equal(run.err, '');
  const out = new Map<string, string[]>();
  for (const s of JSON.parse(run.out) as Suggestion[]) {
    const file = path.relative(dir, s.file).split(path.sep).join('/');
    const line = JSON.stringify([s.start, s.end, s.label, s.type, s.source, s.reason, s.text]);
    const list = out.get(file);
    if (list) list.push(line);
    else out.set(file, [line]);
  }
  return out;
}

interface Golden {
  /** mode ("learn", "no-learn") → file → [count, sha256 of its lines joined by "\n"]. */
  digests: Record<string, Record<string, [number, string]>>;
  /** The learned run's suggestions for the sample articles, to read what changed. */
  samples: Record<string, string[]>;
}

const digest = (lines: readonly string[]) => crypto.createHash('sha256').update(lines.join('\n')).digest('hex');

describe('suggest: the same suggestions as recorded', function () {
  this.timeout(120_000);

  it('over the samples with their sidecars and over generated articles, file by file', async () => {
    const dir = tempDir();
    writeCorpus(dir);
    const runs = { learn: await suggestionsByFile(dir), 'no-learn': await suggestionsByFile(dir, '--no-learn') };
    const now: Golden = { digests: {}, samples: {} };
    for (const [mode, byFile] of Object.entries(runs)) {
      now.digests[mode] = {};
      for (const [file, lines] of [...byFile].sort((a, b) => (a[0] < b[0] ? -1 : 1))) now.digests[mode][file] = [lines.length, digest(lines)];
    }
    for (const [file, lines] of runs.learn) if (!file.includes('/')) now.samples[file] = lines;
    now.samples = Object.fromEntries(Object.entries(now.samples).sort((a, b) => (a[0] < b[0] ? -1 : 1)));
    if (process.env.MISCONDUCT_UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, JSON.stringify(now, null, 1) + '\n');
    const golden = JSON.parse(fs.readFileSync(GOLDEN, 'utf8')) as Golden;
    // the readable part first: a difference there shows itself
    assert.deepEqual(now.samples, golden.samples);
    for (const mode of Object.keys(golden.digests)) {
      const files = new Set([...Object.keys(golden.digests[mode]), ...Object.keys(now.digests[mode] ?? {})]);
      for (const file of files) {
        assert.deepEqual(now.digests[mode]?.[file], golden.digests[mode][file], `${mode}: ${file}: [count, sha256] differ (re-record with MISCONDUCT_UPDATE_GOLDEN=1 only if the change is meant)`);
      }
    }
    // the generated articles do exercise every source and label
    const learned = [...runs.learn.values()].flat().map((l) => JSON.parse(l) as unknown[]);
    for (const source of ['gazetteer', 'rule', 'learned']) assert.ok(learned.some((s) => s[4] === source), source);
    for (const label of ['force', 'body', 'rank', 'allegation', 'sanction', 'officer']) assert.ok(learned.some((s) => s[2] === label), label);
  });
});
