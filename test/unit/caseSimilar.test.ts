/** Finding articles about the same case (issue 31): MinHash of word shingles plus force, outcome and officer matches. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minHash, profileArticle, rankSameCase, similarity } from '../../src/core/cases/similar';
import { SAMPLES } from './helpers';

function sampleProfiles() {
  return fs
    .readdirSync(SAMPLES)
    .filter((n) => n.endsWith('.txt'))
    .sort()
    .map((n) => {
      const sidecar = JSON.parse(fs.readFileSync(path.join(SAMPLES, `${n}.annotations.json`), 'utf8'));
      const spans = sidecar.annotations.map((a: { label: string; text: string; attributes?: { type?: string } }) => ({ label: a.label, text: a.text, type: a.attributes?.type }));
      return profileArticle(n, fs.readFileSync(path.join(SAMPLES, n), 'utf8'), spans);
    });
}

describe('case records: articles about the same case', () => {
  it('estimates the Jaccard similarity of word 3-shingles', () => {
    const a = 'The officer was dismissed without notice after a gross misconduct hearing in Kent.';
    assert.equal(similarity(minHash(a), minHash(a.toUpperCase().replace(/\./g, ' !'))), 1, 'case and punctuation ignored');
    assert.ok(similarity(minHash(a), minHash('Completely different words about the weather and a cat sitting on mats today.')) < 0.1);
    const half = similarity(minHash(a), minHash(a.replace('in Kent.', 'at Maidstone on Friday, the force said.')));
    assert.ok(half > 0.3 && half < 0.95, String(half));
  });

  it('ranks the two other reports of the Hampshire case first for the report before its hearing, with the reasons', () => {
    const profiles = sampleProfiles();
    const query = profiles.find((p) => p.file.startsWith('005_'))!;
    const ranked = rankSameCase(query, profiles);
    assert.deepEqual(ranked.slice(0, 2).map((r) => r.file.slice(0, 3)).sort(), ['002', '006']);
    assert.ok(ranked.every((r) => r.file !== query.file), 'not itself');
    const report = ranked.find((r) => r.file.startsWith('002_'))!;
    assert.match(report.reason, /^text \d+% alike; same force \(hampshire_and_isle_of_wight\); same outcome or finding \(case_to_answer_gross_misconduct\)/);
    assert.ok(ranked[1].score > (ranked[2]?.score ?? 0) + 0.1, 'a clear gap to the articles about other cases');
  });
});
