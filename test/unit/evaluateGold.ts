/** Gold sidecars for a test folder: the spans named by quote, the article marked done. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { makeAnnotation } from '../../src/core/annotations';
import { sha256Hex } from '../../src/core/article';
import { OffsetMap } from '../../src/core/offsets';
import { newSidecar, serializeSidecar } from '../../src/core/sidecarEncoding';

export function buildGold(dir: string, spans: Record<string, Array<[string, string]>>): void {
  for (const [name, list] of Object.entries(spans)) {
    const bytes = fs.readFileSync(path.join(dir, name));
    const text = bytes.toString('utf8');
    const map = new OffsetMap(text);
    const sidecar = newSidecar(name, sha256Hex(bytes), map.length);
    sidecar.status = 'done';
    sidecar.annotations = list.map(([label, quote]) => {
      const start = map.toCodePoint(text.indexOf(quote));
      return makeAnnotation(map, start, start + [...quote].length, label);
    });
    fs.writeFileSync(path.join(dir, `${name}.annotations.json`), serializeSidecar(sidecar));
  }
}
