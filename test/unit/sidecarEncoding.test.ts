import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Sidecar } from '../../src/core/schema';
import { sameBytes } from '../../src/core/article';
import { encodeUtf8Steps, serializeSidecar, serializeSidecarSteps } from '../../src/core/sidecarEncoding';
import { runSteps } from '../../src/core/steps';

const CORPUS = path.join(__dirname, '../../../samples/corpus');

/** What one JSON.stringify of the same value writes: the layout a written sidecar has always had. */
function oneStringify(text: string): string {
  return JSON.stringify(JSON.parse(text), null, 2) + '\n';
}

function annotation(i: number, text: string, extra: Record<string, unknown> = {}) {
  return { id: `a-${i}`, label: 'force', start: i * 10, end: i * 10 + text.length, text, author: 'x', created: '2026-01-01T00:00:00.000Z', ...extra };
}

describe('canonical sidecar text in steps', () => {
  it('is the text one JSON.stringify writes, for every sample sidecar', () => {
    const files = fs.readdirSync(CORPUS).filter((f) => f.endsWith('.annotations.json'));
    assert.ok(files.length > 0);
    for (const f of files) {
      const sidecar = JSON.parse(fs.readFileSync(path.join(CORPUS, f), 'utf8')) as Sidecar;
      const text = serializeSidecar(sidecar);
      assert.equal(text, oneStringify(text), f);
    }
  });

  it('keeps every optional part, and text that looks like layout or a replacement pattern', () => {
    const tricky = ['$&', "$'", '$`', '$$', '\n  "annotations": []', 'line\nbreak', 'é ü 𝄞', '"quoted"'];
    const sidecar = {
      $schema: 'https://example.org/schema.json',
      version: 1,
      article: { file: 'a "b".txt', sha256: 'f'.repeat(64), length: 1000 },
      status: 'in_progress',
      annotations: tricky.map((t, i) => annotation(i, t, { note: t, attributes: { type: t, a: 'first' } })),
      rejected: [{ start: 3, end: 5, label: 'force', text: '$&' }],
      relations: [{ id: 'r-1', label: 'outcome', from: 'a-0', to: 'a-1', author: 'x', created: '2026-01-01T00:00:00.000Z' }],
      document: { outcome: 'dismissed', tags: ['b', 'a'] },
    } as unknown as Sidecar;
    const text = serializeSidecar(sidecar);
    assert.equal(text, oneStringify(text));
    const back = JSON.parse(text) as Sidecar;
    assert.deepEqual(back.annotations.map((a) => a.text), tricky);
    assert.deepEqual(back.annotations.map((a) => Object.keys(a.attributes ?? {})), tricky.map(() => ['a', 'type']));
    assert.equal(back.rejected?.[0].text, '$&');
  });

  it('writes an empty list of annotations as before', () => {
    const sidecar = { version: 1, article: { file: 'a.txt', sha256: 'f'.repeat(64), length: 0 }, annotations: [], status: 'done' } as unknown as Sidecar;
    const text = serializeSidecar(sidecar);
    assert.equal(text, oneStringify(text));
    assert.match(text, /"annotations": \[\]/);
  });

  it('yields between slices of a long sidecar, and ends with the same text', () => {
    const sidecar = {
      version: 1,
      article: { file: 'long.txt', sha256: 'f'.repeat(64), length: 100_000 },
      annotations: Array.from({ length: 5000 }, (_, i) => annotation(5000 - i, `word ${i}`)),
    } as unknown as Sidecar;
    const steps = serializeSidecarSteps(sidecar);
    let yields = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) yields++;
    assert.ok(yields >= 5, `${yields} yields`);
    assert.equal(next.value, serializeSidecar(sidecar));
    assert.equal(next.value, oneStringify(next.value));
    assert.equal((JSON.parse(next.value) as Sidecar).annotations[0].id, 'a-1');
  });
});

describe('a sidecar\'s UTF-8 in steps', () => {
  it('is the bytes TextEncoder gives at once, with a pair of surrogates and a long character across every slice boundary', () => {
    // 2^19 code units a slice: '𝄞' (two units) and 'é' (two bytes) straddle the boundaries
    const text = ('a'.repeat((1 << 19) - 1) + '𝄞' + 'é'.repeat(1000)).repeat(3) + '𝄞';
    const steps = encodeUtf8Steps(text);
    let yields = 0;
    let next = steps.next();
    for (; !next.done; next = steps.next()) yields++;
    assert.ok(yields >= 3, `yields between slices (${yields})`);
    assert.ok(sameBytes(next.value, new TextEncoder().encode(text)));
    assert.equal(new TextDecoder('utf-8', { fatal: true }).decode(next.value), text);
  });

  it('encodes a short text at once', () => {
    assert.deepEqual([...runSteps(encodeUtf8Steps('é𝄞'))], [...new TextEncoder().encode('é𝄞')]);
  });
});

describe('sameBytes', () => {
  it('compares aligned and unaligned views, and finds a difference in the last byte or the length', () => {
    const a = new TextEncoder().encode('x'.repeat(1001));
    const b = new Uint8Array(1002);
    b.set(a, 1); // unaligned copy
    assert.ok(sameBytes(a, b.subarray(1)));
    assert.ok(sameBytes(a, a.slice()));
    const c = a.slice();
    c[1000] = 0x79;
    assert.ok(!sameBytes(a, c));
    c[1000] = a[1000];
    c[3] = 0;
    assert.ok(!sameBytes(a, c));
    assert.ok(!sameBytes(a, a.subarray(1)));
  });
});
