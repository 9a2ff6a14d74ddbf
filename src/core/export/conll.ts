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
import { codePointLength } from '../offsets';
import { ExportArticle, ExportWarning, FormatDefinition, StreamedExportArticle } from './types';

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

/**
 * The text tokenised at a time (a block grows when one sentence or one span is longer), and the
 * most characters handed on in one chunk. Both stay well under V8's large-object size (128 KB):
 * strings and arrays above it go straight to the old generation, and a 50 MB export then held
 * hundreds of megabytes of dead chunks until the next full collection.
 */
const BLOCK_CHARS = 1 << 14;
const CHUNK_CHARS = 1 << 14;

/** Where a writer is in one article: spans in UTF-16, the next block's start, the first span not yet placed. */
interface ArticleState {
  id: string;
  spans: PlacedSpan[];
  from: number;
  nextSpan: number;
  warn: (w: ExportWarning) => void;
}

function startArticle(id: string, spans: readonly Annotation[], toUtf16: (codePoint: number) => number, warn: (w: ExportWarning) => void): ArticleState {
  // tokens.ts counts UTF-16 code units; spans come sorted by start
  const placed: PlacedSpan[] = spans.map((s) => ({ start: toUtf16(s.start), end: toUtf16(s.end), label: s.label, annotation: s }));
  placed.sort((x, y) => x.start - y.start);
  return { id, spans: placed, from: 0, nextSpan: 0, warn };
}

function finishArticle(state: ArticleState): void {
  // spans after the last token (in trailing white space) cover no token
  for (const d of state.spans.slice(state.nextSpan)) {
    state.warn({ severity: 'warning', kind: 'no-token', file: state.id, message: `conll: span ${describe(d.annotation)} covers no token and is left out` });
  }
}

/**
 * The CoNLL text of one article as a stream of chunks, in memory proportional to a block of text,
 * not to the article: a 50 MB article on one line becomes ~10 million tokens, far more memory as
 * objects and lines at once than the input. The text is tokenised a block at a time with the shared
 * rules of tokens.ts: a block ends at the start of its last sentence (which is carried into the
 * next block, as it may be cut short), and never inside a span, so every sentence, token and tag
 * is the one the whole text gives.
 */
export function* conllChunks(a: ExportArticle, warn: (w: ExportWarning) => void): Generator<string> {
  const state = startArticle(a.id, a.spans, (cp) => a.map.toUtf16(cp), warn);
  const toCodePoint = (u: number) => a.map.toCodePoint(u);
  const text = a.text;
  yield DOCSTART;
  while (state.from < text.length) {
    for (let size = BLOCK_CHARS; ; size *= 2) {
      const to = Math.min(text.length, state.from + size);
      // one block per call: its tokens die with the call, before the consumer writes the chunks
      const chunks = conllBlock(text.slice(state.from, to), to === text.length, state, toCodePoint);
      if (chunks) {
        yield* chunks;
        break;
      }
    }
  }
  finishArticle(state);
}

/**
 * `conllChunks` over a text read a piece at a time (a long article is never held whole): the
 * blocks are cut exactly where `conllChunks` cuts them, from a window that holds the text from
 * the current block's start to a little past its end, so the output is the same to the byte.
 */
export async function* conllStream(a: StreamedExportArticle, warn: (w: ExportWarning) => void): AsyncGenerator<string> {
  const state = startArticle(a.id, a.spans, (cp) => a.toUtf16(cp), warn);
  const source = a.text()[Symbol.asyncIterator]();
  /** The text from UTF-16 offset `windowAt` on, as far as it has been read. */
  let window = '';
  let windowAt = 0;
  /** Code points before `windowAt` (never inside a surrogate pair: a block starts at a token). */
  let windowCodePoint = 0;
  let ended = false;
  /** Reads until the window reaches past `offset`, or the text ends: then `to === length` is known, as in conllChunks. */
  const readPast = async (offset: number) => {
    while (!ended && windowAt + window.length <= offset) {
      const next = await source.next();
      if (next.done) ended = true;
      else window += next.value;
    }
  };
  // what OffsetMap.toCodePoint gives: every whole pair before `u` counts one
  const toCodePoint = (u: number) => windowCodePoint + codePointLength(window.slice(0, u - windowAt));
  try {
    yield DOCSTART;
    for (;;) {
      await readPast(state.from);
      if (ended && state.from >= windowAt + window.length) break;
      for (let size = BLOCK_CHARS; ; size *= 2) {
        await readPast(state.from + size);
        const length = windowAt + window.length;
        const to = Math.min(length, state.from + size);
        const chunks = conllBlock(window.slice(state.from - windowAt, to - windowAt), ended && to === length, state, toCodePoint);
        if (chunks) {
          yield* chunks;
          break;
        }
      }
      // the window keeps only what the next block needs
      const written = window.slice(0, state.from - windowAt);
      windowCodePoint += codePointLength(written);
      window = window.slice(written.length);
      windowAt = state.from;
    }
  } finally {
    // an early stop (cancelled, a failed write) closes the file
    if (!ended) await source.return?.();
  }
  finishArticle(state);
}

/**
 * The CoNLL lines of the whole sentences of `piece` (the text from `state.from`; `last` when it
 * reaches the end of the text), in chunks; advances `state`. Undefined when no sentence can be
 * closed inside the piece (one sentence, or a span, is longer): the caller retries with a piece
 * twice as long.
 */
function conllBlock(piece: string, last: boolean, state: ArticleState, toCodePoint: (u: number) => number): string[] | undefined {
  const { spans, warn } = state;
  const from = state.from;
  const found = sentences(piece);
  let keep = last ? found.length : found.length - 1;
  // the cut (start of the first sentence left for the next block) must not fall inside a span
  const cutAt = (k: number) => from + found[k].tokens[0].start;
  const crosses = (cut: number) => {
    for (let i = state.nextSpan; i < spans.length && spans[i].start < cut; i++) if (spans[i].end > cut) return true;
    return false;
  };
  while (keep > 0 && keep < found.length && crosses(cutAt(keep))) keep--;
  // one sentence (or span) longer than the piece: read more
  if (keep <= 0 && !last) return undefined;
  const end = keep < found.length ? cutAt(keep) : from + piece.length;
  const sents = found.slice(0, keep);
  const tokens = sents.flatMap((sentence) => sentence.tokens);
  for (const t of tokens) {
    t.start += from;
    t.end += from;
  }
  let lastSpan = state.nextSpan;
  while (lastSpan < spans.length && spans[lastSpan].start < end) lastSpan++;
  const { tags, dropped } = bioTags(tokens, spans.slice(state.nextSpan, lastSpan));
  state.nextSpan = lastSpan;
  state.from = end;
  for (const d of dropped) {
    const noToken = !tokens.some((t) => t.start < d.end && t.end > d.start);
    warn({
      severity: 'warning',
      kind: noToken ? 'no-token' : 'overlap',
      file: state.id,
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
      // (conllToken is applied to the whole chunk below: the characters it replaces are never in a tag)
      const line = `${token.text} -X- _ ${tags[i++]}\n`;
      out.push(line);
      size += line.length;
      if (size >= CHUNK_CHARS) {
        chunks.push(conllToken(out.join('')));
        out = [];
        size = 0;
      }
    }
    if (tags[first]?.startsWith('I-')) {
      warn({
        severity: 'warning',
        kind: 'crosses-sentence',
        file: state.id,
        message: `conll: a ${tags[first].slice(2)} span continues across a sentence break before ${JSON.stringify(sentence.tokens[0].text)} (code point ${toCodePoint(sentence.tokens[0].start)}); the sentence starts with an I- tag`,
      });
    }
    out.push('\n');
    size++;
  }
  if (out.length) chunks.push(conllToken(out.join('')));
  return chunks;
}

export const conllFormat: FormatDefinition = {
  kind: 'file',
  name: 'conll',
  extension: '.conll',
  // a token line has its tag only: deriving each span's entity type would be work thrown away
  attributes: false,
  create: (ctx) => ({
    start: () => [],
    article: (a) => conllChunks(a, ctx.warn),
    articleStream: (a) => conllStream(a, ctx.warn),
    finish: () => [],
  }),
};
