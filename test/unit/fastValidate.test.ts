/**
 * The fast sidecar check (src/core/fastValidate.ts) may only be narrower than the zod schema:
 * whatever it accepts, zod accepts with the same value; whatever it does not know, it leaves to zod.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkProperty } from './property';
import { fastSidecar } from '../../src/core/fastValidate';
import { sidecarSchema } from '../../src/core/schema';
import { parseSidecar, SidecarError } from '../../src/core/sidecar';

const SHA = 'a'.repeat(64);
const annotation = (over: Record<string, unknown> = {}) => ({ id: 'a1', label: 'force', start: 0, end: 4, text: 'Kent', source: 'manual', created: '2026-01-01T00:00:00Z', ...over });
const sidecar = (over: Record<string, unknown> = {}) => ({ version: 1, article: { file: 'a.txt', sha256: SHA, length: 10 }, annotations: [annotation()], ...over });

describe('fast sidecar validation', () => {
  it('accepts an ordinary sidecar, and zod agrees on the value', () => {
    const raw = sidecar({ status: 'done', rejected: [{ start: 5, end: 9, label: 'sanction', text: 'fine' }] });
    raw.annotations.push(annotation({ id: 'a2', note: 'n', author: 'me', attributes: { type: 'territorial' }, modified: '2026-02-29T10:00:00.5+01:00'.replace('02-29', '02-28'), orphaned: true, prefix: '', suffix: 'x' }));
    const fast = fastSidecar(structuredClone(raw));
    assert.ok(fast);
    assert.deepEqual(fast, sidecarSchema.parse(structuredClone(raw)));
  });

  it('accepts relations and a coding form as zod does', () => {
    const raw = sidecar({
      relations: [{ id: 'r-1', label: 'outcome', from: 'a1', to: 'a1', note: 'n', author: 'me', created: '2026-01-01T00:00:00Z' }],
      document: { outcome: 'written_warning', standards: ['std_use_of_force'], barred_list: false, count: 2, hearing_date: null },
    });
    const fast = fastSidecar(structuredClone(raw));
    assert.ok(fast);
    assert.deepEqual(fast, sidecarSchema.parse(structuredClone(raw)));
    for (const bad of [
      sidecar({ document: { outcome: { nested: 1 } } }),
      sidecar({ document: { n: [1] } }),
      sidecar({ relations: [{ id: 'r-1', label: 'Outcome', from: 'a1', to: 'a1', created: '2026-01-01T00:00:00Z' }] }),
      sidecar({ relations: [{ id: 'r-1', label: 'outcome', from: 'a1', to: 'a1', created: '2026-01-01T00:00:00Z', extra: 1 }] }),
    ]) {
      assert.equal(fastSidecar(structuredClone(bad)), undefined, JSON.stringify(bad));
      assert.throws(() => parseSidecar('a.json', JSON.stringify(bad)), SidecarError);
    }
    const proto = JSON.parse('{"version":1,"article":{"file":"a.txt","sha256":"' + SHA + '","length":10},"annotations":[],"document":{"__proto__":"x"}}');
    assert.equal(fastSidecar(proto), undefined);
  });

  it('leaves to zod what it does not know: conflicts, fields added later, odd dates', () => {
    assert.equal(fastSidecar(sidecar({ conflicts: [] })), undefined);
    assert.equal(fastSidecar(sidecar({ annotations: [annotation({ relations: [] })] })), undefined);
    // zod still accepts a sidecar with conflicts: parseSidecar gives it back whole
    assert.deepEqual(parseSidecar('a.json', JSON.stringify(sidecar({ conflicts: [] }))).conflicts, []);
  });

  it('never accepts what zod refuses, and parseSidecar still explains it', () => {
    const bad = [
      sidecar({ version: 2 }),
      sidecar({ article: { file: '', sha256: SHA, length: 1 } }),
      sidecar({ annotations: [annotation({ created: '2026-02-30T00:00:00Z' })] }),
      sidecar({ annotations: [annotation({ label: 'Force' })] }),
      sidecar({ annotations: [annotation({ start: -1 })] }),
      sidecar({ annotations: [annotation({ source: 'other' })] }),
      sidecar({ annotations: [annotation({ attributes: { n: 1 } })] }),
      sidecar({ annotations: [annotation({ orphaned: false })] }),
    ];
    for (const raw of bad) {
      assert.equal(fastSidecar(structuredClone(raw)), undefined, JSON.stringify(raw));
      assert.throws(() => parseSidecar('a.json', JSON.stringify(raw)), SidecarError);
    }
    const proto = '{"version":1,"article":{"file":"a.txt","sha256":"' + SHA + '","length":10},"annotations":[{"id":"a1","label":"force","start":0,"end":4,"text":"Kent","source":"manual","created":"2026-01-01T00:00:00Z","attributes":{"__proto__":"x"}}]}';
    assert.equal(fastSidecar(JSON.parse(proto)), undefined);
    assert.throws(() => parseSidecar('a.json', proto), SidecarError);
  });

  it('agrees with zod on generated sidecars: accepted by the fast path means accepted by zod, with the same value', () => {
    const value = fc.oneof(fc.string(), fc.integer({ min: -2, max: 50 }), fc.constant(undefined), fc.constant(true), fc.constant(null));
    const date = fc.oneof(fc.constantFrom('2026-01-01T00:00:00Z', '2024-02-29T23:59:59.123+05:30', '2023-02-29T00:00:00Z', '2026-13-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01T00:00Z'), fc.string());
    const ann = fc.record(
      {
        id: fc.oneof(fc.constantFrom('a1', 'x.y:z-1', '-bad', ''), fc.string()),
        label: fc.oneof(fc.constantFrom('force', 'a_b-1', 'Bad', '1x'), fc.string()),
        start: value,
        end: value,
        text: value,
        source: fc.constantFrom('manual', 'suggestion', 'other'),
        created: date,
        modified: date,
        note: value,
        orphaned: value,
        attributes: fc.oneof(fc.dictionary(fc.string(), fc.string()), fc.dictionary(fc.string(), value), fc.constant(undefined)),
        extra: value,
      },
      { requiredKeys: [] },
    );
    checkProperty(
      fc.property(fc.array(ann, { maxLength: 3 }), fc.constantFrom(undefined, 'done', 'later'), (annotations, status) => {
        const raw = JSON.parse(JSON.stringify(sidecar({ annotations, status })));
        const fast = fastSidecar(structuredClone(raw));
        if (!fast) return;
        const zod = sidecarSchema.safeParse(structuredClone(raw));
        assert.ok(zod.success, `zod refuses what the fast path accepted: ${JSON.stringify(raw)}`);
        assert.deepEqual(fast, zod.data);
      }),
      2000,
    );
  });
});
