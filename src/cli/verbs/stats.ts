import { computeCorpusStats } from '../../core/stats';
import { EXIT_OK, UsageError, Verb } from '../verb';

export const statsVerb: Verb = {
  name: 'stats',
  summary: 'count articles, annotated articles and annotations per label',
  help: [
    'Usage: misconduct-annotate stats <folder> [--json]',
    '',
    'Counts the articles (*.txt, *.md) under <folder>, how many are annotated, their progress',
    '(not started / in progress / done) and the annotations per label.',
    '',
    'Options:',
    '  --json   print one JSON object instead of a table',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run({ positionals, values }, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one folder');
    const stat = await io.fs.stat(positionals[0]);
    if (stat?.type !== 'directory') throw new UsageError(`${positionals[0]}: not a folder`);
    const stats = await computeCorpusStats(io.fs, positionals[0]);
    if (values.json) {
      io.out(JSON.stringify(stats, null, 2));
      return EXIT_OK;
    }
    io.out(`articles            ${stats.articles}`);
    io.out(`annotated articles  ${stats.annotatedArticles}`);
    io.out(`done                ${stats.status.done}`);
    io.out(`annotations         ${stats.annotations}`);
    for (const [label, n] of Object.entries(stats.labels)) io.out(`  ${label.padEnd(18)}${n}`);
    for (const bad of stats.invalid) io.err(`${bad.file}: ${bad.problem}`);
    return EXIT_OK;
  },
};
