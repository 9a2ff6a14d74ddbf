/**
 * detect-vs-naive: the detector against the obvious alternative, one regex per gazetteer alias run
 * in turn (case-insensitive where the alias is, whitespace runs as \s+, word boundaries), with the
 * same leftmost-longest-per-category selection. Over 1 MB, because the naive detector takes
 * seconds per megabyte. value: our ms; baseline: naive ms; ratio = naive time / our time.
 */
import { CATEGORIES, defaultDetector, gazetteerTerms, Match } from '../../src/core/detect';
import { runCase, log } from '../lib/case';
import { corpusText } from '../lib/inputs';
import { round, time } from '../lib/timing';

interface NaiveTerm {
  re: RegExp;
  category: (typeof CATEGORIES)[number];
  type: string;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function naiveTerms(): NaiveTerm[] {
  return gazetteerTerms().map((t) => {
    const body = t.normalized.split(' ').map(escape).join('\\s+');
    // \b only where the alias starts/ends with a word character
    const pre = /^\w/.test(t.normalized) ? '\\b' : '';
    const post = /\w$/.test(t.normalized) ? '\\b' : '';
    return { re: new RegExp(pre + body + post, t.caseSensitive ? 'g' : 'gi'), category: t.category, type: t.type };
  });
}

function naiveDetect(terms: readonly NaiveTerm[], text: string): Match[] {
  const candidates: Match[] = [];
  for (const t of terms) {
    t.re.lastIndex = 0;
    for (let m = t.re.exec(text); m; m = t.re.exec(text)) {
      candidates.push({ start: m.index, end: m.index + m[0].length, category: t.category, type: t.type, text: m[0] });
    }
  }
  candidates.sort((a, b) => a.start - b.start || CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || b.end - a.end);
  const busy = new Map<string, number>();
  return candidates.filter((c) => {
    if (c.start < (busy.get(c.category) ?? 0)) return false;
    busy.set(c.category, c.end);
    return true;
  });
}

runCase(async () => {
  const text = corpusText(1_000_000, 12);
  const detector = defaultDetector();
  const terms = naiveTerms();
  let ours = 0;
  let theirs = 0;
  const our = await time(() => (ours = detector.detect(text).length), { warmup: 2, runs: 7 });
  const naive = await time(() => (theirs = naiveDetect(terms, text).length), { warmup: 1, runs: 3 });
  log(`1 MB: ours ${our.ms.toFixed(1)} ms (${ours} matches), naive ${naive.ms.toFixed(0)} ms over ${terms.length} regexes (${theirs} matches)`);
  const ratio = naive.ms / our.ms;
  return {
    case: 'detect-vs-naive',
    value: round(our.ms),
    unit: 'ms',
    baseline: round(naive.ms),
    ratio: round(ratio),
    goal: '≥ 20× faster than one regex per term',
    met: ratio >= 20,
    terms: terms.length,
    matches: ours,
    peerMatches: theirs,
  };
});
