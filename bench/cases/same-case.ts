/**
 * same-case: Find Articles About the Same Case… on 10,000 articles (issue 31): every article
 * profiled (a MinHash signature of its word 3-shingles, its force, sanction and officer spans),
 * then the corpus ranked against one article, as the command does; against the same on 1,000
 * articles. value: ms at 10,000; baseline: ms at 1,000; ratio = 10,000 / 1,000, about 10 when the
 * cost is linear in the corpus (no comparison of all pairs); goal ≤ 12×.
 * Also reported: `rankMs` (the ranking alone, profiles made) at 10,000.
 */
import { profileArticle, rankSameCase } from '../../src/core/cases/similar';
import { log, runCase } from '../lib/case';
import { article, pick, rng } from '../lib/inputs';
import { round, timeInTurns } from '../lib/timing';

const FORCES = ['metropolitan', 'kent', 'hampshire_and_isle_of_wight', 'staffordshire', 'derbyshire'];
const OUTCOMES = ['dismissal_without_notice', 'final_written_warning', 'would_have_been_dismissed', 'reflective_practice'];

function corpus(n: number, seed: number) {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => ({
    file: `a${i}.txt`,
    text: article(rand),
    spans: [
      { label: 'force', text: 'the force', type: pick(rand, FORCES) },
      { label: 'sanction', text: 'an outcome', type: pick(rand, OUTCOMES) },
      { label: 'officer', text: `PC ${pick(rand, ['Smith', 'Jones', 'Doe', 'Brown'])}` },
    ],
  }));
}

runCase(async () => {
  const small = corpus(1_000, 7);
  const large = corpus(10_000, 8);
  log('corpora of 1,000 and 10,000 articles made');
  const find = (articles: typeof small) => () => {
    const profiles = articles.map((a) => profileArticle(a.file, a.text, a.spans));
    return rankSameCase(profiles[0], profiles);
  };
  const [big, base] = await timeInTurns([find(large), find(small)], { warmup: 1, runs: 5 });
  const profiles = large.map((a) => profileArticle(a.file, a.text, a.spans));
  const [rank] = await timeInTurns([() => rankSameCase(profiles[0], profiles)], { warmup: 1, runs: 5 });
  const ratio = round(big.ms / base.ms, 2);
  return {
    case: 'same-case',
    value: round(big.ms, 1),
    unit: 'ms',
    baseline: round(base.ms, 1),
    ratio,
    goal: '10,000 articles ≤ 12× the 1,000 time (linear ≈ 10×)',
    met: ratio <= 12,
    rankMs: round(rank.ms, 2),
  };
});
