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
  return [...conllChunks(a, warn)].join('');
}

/**
 * The text tokenised at a time (a block grows when one sentence or one span is longer), and the
 * most characters handed on in one chunk. Both stay well under V8's large-object size (128 KB):
 * strings and arrays above it go straight to the old generation, and a 50 MB export then held
 * hundreds of megabytes of dead chunks until the next full collection.
 */
const BLOCK_CHARS = 1 << 14;
const CHUNK_CHARS = 1 << 14;

/**
 * The CoNLL text of one article as a stream of chunks, in memory proportional to a block of text,
 * not to the article: a 50 MB article on one line becomes ~10 million tokens, which as objects
 * and lines at once took 48× the input. The text is tokenised a block at a time with the shared
 * rules of tokens.ts: a block ends at the start of its last sentence (which is carried into the
 * next block, as it may be cut short), and never inside a span, so every sentence, token and tag
 * is the one the whole text gives.
 */
export function* conllChunks(a: ExportArticle, warn: (w: ExportWarning) => void): Generator<string> {
  // tokens.ts counts UTF-16 code units; spans come sorted by start
  const spans: PlacedSpan[] = a.spans.map((s) => ({ start: a.map.toUtf16(s.start), end: a.map.toUtf16(s.end), label: s.label, annotation: s }));
  spans.sort((x, y) => x.start - y.start);
  const state = { from: 0, nextSpan: 0 };
  yield DOCSTART;
  while (state.from < a.text.length) {
    // one block per call: its tokens die with the call, before the consumer writes the chunks
    yield* conllBlock(a, spans, state, warn);
  }
  // spans after the last token (in trailing white space) cover no token
  for (const d of spans.slice(state.nextSpan)) {
    warn({ severity: 'warning', kind: 'no-token', file: a.id, message: `conll: span ${describe(d.annotation)} covers no token and is left out` });
  }
}

/** The CoNLL lines of the next block of whole sentences from `state.from`, in chunks; advances `state`. */
function conllBlock(a: ExportArticle, spans: readonly PlacedSpan[], state: { from: number; nextSpan: number }, warn: (w: ExportWarning) => void): string[] {
  const text = a.text;
  const from = state.from;
  let block = BLOCK_CHARS;
  for (;;) {
    const to = Math.min(text.length, from + block);
    const found = sentences(text.slice(from, to));
    let keep = to === text.length ? found.length : found.length - 1;
    // the cut (start of the first sentence left for the next block) must not fall inside a span
    const cutAt = (k: number) => from + found[k].tokens[0].start;
    const crosses = (cut: number) => {
      for (let i = state.nextSpan; i < spans.length && spans[i].start < cut; i++) if (spans[i].end > cut) return true;
      return false;
    };
    while (keep > 0 && keep < found.length && crosses(cutAt(keep))) keep--;
    if (keep <= 0 && to < text.length) {
      block *= 2; // one sentence (or span) longer than the block: read more
      continue;
    }
    const end = keep < found.length ? cutAt(keep) : text.length;
    const sents = found.slice(0, keep);
    const tokens = sents.flatMap((sentence) => sentence.tokens);
    for (const t of tokens) {
      t.start += from;
      t.end += from;
    }
    let last = state.nextSpan;
    while (last < spans.length && spans[last].start < end) last++;
    const { tags, dropped } = bioTags(tokens, spans.slice(state.nextSpan, last));
    state.nextSpan = last;
    state.from = end;
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
    const chunks: string[] = [];
    let out: string[] = [];
    let size = 0;
    let i = 0;
    for (const sentence of sents) {
      const first = i;
      for (const token of sentence.tokens) {
        const line = `${conllToken(token.text)} -X- _ ${tags[i++]}\n`;
        out.push(line);
        size += line.length;
        if (size >= CHUNK_CHARS) {
          chunks.push(out.join(''));
          out = [];
          size = 0;
        }
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
      size++;
    }
    if (out.length) chunks.push(out.join(''));
    return chunks;
  }
}

export const conllFormat: FormatDefinition = {
  kind: 'file',
  name: 'conll',
  extension: '.conll',
  create: (ctx) => ({
    start: () => [],
    article: (a) => conllChunks(a, ctx.warn),
    finish: () => [],
  }),
};
