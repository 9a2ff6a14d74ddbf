/**
 * Writes a corpus of annotated articles for the export case and the Corpus view's rows: `count`
 * varied sample articles in folders of 100, each (or each that `withSidecar` picks by its index)
 * with a valid sidecar of 10–40 spans (1–3 words, not overlapping).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../../src/core/article';
import { makeAnnotation } from '../../src/core/annotations';
import { OffsetMap } from '../../src/core/offsets';
import { Annotation } from '../../src/core/schema';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { article, CREATED, LABELS, rng } from './inputs';

export function writeCorpus(root: string, count: number, seed = 41, withSidecar: (i: number) => boolean = () => true): { bytes: number; spans: number; sidecars: number } {
  const rand = rng(seed);
  let bytes = 0;
  let spans = 0;
  let sidecars = 0;
  for (let i = 0; i < count; i++) {
    const dir = path.join(root, `batch-${String(Math.floor(i / 100)).padStart(3, '0')}`);
    if (i % 100 === 0) fs.mkdirSync(dir, { recursive: true });
    const name = `article-${String(i).padStart(5, '0')}.txt`;
    const text = article(rand);
    const map = new OffsetMap(text);
    const words = [...text.matchAll(/\p{L}+/gu)].map((m) => [m.index!, m.index! + m[0].length] as const);
    const n = 10 + Math.floor(rand() * 31);
    const stride = Math.max(4, Math.floor(words.length / n));
    const annotations: Annotation[] = [];
    for (let k = 0; k + 3 < words.length && annotations.length < n; k += stride) {
      const first = k + Math.floor(rand() * (stride - 3));
      const last = Math.min(words.length - 1, first + Math.floor(rand() * 3));
      annotations.push(
        makeAnnotation(map, map.toCodePoint(words[first][0]), map.toCodePoint(words[last][1]), LABELS[annotations.length % 3], {
          id: `a-${i.toString(16)}-${annotations.length}`,
          created: CREATED,
        }),
      );
    }
    const json = serializeSidecar({ version: 1, article: { file: name, sha256: sha256Hex(text), length: map.length }, annotations });
    fs.writeFileSync(path.join(dir, name), text);
    bytes += Buffer.byteLength(text);
    // the same random draws either way: the articles do not depend on which have sidecars
    if (!withSidecar(i)) continue;
    fs.writeFileSync(path.join(dir, name + '.annotations.json'), json);
    bytes += Buffer.byteLength(json);
    spans += annotations.length;
    sidecars++;
  }
  return { bytes, spans, sidecars };
}
