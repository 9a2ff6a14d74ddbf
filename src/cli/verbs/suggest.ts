import { ArticleDecodeError, decodeArticle } from '../../core/article';
import { formatLeftOut, LeftOut, walkCorpus } from '../../core/corpus';
import { describeReadError, notRegularFile, readInputFile } from '../../core/fileSystem';
import { PhraseLearner } from '../../core/learn';
import { OffsetMap } from '../../core/offsets';
import { isSidecarPath, loadArticleSidecar } from '../../core/sidecar';
import { Annotation } from '../../core/schema';
import { suggestAll } from '../../core/suggest';
import { MODEL_HELP, MODEL_OPTIONS, runModelSuggest } from '../modelSuggest';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

/** TSV cannot hold a tab or a line break in a field; a name broken over lines keeps them escaped. */
function tsvField(s: string): string {
  return s.replace(/[\\\t\r\n]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\r': '\\r', '\n': '\\n' })[c]!);
}

/** An article's annotations by label, to ask whether a span overlaps one in O(log n). */
class Annotated {
  private readonly byLabel = new Map<string, { starts: number[]; reach: number[] }>();

  constructor(annotations: readonly Annotation[]) {
    const sorted = [...annotations].sort((a, b) => a.start - b.start);
    for (const a of sorted) {
      let l = this.byLabel.get(a.label);
      if (!l) this.byLabel.set(a.label, (l = { starts: [], reach: [] }));
      // reach: the furthest end among the annotations that start here or before
      l.reach.push(Math.max(a.end, l.reach[l.reach.length - 1] ?? -Infinity));
      l.starts.push(a.start);
    }
  }

  /** Whether an annotation with this label overlaps [start, end). */
  overlaps(label: string, start: number, end: number): boolean {
    const l = this.byLabel.get(label);
    if (!l) return false;
    // the annotations starting before `end`; one of them reaches past `start` if the furthest does
    let lo = 0;
    let hi = l.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (l.starts[mid] < end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && l.reach[lo - 1] > start;
  }
}

/** Output lines written a block at a time (one write per line was a tenth of the verb's time). */
class Lines {
  private block: string[] = [];

  constructor(private readonly io: { out(line: string): void }) {}

  add(line: string): void {
    this.block.push(line);
    if (this.block.length >= 1000) this.flush();
  }

  flush(): void {
    if (this.block.length) this.io.out(this.block.join('\n'));
    this.block = [];
  }
}

/** One line of `suggest --json`'s array. */
export interface Suggestion {
  file: string;
  start: number;
  end: number;
  label: string;
  type: string;
  text: string;
  source: string;
  reason: string;
}

export const suggestVerb: Verb = {
  name: 'suggest',
  summary: 'print the forces, bodies, ranks, allegations and sanctions the gazetteers, rules and corpus suggest',
  help: [
    'Usage: misconduct-annotate suggest <file-or-folder>... [--json] [--no-learn]',
    '       misconduct-annotate suggest <file-or-folder>... --model <base url> [--model-name NAME] [--json]',
    '',
    'Runs the detector over each article (folders are walked as by validate: *.txt and *.md) and',
    'prints one line per suggestion:',
    '  file<TAB>start<TAB>end<TAB>category<TAB>type<TAB>text<TAB>source',
    'Offsets count Unicode code points (as in sidecars); end is exclusive. Categories: force, body,',
    'rank, allegation, sanction (or any label learned from the sidecars); type is the gazetteer entry',
    'or allegation type id (e.g. metropolitan, dismissal_without_notice, data_misuse); source is',
    'gazetteer, rule (an allegation clause or a Standard named in a list) or learned (a phrase',
    'annotated in the sidecars found, suggested wherever it occurs and not already annotated).',
    'Tabs, line breaks and backslashes in text are written \\t, \\n, \\r, \\\\.',
    '',
    'Options:',
    '  --json      print one JSON array of {file, start, end, label, type, text, source, reason}',
    '  --no-learn  do not learn phrases from the sidecars found',
    ...MODEL_HELP,
    '',
    'Exit 0 when every article was read; 1 when one could not be read or decoded, or was left out',
    '(not a regular file, larger than 256 MiB, a link out of the folder walked: named on stderr, the',
    'others are still processed); 2 on a usage error or a path named that is not a regular file.',
  ].join('\n'),
  options: { json: { type: 'boolean' }, 'no-learn': { type: 'boolean' }, ...MODEL_OPTIONS },
  async run({ positionals, values }, io) {
    if (values.model !== undefined) return runModelSuggest({ positionals, values }, io);
    if (!positionals.length) throw new UsageError('name at least one article or folder');
    const articles: string[] = [];
    let failed = 0;
    const onLeftOut = (l: LeftOut) => {
      failed++;
      io.err(`misconduct-annotate suggest: ${formatLeftOut(l)}`);
    };
    for (const p of positionals) {
      const stat = await io.fs.stat(p);
      if (stat?.type === 'directory') for await (const e of walkCorpus(io.fs, p, { onLeftOut })) articles.push(e.articlePath);
      else if (stat && stat.type !== 'file') throw new UsageError(notRegularFile(p, stat.special).message, false);
      else articles.push(isSidecarPath(p) ? p.slice(0, -'.annotations.json'.length) : p);
    }
    const texts = new Map<string, string>();
    const own = new Map<string, readonly Annotation[]>();
    const learner = values['no-learn'] ? undefined : new PhraseLearner();
    for (const file of articles) {
      try {
        if (learner) {
          const state = await loadArticleSidecar(io.fs, file);
          texts.set(file, state.articleText);
          if (state.kind === 'ok') {
            learner.setArticle(file, { annotations: state.sidecar.annotations, rejected: state.sidecar.rejected });
            own.set(file, state.sidecar.annotations);
          } else if (state.kind === 'invalid') {
            io.err(`misconduct-annotate suggest: ${state.error.file}: not learned from (${state.error.problems[0]?.message ?? 'invalid'})`);
          }
        } else {
          texts.set(file, decodeArticle(await readInputFile(io.fs, file, 'article')));
        }
      } catch (err) {
        failed++;
        io.err(`misconduct-annotate suggest: ${err instanceof ArticleDecodeError ? `${file}: ${err.message}` : describeReadError(file, err)}`);
      }
    }
    const all: Suggestion[] = [];
    for (const [file, text] of texts) {
      const map = new OffsetMap(text);
      const annotated = new Annotated(own.get(file) ?? []);
      const name = tsvField(file);
      const lines = new Lines(io);
      for (const m of suggestAll(text, learner)) {
        const start = map.toCodePoint(m.start);
        const end = map.toCodePoint(m.end);
        // a learned phrase is not suggested where this article already has it with that label
        if (m.source === 'learned' && annotated.overlaps(m.category, start, end)) continue;
        if (values.json) all.push({ file, start, end, label: m.category, type: m.type, text: m.text, source: m.source, reason: m.reason });
        else lines.add(`${name}\t${start}\t${end}\t${m.category}\t${m.type}\t${tsvField(m.text)}\t${m.source}`);
      }
      lines.flush();
    }
    if (values.json) io.out(JSON.stringify(all, null, 2));
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};
