import * as nodePath from 'node:path';
import { ArticleDecodeError } from '../../core/article';
import { CASE_SUFFIX, CaseFileError, CaseRecord, checkEvidence, DEFAULT_CASES_FOLDER, listCases, parseCase, readCaseText } from '../../core/cases';
import { expandPaths, formatLeftOut } from '../../core/corpus';
import { describeReadError, InputFileError } from '../../core/fileSystem';
import { formatProblem, loadArticleSidecar } from '../../core/sidecar';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

export const validateVerb: Verb = {
  name: 'validate',
  summary: 'check every sidecar found against the schema and its article',
  help: [
    'Usage: misconduct-annotate validate <file-or-folder>... [--cases <dir>]',
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
    'Case records (docs/cases.md) are checked too: those of each folder\'s cases folder (<folder>/cases,',
    'or --cases <dir>) and any *.case.json named: the schema, a file named after its id, unique ids,',
    'and evidence whose article, annotation or relation is missing (one line naming the case and',
    'evidence ids; a quote that no longer matches its annotation is a warning).',
    '',
    'Prints one "file: problem" line per problem. Exit 0 when all are valid, 1 when any is not, 2 when',
    'a path named is missing or not a regular file or folder.',
  ].join('\n'),
  options: { cases: { type: 'string' } },
  async run({ positionals, values }, io) {
    if (!positionals.length) throw new UsageError('name at least one file or folder');
    if (values.cases !== undefined && (typeof values.cases !== 'string' || !values.cases)) throw new UsageError('--cases needs a folder');
    if (values.cases !== undefined && positionals.length !== 1) throw new UsageError('--cases goes with one folder');
    let entries;
    let bad = 0;
    const onLeftOut = (l: { path: string; reason: string }) => {
      bad++;
      io.out(formatLeftOut(l));
    };
    try {
      const sidecarPaths = positionals.filter((p) => !p.endsWith(CASE_SUFFIX));
      entries = await expandPaths(io.fs, sidecarPaths, { sidecarsWithoutArticle: true, onLeftOut, ...casesWalk(io.cwd, positionals, values.cases as string | undefined) });
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
    const cases = await validateCases(io, positionals, values.cases as string | undefined);
    if (cases.checked) io.err(`${cases.checked} case record(s) checked, ${cases.bad} problem(s)`);
    return bad || cases.bad ? EXIT_FAILED : EXIT_OK;
  },
};

/** The walk's cases folder when `--cases` names one inside the single folder given (else the default). */
function casesWalk(cwd: string, positionals: readonly string[], cases: string | undefined): { casesFolder?: string | null } {
  if (cases === undefined || positionals.length !== 1) return {};
  const rel = nodePath.relative(nodePath.resolve(cwd, positionals[0]), nodePath.resolve(cwd, cases));
  return { casesFolder: rel && !rel.startsWith('..') && !nodePath.isAbsolute(rel) ? rel.split(nodePath.sep).join('/') : null };
}

/**
 * Checks the case records of each folder named (its cases folder) and each case file named: one line
 * per problem on stdout, warnings on stderr.
 */
async function validateCases(io: Parameters<Verb['run']>[1], positionals: readonly string[], cases: string | undefined): Promise<{ checked: number; bad: number }> {
  let checked = 0;
  let bad = 0;
  const check = async (corpus: string, records: CaseRecord[]) => {
    checked += records.length;
    for (const p of await checkEvidence(io.fs, corpus, records)) {
      if (p.severity === 'error') {
        bad++;
        io.out(`${p.file}: ${p.message}`);
      } else io.err(`${p.file}: warning: ${p.message}`);
    }
  };
  for (const p of positionals) {
    const path = nodePath.resolve(io.cwd, p);
    if (p.endsWith(CASE_SUFFIX)) {
      // a case file named directly: its corpus is the folder above its cases folder
      try {
        const text = await readCaseText(io.fs, path);
        if (text === undefined) throw new UsageError(`${p}: no such file`);
        await check(nodePath.dirname(nodePath.dirname(path)), [parseCase(p, text)]);
      } catch (err) {
        if (!(err instanceof CaseFileError)) throw err;
        checked++;
        bad += err.problems.length;
        err.problems.forEach((line) => io.out(line));
      }
      continue;
    }
    if ((await io.fs.stat(path))?.type !== 'directory') continue;
    const folder = cases !== undefined && positionals.length === 1 ? nodePath.resolve(io.cwd, cases) : nodePath.join(path, DEFAULT_CASES_FOLDER);
    const listing = await listCases(io.fs, folder);
    bad += listing.problems.length;
    checked += listing.problems.length;
    listing.problems.forEach((line) => io.out(line));
    await check(path, listing.cases.map((c) => c.record));
  }
  return { checked, bad };
}
