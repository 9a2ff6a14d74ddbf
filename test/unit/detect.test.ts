import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { checkProperty } from './property';
import { SAMPLES } from './helpers';
import { Category, Detector, Match, defaultDetector, detectTerms, toCodePointMatches } from '../../src/core/detect';
import { phraseAt } from '../../src/core/detect/chars';
import { OffsetMap } from '../../src/core/offsets';

function sample(prefix: string): string {
  const name = fs.readdirSync(SAMPLES).find((f) => f.startsWith(prefix) && f.endsWith('.txt'))!;
  return fs.readFileSync(path.join(SAMPLES, name), 'utf8');
}

/** [text, type] of the matches of one category, in order. */
function found(text: string, category: Category): [string, string][] {
  return detectTerms(text)
    .filter((m) => m.category === category)
    .map((m) => [m.text, m.type]);
}

function one(text: string, category: Category): Match | undefined {
  const ms = detectTerms(text).filter((m) => m.category === category);
  assert.ok(ms.length <= 1, `more than one ${category} in ${JSON.stringify(text)}: ${JSON.stringify(ms)}`);
  return ms[0];
}

describe('detect: every force mention in the sample articles', () => {
  // listed by hand from reading the articles
  const S = 'staffordshire';
  const N = 'nottinghamshire';
  const H = 'hampshire_and_isle_of_wight';
  const M = 'metropolitan';
  const D = 'derbyshire';
  const expected: Record<string, [string, string][]> = {
    '000_': [['Staffordshire Police', S], ['Staffordshire Police', S], ['Staffordshire Police', S], ['Staffordshire Police', S]],
    '001_': [['Nottinghamshire', N]], // "the Nottinghamshire Chief Constable"
    '002_': [['Hampshire', H], ['Hampshire Constabulary', H], ['Hampshire Constabulary', H]], // "A Hampshire police officer"
    '003_': [
      ['Met', M], ['Met Police', M], ['Metropolitan Police', M], ['Met', M], ['Met', M], ['Met', M], ['Met', M],
      ['Met Police', M], ['Met', M], ['Met', M], ['Scotland Yard', M], ['Met', M], ['Met', M], ['Met', M],
      ['Yard', M], ['Met Police', M],
    ],
    '004_': [['Derbyshire Constabulary', D], ['Derbyshire Constabulary', D], ['Derbyshire Constabulary', D], ['Derbyshire Constabulary', D]],
  };
  for (const [prefix, forces] of Object.entries(expected)) {
    it(`finds exactly the forces named in ${prefix}*`, () => {
      assert.deepEqual(found(sample(prefix), 'force'), forces);
    });
  }

  it('finds the bodies, ranks, allegations and sanctions an annotator would expect', () => {
    const t = sample('002_');
    assert.deepEqual(found(t, 'body').map(([, type]) => type), ['iopc', 'iopc', 'iopc', 'iopc']);
    assert.ok(found(t, 'sanction').some(([text, type]) => text === 'was dismissed' && type === 'dismissal_without_notice'));
    assert.ok(found(sample('000_'), 'sanction').some(([text, type]) => text === 'would have been dismissed without notice' && type === 'would_have_been_dismissed'));
    assert.ok(found(sample('003_'), 'allegation').some(([, type]) => type === 'using_sex_workers'));
    assert.ok(found(sample('003_'), 'rank').some(([text, type]) => text === 'Deputy Assistant Commissioner' && type === 'deputy_assistant_commissioner'));
  });
});

describe('detect: matching rules', () => {
  it('finds nothing in an empty text', () => {
    assert.deepEqual(detectTerms(''), []);
    assert.deepEqual(detectTerms('', 0, 0), []);
  });

  it('prefers the longest match within a category', () => {
    assert.deepEqual(found('The Metropolitan Police Service said', 'force'), [['Metropolitan Police Service', 'metropolitan']]);
    assert.deepEqual(found('He got a final written warning.', 'sanction'), [['final written warning', 'final_written_warning']]);
    assert.deepEqual(found('He was dismissed without notice.', 'sanction'), [['was dismissed without notice', 'dismissal_without_notice']]);
  });

  it('reports overlapping matches of different categories', () => {
    const ms = detectTerms('The force referred to the IOPC the case.');
    assert.deepEqual(
      ms.map((m) => [m.category, m.text]),
      [
        ['sanction', 'referred to the IOPC'],
        ['body', 'IOPC'],
      ],
    );
  });

  it('respects case where it matters: the Met, not the verb "met"; PC, not "pc"; MPS, not "MPs"', () => {
    assert.equal(one('She met officers.', 'force'), undefined);
    assert.equal(one('The Met said.', 'force')?.text, 'Met');
    assert.equal(one('MET POLICE OFFICER SACKED', 'force')?.text, 'MET POLICE'); // headlines in capitals
    assert.equal(one('he bought a pc', 'rank'), undefined);
    assert.equal(one('PC Smith resigned', 'rank')?.type, 'constable');
    assert.equal(one('MPs debated it', 'force'), undefined);
    assert.equal(one('the MPS said', 'force')?.type, 'metropolitan');
    // full titles are case-insensitive
    assert.equal(one('a Police Sergeant and', 'rank')?.type, 'sergeant');
    assert.equal(one('a police sergeant and', 'rank')?.type, 'sergeant');
  });

  it('respects word boundaries', () => {
    assert.equal(one('The house was ransacked.', 'sanction'), undefined);
    assert.equal(one('Kenton Police', 'force'), undefined);
    assert.equal(one('the IOPCs', 'body'), undefined);
  });

  it('needs police context for a bare county name', () => {
    assert.equal(one('She lives in Hampshire.', 'force'), undefined);
    assert.equal(one('A Hampshire police officer', 'force')?.text, 'Hampshire');
    assert.equal(one('the Kent officer said', 'force')?.type, 'kent');
  });

  it('handles possessives, straight and curly', () => {
    for (const s of ["Hampshire Constabulary's officers", 'Hampshire Constabulary’s officers']) {
      const m = one(s, 'force')!;
      assert.equal(m.text, 'Hampshire Constabulary');
      assert.deepEqual([m.start, m.end], [0, 22]);
    }
  });

  it('matches names broken by line breaks (CRLF too), hyphens and dashes', () => {
    const crlf = 'officers of the Metropolitan\r\nPolice Service.';
    const m = one(crlf, 'force')!;
    assert.equal(m.text, 'Metropolitan\r\nPolice Service');
    assert.equal(crlf.slice(m.start, m.end), m.text);
    assert.equal(one('he paid a sex-worker', 'allegation')?.type, 'using_sex_workers');
    assert.equal(one('he paid a sex\nworker', 'allegation')?.type, 'using_sex_workers');
    assert.equal(one('Dyfed–Powys Police', 'force')?.type, 'dyfed_powys');
    assert.equal(one('Dyfed  Powys Police', 'force')?.type, 'dyfed_powys');
  });

  it('treats curly and straight apostrophes alike', () => {
    assert.equal(one('the National Police Chiefs’ Council', 'body')?.type, 'npcc');
    assert.equal(one("the National Police Chiefs' Council", 'body')?.type, 'npcc');
  });

  it('reads context words in any case, with any apostrophe, on a word boundary', () => {
    // phraseAt: how a county name's "police" context and learned phrases are compared
    assert.equal(phraseAt('POLICE said', 0, 'police'), 6);
    assert.equal(phraseAt("Chiefs` Council", 0, "chiefs' council"), 15);
    assert.equal(phraseAt('Chiefs\u2019  Council', 0, "chiefs' council"), 16);
    assert.equal(phraseAt('Ärzte police', 0, 'ärzte'), 5);
    assert.equal(phraseAt('policed', 0, 'police'), -1);
    assert.equal(phraseAt('polite', 0, 'police'), -1);
  });

  it('converts offsets to code points after an emoji', () => {
    const text = '🚔🚔 Met Police officers';
    const m = one(text, 'force')!;
    assert.deepEqual([m.start, m.end], [5, 15]); // UTF-16: each emoji is two code units
    const map = new OffsetMap(text);
    const [cp] = toCodePointMatches([m], map);
    assert.deepEqual([cp.start, cp.end], [3, 13]);
    assert.equal(map.slice(cp.start, cp.end), 'Met Police');
    assert.equal([...text].slice(cp.start, cp.end).join(''), 'Met Police');
  });

  it('can skip ambiguous aliases and restrict categories', () => {
    const strict = Detector.fromBundledData({ skipAmbiguous: true, categories: ['force'] });
    assert.deepEqual(strict.detect('The Met said the Metropolitan Police was fired upon.').map((m) => m.text), ['Metropolitan Police']);
  });

  it('builds the default detector once', () => {
    assert.equal(defaultDetector(), defaultDetector());
  });
});

describe('detect: range-restricted detection equals the full scan within the range', () => {
  /** What a range must return: the full scan's matches that overlap [from, to). */
  function expectedIn(full: Match[], from: number, to: number): Match[] {
    return full.filter((m) => m.start < to && m.end > from);
  }

  // a deterministic PRNG, so failures reproduce
  function rng(seed: number): () => number {
    return () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  }

  const texts = fs
    .readdirSync(SAMPLES)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => fs.readFileSync(path.join(SAMPLES, f), 'utf8'));
  // overlapping candidates chained back to back, the hard case for finding where to start
  texts.push('would have been dismissed would have been dismissed had he not resigned had he '.repeat(20));
  texts.push('Met Police Metropolitan Police Service Met\r\nPolice Commissioner '.repeat(30));

  it('for every line and for random ranges of the sample articles', () => {
    const random = rng(42);
    for (const text of texts) {
      const full = detectTerms(text);
      const ranges: [number, number][] = [];
      let at = 0;
      for (const line of text.split('\n')) {
        ranges.push([at, at + line.length]);
        at += line.length + 1;
      }
      for (let k = 0; k < 200; k++) {
        const a = Math.floor(random() * (text.length + 1));
        const b = Math.floor(random() * (text.length + 1));
        ranges.push([Math.min(a, b), Math.max(a, b)]);
      }
      for (const [from, to] of ranges) {
        assert.deepEqual(detectTerms(text, from, to), from === to ? [] : expectedIn(full, from, to), `range ${from}-${to}`);
      }
    }
  });

  it('at every single offset of a dense text', () => {
    const text = texts[texts.length - 1].slice(0, 400);
    const full = detectTerms(text);
    for (let from = 0; from < text.length; from++) {
      assert.deepEqual(detectTerms(text, from, from + 1), expectedIn(full, from, from + 1), `offset ${from}`);
    }
  });

  it('for generated texts built from name fragments (property-based)', () => {
    const fragment = fc.constantFrom(
      'Met', 'met', 'Police', 'police', 'Service', 'Metropolitan', 'Hampshire', 'Constabulary', '’s', "'s", ' ', '  ', '\r\n', '-', '–',
      'would have been', 'dismissed', 'without notice', 'final written', 'warning', 'PC', 'pc', 'officer', '🚔', '.', 'x',
    );
    checkProperty(
      fc.property(fc.array(fragment, { maxLength: 60 }), fc.nat(), fc.nat(), (parts, a, b) => {
        const text = parts.join('');
        const from = a % (text.length + 1);
        const to = from + (b % (text.length - from + 1));
        assert.deepEqual(detectTerms(text, from, to), from === to ? [] : expectedIn(detectTerms(text), from, to));
      }),
      500,
    );
  });

  it('clamps out-of-range arguments', () => {
    const text = sample('002_');
    assert.deepEqual(detectTerms(text, -5, text.length + 10), detectTerms(text));
  });
});
