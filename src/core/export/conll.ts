/**
 * CoNLL-2003 layout: four space-separated columns `TOKEN -X- _ TAG` with IOB2 tags, a
 * `-DOCSTART- -X- O O` line and a blank line before each article, a blank line after each
 * sentence. NLTK reads it with
 * `ConllCorpusReader(root, files, ('words', 'pos', 'ignore', 'chunk'))` and `.iob_sents()`
 * (the tag is in the column NLTK calls "chunk"; `-X-` stands in for the part of speech).
 *
 * Tokens, sentences and tags come from the shared rules in `tokens.ts`, so agreement computed by
 * `agree` matches agreement computed from these files. CoNLL has one tag per token: spans that
 * overlap a longer span are left out (the rule in tokens.ts) and reported here.
 */
import { bioTags, LabelledSpan, sentences } from '../tokens';
import { Annotation } from '../schema';
import { ExportArticle, ExportWarning, FormatDefinition } from './types';

/**
 * Characters the tokenizer keeps inside tokens but Python treats as white space or line breaks
 * (`str.split()`, `str.splitlines()`, which NLTK uses): written as U+FFFD so every line keeps its
 * four columns. The token count is unchanged.
 */
const PYTHON_ONLY_SPACE = /[\u001c-\u001f\u0085]/g;

export function conllToken(text: string): string {
  return text.replace(PYTHON_ONLY_SPACE, '\uFFFD');
}

export const DOCSTART = '-DOCSTART- -X- O O\n\n';

interface PlacedSpan extends LabelledSpan {
  annotation: Annotation;
}

function describe(a: Annotation): string {
  return `${a.id} (${a.label}) ${JSON.stringify(a.text)} at ${a.start}–${a.end}`;
}

/** The CoNLL text of one article, reporting spans it cannot represent. */
export function conllArticle(a: ExportArticle, warn: (w: ExportWarning) => void): string {
  const sents = sentences(a.text);
  const tokens = sents.flatMap((s) => s.tokens);
  // tokens.ts counts UTF-16 code units
  const spans: PlacedSpan[] = a.spans.map((s) => ({ start: a.map.toUtf16(s.start), end: a.map.toUtf16(s.end), label: s.label, annotation: s }));
  const { tags, dropped } = bioTags(tokens, spans);
  for (const d of dropped) {
    const noToken = !tokens.some((t) => t.start < d.end && t.end > d.start);
    warn({
      severity: 'warning',
      kind: noToken ? 'no-token' : 'overlap',
      file: a.id,
      message: noToken
        ? `conll: span ${describe(d.annotation)} covers no token and is left out`
        : `conll: span ${describe(d.annotation)} overlaps a longer span and is left out (CoNLL has one tag per token)`,
    });
  }
  const out: string[] = [DOCSTART];
  let i = 0;
  for (const sentence of sents) {
    const first = i;
    for (const token of sentence.tokens) {
      out.push(`${conllToken(token.text)} -X- _ ${tags[i]}\n`);
      i++;
    }
    if (tags[first]?.startsWith('I-')) {
      warn({
        severity: 'warning',
        kind: 'crosses-sentence',
        file: a.id,
        message: `conll: a ${tags[first].slice(2)} span continues across a sentence break before ${JSON.stringify(sentence.tokens[0].text)} (code point ${a.map.toCodePoint(sentence.tokens[0].start)}); the sentence starts with an I- tag`,
      });
    }
    out.push('\n');
  }
  return out.join('');
}

export const conllFormat: FormatDefinition = {
  kind: 'file',
  name: 'conll',
  extension: '.conll',
  create: (ctx) => ({
    start: () => [],
    article: (a) => [conllArticle(a, ctx.warn)],
    finish: () => [],
  }),
};
