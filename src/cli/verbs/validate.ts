import { ArticleDecodeError } from '../../core/article';
import { expandPaths, formatLeftOut } from '../../core/corpus';
import { describeReadError, InputFileError } from '../../core/fileSystem';
import { formatProblem, loadArticleSidecar } from '../../core/sidecar';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

export const validateVerb: Verb = {
  name: 'validate',
  summary: 'check every sidecar found against the schema and its article',
  help: [
    'Usage: misconduct-annotate validate <file-or-folder>...',
    '',
    'Validates each sidecar (article.txt.annotations.json) found in the given files and folders:',
    'first against the schema, then against its article (offsets, quoted text, unique ids), and its',
    'relations (unique ids, both ends annotations of the sidecar; a problem names the relation id).',
    'A sidecar whose article has changed is re-anchored by quote; spans that cannot be found again',
    'are reported as orphaned (a warning, not an error). Nothing is written.',
    '',
    'A sidecar whose article is missing is a problem too, and so is an article or sidecar that is not',
    'a regular file (a FIFO, a device, a folder named like an article), is larger than 256 MiB, or is',
    'a link to a file outside the folder walked: each is named in one line and left out.',
    '',
    'Prints one "file: problem" line per problem. Exit 0 when all are valid, 1 when any is not, 2 when',
    'a path named is missing or not a regular file or folder.',
  ].join('\n'),
  options: {},
  async run({ positionals }, io) {
    if (!positionals.length) throw new UsageError('name at least one file or folder');
    let entries;
    let bad = 0;
    const onLeftOut = (l: { path: string; reason: string }) => {
      bad++;
      io.out(formatLeftOut(l));
    };
    try {
      entries = await expandPaths(io.fs, positionals, { sidecarsWithoutArticle: true, onLeftOut });
    } catch (err) {
      // a FIFO or device named here is no usage mistake --help could explain
      throw new UsageError((err as Error).message, !(err instanceof InputFileError));
    }
    let checked = 0;
    for (const entry of entries) {
      if (!entry.hasSidecar) continue;
      checked++;
      if (entry.articleMissing) {
        bad++;
        io.out(`${entry.sidecarPath}: its article ${JSON.stringify(entry.articlePath)} is missing (renamed or deleted?); move the sidecar beside it or delete it`);
        continue;
      }
      try {
        const state = await loadArticleSidecar(io.fs, entry.articlePath);
        if (state.kind === 'invalid') {
          bad++;
          state.error.problems.forEach((p) => io.out(formatProblem(p)));
        }
        if (state.kind === 'ok' && state.sidecar.conflicts?.length) {
          const n = state.sidecar.conflicts.length;
          io.err(`${entry.sidecarPath}: warning: ${n} unresolved merge conflict(s) recorded by the merge driver; resolve them with Accept Theirs / Keep Mine in the Annotations view`);
        }
        if (state.kind === 'ok' && state.reanchored) {
          const r = state.reanchored;
          io.err(`${entry.sidecarPath}: warning: the article changed since it was annotated; ${r.unchanged + r.moved} span(s) found again, ${r.orphaned.length} orphaned`);
          for (const o of r.orphaned) io.err(`${entry.sidecarPath}: warning: orphaned ${o.id} (${o.label}) ${JSON.stringify(o.text)}`);
        }
      } catch (err) {
        bad++;
        io.out(err instanceof ArticleDecodeError ? `${entry.articlePath}: ${err.message}` : describeReadError(entry.articlePath, err));
      }
    }
    io.err(`${checked} sidecar(s) checked, ${bad} with problems`);
    return bad ? EXIT_FAILED : EXIT_OK;
  },
};
