import { computeCorpusStats } from '../../core/stats';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

export const statsVerb: Verb = {
  name: 'stats',
  summary: 'count articles, annotated articles, annotations per label, forces and allegation × sanction',
  help: [
    'Usage: misconduct-annotate stats <folder> [--json] [--include-duplicates]',
    '',
    'Counts the articles (*.txt, *.md) under <folder>, how many are annotated, their progress',
    '(not started / in progress / done), the annotations per label, the forces most often named',
    '(by gazetteer id, else the text) and, in --json, "allegationSanction": allegation type →',
    'sanction type → number of articles having both; from the case forms (the "document" of each',
    'sidecar): "codedArticles", "outcomeStandard" (outcome → standard → articles), "proceedingOutcome"',
    'and "officers" (officer_rank → officer_status → articles; "not_recorded" for a missing one).',
    '',
    'Options:',
    '  --json                 print one JSON object instead of a table',
    '  --include-duplicates   count near copies (sidecars with duplicateOf) too; by default they are',
    '                         left out of every count ("duplicates" says how many)',
    '',
    'Exit 0, or 1 when some sidecars are invalid (named on stderr; their articles count as not',
    'started) or an article or sidecar is left out (not a regular file, larger than 256 MiB, or a',
    'link to a file outside <folder>: one line each), 2 on usage errors.',
  ].join('\n'),
  options: { json: { type: 'boolean' }, 'include-duplicates': { type: 'boolean' } },
  async run({ positionals, values }, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one folder');
    const stat = await io.fs.stat(positionals[0]);
    if (stat?.type !== 'directory') throw new UsageError(`${positionals[0]}: not a folder`);
    const stats = await computeCorpusStats(io.fs, positionals[0], { includeDuplicates: values['include-duplicates'] === true });
    if (values.json) {
      io.out(JSON.stringify(stats, null, 2));
      for (const bad of stats.invalid) io.err(`${bad.file}: ${bad.problem}`);
      return stats.invalid.length ? EXIT_FAILED : EXIT_OK;
    }
    io.out(`articles            ${stats.articles}`);
    io.out(`annotated articles  ${stats.annotatedArticles}`);
    io.out(`done                ${stats.status.done}`);
    io.out(`annotations         ${stats.annotations}`);
    if (stats.duplicates) io.out(`near copies left out ${stats.duplicates} (--include-duplicates to count them)`);
    for (const [label, n] of Object.entries(stats.labels)) io.out(`  ${label.padEnd(18)}${n}`);
    const forces = Object.entries(stats.forces);
    if (forces.length) {
      io.out('forces named');
      const top = forces.slice(0, 10);
      const width = Math.max(18, ...top.map(([force]) => force.length + 2));
      for (const [force, n] of top) io.out(`  ${force.padEnd(width)}${n}`);
      if (forces.length > 10) io.out(`  … ${forces.length - 10} more (--json for all)`);
    }
    for (const bad of stats.invalid) io.err(`${bad.file}: ${bad.problem}`);
    // as validate does: invalid sidecars are counted as not started, and that must not pass silently
    return stats.invalid.length ? EXIT_FAILED : EXIT_OK;
  },
};
