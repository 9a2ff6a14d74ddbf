import * as fsp from 'node:fs/promises';
import * as nodePath from 'node:path';
import { describeResult, describeSummary, importPages, MAX_PAGE_BYTES, NEAR_COPY_THRESHOLD } from '../../core/import';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

export const importVerb: Verb = {
  name: 'import',
  summary: 'turn saved web pages (.html, .htm) into articles with their source',
  help: [
    'Usage: misconduct-annotate import <files or folders>... --out <corpus folder>',
    '',
    'Each saved page (.html or .htm; folders are searched) becomes an article in the corpus folder:',
    'the headline as the first line, then the body\'s paragraphs separated by blank lines, without the',
    'navigation, share bars, related links, cookie notices, comments and image credits around them.',
    'Its sidecar records where it came from (`source`: url, outlet, title, published, retrieved,',
    'byline), read from the page\'s canonical link, og: tags, JSON-LD and <time>. The page\'s declared',
    'charset is honoured. Articles are named from the headline; nothing is written over (-2, -3 …).',
    '',
    'A page whose text the corpus already holds is skipped (an exact copy). A page that shares at',
    `least ${NEAR_COPY_THRESHOLD * 100}% of its 5-word shingles with an article (the same release on another site) is`,
    'imported and marked `duplicateOf` that article: it is left out of stats, export and agree unless',
    'they are given --include-duplicates.',
    '',
    'No script in a page runs and nothing is fetched. A page that is binary, larger than',
    `${MAX_PAGE_BYTES / 1024 / 1024} MiB or without article text is named in one line and skipped.`,
    '',
    'Prints one line per page, then the totals. Exit 0 when every page was imported or skipped as a',
    'copy, 1 when any could not be imported, 2 on a usage error.',
    '',
    'Options:',
    '  --out <folder>   the corpus folder to write the articles into (created when missing)',
  ].join('\n'),
  options: { out: { type: 'string' } },
  async run({ values, positionals }, io) {
    if (!positionals.length) throw new UsageError('name at least one saved page or folder of pages');
    if (typeof values.out !== 'string' || !values.out) throw new UsageError('--out <corpus folder> is required');
    const out = nodePath.resolve(io.cwd, values.out);
    const existing = await io.fs.stat(out);
    if (existing && existing.type !== 'directory') throw new UsageError(`--out ${values.out}: is not a folder`, false);
    if (!existing) await fsp.mkdir(out, { recursive: true });
    const inputs = positionals.map((p) => nodePath.resolve(io.cwd, p));
    const summary = await importPages(io.fs, inputs, out, {
      onResult: (r) => (r.kind === 'failed' ? io.err(describeResult({ ...r, page: nodePath.relative(io.cwd, r.page) || r.page })) : io.out(describeResult({ ...r, page: nodePath.relative(io.cwd, r.page) || r.page }))),
    });
    io.err(describeSummary(summary));
    return summary.failed ? EXIT_FAILED : EXIT_OK;
  },
};
