/**
 * `agree` on case records (issue 31): two annotators' cases matched by the text their evidence
 * covers, per-field agreement on matched cases, and the cases only one has.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { footprintOverlap, matchCases } from '../../src/core/agreement';
import { CaseRecord, parseCase, serializeCase } from '../../src/core/cases';
import { cli, copySamples } from './helpers';

function readCase(dir: string, id: string): CaseRecord {
  const file = path.join(dir, 'cases', `${id}.case.json`);
  return parseCase(file, fs.readFileSync(file, 'utf8'));
}

function writeCase(dir: string, record: CaseRecord): void {
  fs.writeFileSync(path.join(dir, 'cases', `${record.id}.case.json`), serializeCase(record));
}

describe('agreement on case records', () => {
  it('matches cases one to one by the largest overlap of their evidence', () => {
    const fp = (ranges: Record<string, Array<[number, number]>>) => new Map(Object.entries(ranges));
    assert.equal(footprintOverlap(fp({ 'a.txt': [[0, 10]] }), fp({ 'a.txt': [[5, 20]], 'b.txt': [[0, 10]] })), 5);
    assert.equal(footprintOverlap(fp({ 'a.txt': [[0, 10]] }), fp({ 'b.txt': [[0, 10]] })), 0, 'the same offsets in another article are not an overlap');
    const a = [{ id: 'c-1', footprint: fp({ 'a.txt': [[0, 10]] }) }, { id: 'c-2', footprint: fp({ 'a.txt': [[20, 30]] }) }];
    const b = [{ id: 'c-x', footprint: fp({ 'a.txt': [[0, 25]] }) }, { id: 'c-y', footprint: fp({ 'a.txt': [[8, 12]] }) }];
    // c-1–c-x (10) first; c-2 could only take c-x, taken; c-y overlaps c-1, taken
    assert.deepEqual(matchCases(a, b), [{ a: 'c-1', b: 'c-x', overlap: 10 }]);
  });

  it('agree reports matched cases, per-field agreement with each disagreement, and the cases only one set has', async () => {
    const setA = copySamples();
    const setB = copySamples();
    // B coded the Hampshire case under its own id, with another outcome, and without the barred list
    const hants = readCase(setB, 'c-hampshire-pc');
    fs.rmSync(path.join(setB, 'cases', 'c-hampshire-pc.case.json'));
    writeCase(setB, { ...hants, id: 'c-hants', fields: { ...hants.fields, outcome: 'dismissal_with_notice', barred_list: null } });
    // B did not code the senior officer; it coded a case of sample 000 that A has not
    fs.rmSync(path.join(setB, 'cases', 'c-met-senior-officer.case.json'));
    const staffs = JSON.parse(fs.readFileSync(path.join(setA, '000_fafa6f8612fe896a.txt.annotations.json'), 'utf8')).annotations[0];
    writeCase(setB, { ...hants, id: 'c-staffs', title: 'Staffordshire', fields: { force: 'staffordshire' }, evidence: [{ id: 'e-1', file: '000_fafa6f8612fe896a.txt', annotation: staffs.id, quote: staffs.text }] });

    const run = await cli('agree', setA, setB, '--json');
    assert.equal(run.code, 0, run.err);
    const cases = JSON.parse(run.out).cases;
    assert.deepEqual(cases.counts, [4, 4]);
    assert.deepEqual(
      cases.matched.map((m: { a: string; b: string }) => `${m.a}=${m.b}`).sort(),
      ['c-hampshire-pc=c-hants', 'c-met-four-resigned=c-met-four-resigned', 'c-met-two-serving=c-met-two-serving'],
    );
    assert.deepEqual(cases.only_a, ['c-met-senior-officer']);
    assert.deepEqual(cases.only_b, ['c-staffs']);
    assert.deepEqual(cases.fields.outcome, {
      coded: [3, 3],
      both: 3,
      exact_match: 2 / 3,
      disagreements: [{ a: 'c-hampshire-pc', b: 'c-hants', value_a: 'dismissal_without_notice', value_b: 'dismissal_with_notice' }],
    });
    assert.deepEqual(cases.fields.barred_list, { coded: [1, 0], both: 0, exact_match: null, disagreements: [] });
    assert.equal(cases.fields.force.exact_match, 1);

    const text = await cli('agree', setA, setB);
    assert.match(text.out, /Case records \(matched by the text their evidence covers in the same articles\): A 4, B 4; matched 3/);
    assert.match(text.out, /only in A: c-met-senior-officer/);
    assert.match(text.out, /only in B: c-staffs/);
    assert.match(text.out, /outcome: c-hampshire-pc says "dismissal_without_notice", c-hants says "dismissal_with_notice"/);
  });
});
