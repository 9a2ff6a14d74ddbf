import { ArticleDecodeError, decodeArticle } from '../../core/article';
import { defaultDetector, toCodePointMatches } from '../../core/detect';
import { OffsetMap } from '../../core/offsets';
import { EXIT_FAILED, EXIT_OK, UsageError, Verb } from '../verb';

/** TSV cannot hold a tab or a line break in a field; a name broken over lines keeps them escaped. */
function tsvField(s: string): string {
  return s.replace(/[\\\t\r\n]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\r': '\\r', '\n': '\\n' })[c]!);
}

interface Suggestion {
  file: string;
  start: number;
  end: number;
  label: string;
  type: string;
  text: string;
}

export const suggestVerb: Verb = {
  name: 'suggest',
  summary: 'print the forces, bodies, ranks, allegations and sanctions the gazetteers find',
  help: [
    'Usage: misconduct-annotate suggest <article>... [--json]',
    '',
    'Runs the gazetteer detector over each article and prints one line per match:',
    '  file<TAB>start<TAB>end<TAB>category<TAB>type<TAB>text',
    'Offsets count Unicode code points (as in sidecars); end is exclusive. Categories: force, body,',
    'rank, allegation, sanction; type is the gazetteer entry id (e.g. metropolitan,',
    'dismissal_without_notice). Tabs, line breaks and backslashes in text are written \\t, \\n, \\r, \\\\.',
    '',
    'Options:',
    '  --json  print one JSON array of {file, start, end, label, type, text} instead',
    '',
    'Exit 0 when every article was read; 1 when one could not be read or decoded (named on stderr,',
    'the others are still processed); 2 on a usage error.',
  ].join('\n'),
  options: { json: { type: 'boolean' } },
  async run({ positionals, values }, io) {
    if (!positionals.length) throw new UsageError('name at least one article');
    const detector = defaultDetector();
    const all: Suggestion[] = [];
    let failed = 0;
    for (const file of positionals) {
      let text: string;
      try {
        text = decodeArticle(await io.fs.readFile(file));
      } catch (err) {
        failed++;
        const why = err instanceof ArticleDecodeError ? err.message : `cannot read it (${(err as Error).message})`;
        io.err(`misconduct-annotate suggest: ${file}: ${why}`);
        continue;
      }
      for (const m of toCodePointMatches(detector.detect(text), new OffsetMap(text))) {
        const s = { file, start: m.start, end: m.end, label: m.category, type: m.type, text: m.text };
        if (values.json) all.push(s);
        else io.out([tsvField(file), s.start, s.end, s.label, s.type, tsvField(s.text)].join('\t'));
      }
    }
    if (values.json) io.out(JSON.stringify(all, null, 2));
    return failed ? EXIT_FAILED : EXIT_OK;
  },
};
