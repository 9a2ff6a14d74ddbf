/**
 * sidecar-read: reading and validating a sidecar with 10k annotations the way the CLI and the
 * extension do (`loadArticleSidecar`: read article and sidecar, decode, sha256, conflict-marker
 * check, JSON.parse, zod schema, consistency of every span with the article), against reading the
 * same sidecar file and `JSON.parse` alone. value: our ms; ratio = ours / JSON.parse.
 * Also reported: `parseMs` (parseSidecar alone: markers + JSON + schema, on the string).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sha256Hex } from '../../src/core/article';
import { nodeFileSystem } from '../../src/core/fileSystem';
import { OffsetMap } from '../../src/core/offsets';
import { loadArticleSidecar, parseSidecar, sidecarPathFor } from '../../src/core/sidecar';
import { serializeSidecar } from '../../src/core/sidecarEncoding';
import { log, runCase } from '../lib/case';
import { spannedDocument } from '../lib/inputs';
import { round, timeInTurns } from '../lib/timing';

runCase(async () => {
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_TMP ?? '/tmp', 'sidecar-'));
  const { text, annotations } = spannedDocument(10_000, 31);
  const article = path.join(dir, 'big.txt');
  fs.writeFileSync(article, text);
  const json = serializeSidecar({
    version: 1,
    article: { file: 'big.txt', sha256: sha256Hex(Buffer.from(text)), length: new OffsetMap(text).length },
    status: 'in_progress',
    annotations,
  });
  const sidecar = sidecarPathFor(article);
  fs.writeFileSync(sidecar, json);

  const check = await loadArticleSidecar(nodeFileSystem, article);
  if (check.kind !== 'ok' || check.sidecar.annotations.length !== 10_000) throw new Error(`the generated sidecar does not load: ${check.kind}`);

  // in turns, so the ratio compares runs made at the same moments
  const [ours, parseOnly, base] = await timeInTurns(
    [() => loadArticleSidecar(nodeFileSystem, article), () => parseSidecar(sidecar, json), async () => JSON.parse(await fs.promises.readFile(sidecar, 'utf8'))],
    { warmup: 2, runs: 9 },
  );
  log(`sidecar ${(json.length / 1e6).toFixed(1)} MB, article ${(text.length / 1e3).toFixed(0)} KB: load+validate ${ours.ms.toFixed(1)} ms (parseSidecar ${parseOnly.ms.toFixed(1)} ms), read+JSON.parse ${base.ms.toFixed(1)} ms`);
  fs.rmSync(dir, { recursive: true, force: true });
  const ratio = ours.ms / base.ms;
  return {
    case: 'sidecar-read',
    value: round(ours.ms),
    unit: 'ms',
    baseline: round(base.ms),
    ratio: round(ratio),
    goal: '≤ 5× reading + JSON.parse',
    met: ratio <= 5,
    parseMs: round(parseOnly.ms),
    annotations: 10_000,
    sidecarMB: round(json.length / 1e6),
  };
});
