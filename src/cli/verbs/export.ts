import * as nodePath from 'node:path';
import {
  EXPORT_FORMATS,
  exportDataset,
  ExportTargetError,
  ExportWarning,
  ExportWriteError,
  isExportFormat,
  outputPaths,
  parseSplit,
  SplitSpec,
  SplitSyntaxError,
} from '../../core/export';
import { LABEL_PATTERN } from '../../core/schema';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

/** The conventional exit status of a process stopped by Ctrl-C (128 + SIGINT). */
const EXIT_INTERRUPTED = 130;

export const exportVerb: Verb = {
  name: 'export',
  summary: 'write the annotations as a dataset (jsonl, conll, brat, webanno, labelstudio, csv, cases)',
  help: [
    'Usage: misconduct-annotate export <folder> --format <fmt> --out <path> [--labels a,b]',
    '                                  [--split 80,10,10 [--seed N]] [--include-unannotated]',
    '                                  [--include-duplicates] [--cases <dir>]',
    '',
    'Exports the annotated articles under <folder>. Offsets count Unicode code points everywhere.',
    '',
    'Formats (one per run):',
    '  jsonl        one JSON object per article: {"id", "text", "spans", "relations", "document", "cases", "meta"}',
    '               (spaCy, doccano, HF datasets); a relation\'s "from"/"to" index the line\'s "spans";',
    '               "cases": the ids of the case records whose evidence names the article',
    '  conll        CoNLL-2003 columns "TOKEN -X- _ TAG", IOB2 tags, -DOCSTART- per article',
    '  brat         a folder of <name>.txt + <name>.ann (T and R lines) and annotation.conf',
    '               (<name>: the id with / as __)',
    '  webanno      a W3C Web Annotation AnnotationCollection (JSON-LD); relations as "linking" annotations',
    '  labelstudio  Label Studio tasks (JSON array): "labels", "relation", and the form as "choices"/"textarea"',
    '  csv          one row per annotation: file,start,end,label,text,note,author,source (RFC 4180)',
    '  cases        the case table: a folder with cases.csv (one row per article: file, the form\'s',
    '               fields, n_<label> counts, force_ids, url, outlet, published), relations.csv (one row',
    '               per relation), case_records.csv (one row per case record: case_id, title, the',
    '               fields, n_articles, files) and case_evidence.csv (one row per piece of a case\'s evidence)',
    '',
    'Options:',
    '  --format <fmt>           the format (required)',
    '  --out <path>             the output file, or folder for brat and cases (required); replaced atomically',
    '  --labels a,b             export only these labels',
    '  --split 80,10,10         assign whole articles to train/dev/test (two numbers: train/test);',
    '                           writes <out> with the part before its extension (data.train.jsonl),',
    '                           or <out>/train/… for brat and cases',
    '  --seed N                 the split\'s seed (default 0); the same seed gives the same split',
    '  --include-unannotated    also export articles without annotations',
    '  --include-duplicates     also export near copies (sidecars with duplicateOf, see import)',
    '  --cases <dir>            the folder of case records (<id>.case.json) for jsonl and cases',
    '                           (default <folder>/cases); the walk over articles skips it',
    '  --force                  brat, cases: write into a folder that is not empty; only the files an earlier',
    '                           export wrote there (listed in its .misconduct-export.json) are removed,',
    '                           and a file it did not write is never replaced',
    '',
    'The output may not be inside the corpus folder.',
    '',
    'The relation types (brat) and the form\'s fields (cases, labelstudio) are the default codebook\'s,',
    'plus any found in the sidecars.',
    '',
    'Articles are exported when they have annotations or a filled form, or are marked done. Invalid sidecars are',
    'reported and their articles left out; orphaned annotations and spans CoNLL cannot hold are',
    'reported as warnings. Exit 0 when written, 1 when data problems were found (the export is',
    'still written), 2 on usage errors or when the output cannot be written (a full disk, no permission:',
    'one line naming the path; an earlier output there is kept), 130 when interrupted (nothing is written).',
  ].join('\n'),
  options: {
    format: { type: 'string' },
    out: { type: 'string' },
    labels: { type: 'string' },
    split: { type: 'string' },
    seed: { type: 'string' },
    'include-unannotated': { type: 'boolean' },
    'include-duplicates': { type: 'boolean' },
    force: { type: 'boolean' },
    cases: { type: 'string' },
  },
  async run({ positionals, values }, io) {
    if (positionals.length !== 1) throw new UsageError('name exactly one folder');
    const root = nodePath.resolve(io.cwd, positionals[0]);
    if ((await io.fs.stat(root))?.type !== 'directory') throw new UsageError(`${positionals[0]}: not a folder`);

    const format = values.format;
    if (typeof format !== 'string') throw new UsageError(`--format is required: one of ${EXPORT_FORMATS.join(', ')}`);
    if (format.includes(',')) throw new UsageError('--format takes one format per run; run export once per format');
    if (!isExportFormat(format)) throw new UsageError(`unknown format "${format}"; use one of ${EXPORT_FORMATS.join(', ')}`);
    if (typeof values.out !== 'string' || !values.out) throw new UsageError('--out is required');
    const out = nodePath.resolve(io.cwd, values.out);

    let labels: string[] | undefined;
    if (typeof values.labels === 'string') {
      labels = values.labels.split(',').map((l) => l.trim()).filter(Boolean);
      if (!labels.length) throw new UsageError('--labels needs at least one label');
      const bad = labels.filter((l) => !LABEL_PATTERN.test(l));
      if (bad.length) throw new UsageError(`not a label: ${bad.map((l) => `"${l}"`).join(', ')} (labels are lower-case: a-z, 0-9, "_", "-")`);
    }

    let split: SplitSpec | undefined;
    if (typeof values.split === 'string') {
      try {
        split = parseSplit(values.split);
      } catch (err) {
        if (err instanceof SplitSyntaxError) throw new UsageError(err.message);
        throw err;
      }
    }
    let seed = 0;
    if (typeof values.seed === 'string') {
      if (!split) throw new UsageError('--seed only makes sense with --split');
      if (!/^-?\d+$/.test(values.seed)) throw new UsageError(`--seed takes an integer; got "${values.seed}"`);
      seed = Number(values.seed);
    }

    if (values.cases !== undefined && (typeof values.cases !== 'string' || !values.cases)) throw new UsageError('--cases needs a folder');
    const casesFolder = typeof values.cases === 'string' ? nodePath.resolve(io.cwd, values.cases) : undefined;
    const casesInside = casesFolder !== undefined ? nodePath.relative(root, casesFolder) : undefined;
    // a cases folder inside the corpus is skipped by the walk; one outside leaves the walk as it is
    const walk = casesInside === undefined ? undefined : { casesFolder: casesInside && !casesInside.startsWith('..') && !nodePath.isAbsolute(casesInside) ? casesInside.split(nodePath.sep).join('/') : null };

    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    const report = (w: ExportWarning) => io.err(w.severity === 'error' ? `${w.file}: ${w.message}` : `${w.file}: warning: ${w.message}`);
    try {
      const summary = await exportDataset(io.fs, root, {
        format,
        out,
        labels,
        split,
        seed,
        includeUnannotated: values['include-unannotated'] === true,
        includeDuplicates: values['include-duplicates'] === true,
        force: values.force === true,
        casesFolder,
        walk,
        signal: controller.signal,
        onWarning: report,
        sink: io.exportSink,
      });
      const s = summary.skipped;
      io.err(`exported ${summary.articles} article(s), ${summary.spans} span(s) as ${format} to ${outputPaths(format, out, split).join(', ')}`);
      if (summary.relations) io.err(`  with ${summary.relations} relation(s) between them`);
      if (summary.cases) io.err(`  and ${summary.cases} case record(s)`);
      for (const [part, p] of Object.entries(summary.parts ?? {})) io.err(`  ${part.padEnd(6)}${p.articles} article(s), ${p.spans} span(s)`);
      io.err(`left out: ${s.unannotated} unannotated, ${s.invalid} with invalid sidecars, ${s.unreadable} unreadable article(s), ${s.orphaned} orphaned annotation(s)${s.duplicates ? `, ${s.duplicates} near cop${s.duplicates === 1 ? 'y' : 'ies'} (--include-duplicates)` : ''}`);
      if (summary.errors || summary.warnings) io.err(`${summary.errors} problem(s), ${summary.warnings} warning(s)`);
      return summary.errors ? EXIT_FAILED : EXIT_OK;
    } catch (err) {
      // exit 2 as docs/cli.md says; a full disk or a refused write needs no pointer to --help
      if (err instanceof ExportTargetError) throw new UsageError(err.message, !(err instanceof ExportWriteError));
      if (controller.signal.aborted) {
        io.err('export interrupted; nothing was written');
        return EXIT_INTERRUPTED;
      }
      throw err;
    } finally {
      process.removeListener('SIGINT', interrupt);
    }
  },
};
