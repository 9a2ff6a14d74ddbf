/**
 * The conduct lexicon (data/gazetteers/conduct.json): the names of the Standards of Professional
 * Behaviour with the cues that introduce them, and the conduct categories a description's words
 * fall under. Standards named in a list after "standards of", "breached …", in full or in part
 * ("authority, respect and courtesy; confidentiality, and discreditable conduct") are spans of
 * their own.
 */
import conductData from '../../../data/gazetteers/conduct.json';
import { CaseInsensitive, foldsToAscii } from './caseInsensitive';
import type { ConductData } from './dataSchemas';

interface StandardName {
  phrase: string;
  type: string;
}

let conduct:
  | {
      data: ConductData;
      names: StandardName[];
      /** A cue (global, to find them all) and the same to test a sentence for one. */
      cue: CaseInsensitive;
      cueTest: CaseInsensitive;
      /** The cues and the weak cues, to find them in a sentence the rules read; the weak cues alone, to test one. */
      anyCue: CaseInsensitive;
      weakTest: CaseInsensitive;
      categories: Array<{ type: string; re: CaseInsensitive }>;
      namesRe: RegExp;
      typeOf: (found: string) => string;
    }
  | undefined;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
}

/** The conduct lexicon (data/gazetteers/conduct.json; the unit tests validate it against its schema). */
export function conductLexicon(): NonNullable<typeof conduct> {
  if (conduct) return conduct;
  const data = conductData as ConductData;
  const names = data.standardNames.flatMap((s) => s.names.map((phrase) => ({ phrase, type: s.type }))).sort((a, b) => b.phrase.length - a.phrase.length);
  const cue = new CaseInsensitive(new RegExp(String.raw`\b(?:${data.standardCues.map(escapeRe).join('|')})\s+`, 'giu'));
  const categories = data.categories.map((c) => ({ type: c.type, re: new CaseInsensitive(new RegExp(String.raw`\b(?:${c.words.map(escapeRe).join('|')})\b`, 'iu')) }));
  // one alternation, longest name first: the first alternative that matches is the longest
  const namesRe = new RegExp(String.raw`^(?:${names.map((n) => escapeRe(n.phrase)).join('|')})(?![\p{L}\p{N}])`, 'iu');
  const byKey = new Map(names.map((n) => [n.phrase.toLowerCase().replace(/\s+/g, ' '), n.type]));
  const typeOf = (found: string) => byKey.get(found.toLowerCase().replace(/\s+/g, ' ')) ?? names[0].type;
  const cueTest = new CaseInsensitive(new RegExp(cue.unicode.source, 'iu'));
  const anyCue = new CaseInsensitive(new RegExp(String.raw`\b(?:${[...data.standardCues, ...data.weakCues].map(escapeRe).join('|')})\s+`, 'giu'));
  const weakTest = new CaseInsensitive(new RegExp(String.raw`\b(?:${data.weakCues.map(escapeRe).join('|')})\s+`, 'iu'));
  weak = new RegExp(String.raw`^(?:${data.weakCues.map(escapeRe).join('|')})\s+$`, 'i');
  return (conduct = { data, names, cue, cueTest, anyCue, weakTest, categories, namesRe, typeOf });
}

/**
 * Standards named after a standards cue or a weak cue in one sentence [from, to) (`sentence` is
 * its text): each name is a span with its type.
 */
export function standardsIn(text: string, from: number, to: number, sentence = text.slice(from, to)): Array<{ start: number; end: number; type: string }> {
  const lex = conductLexicon();
  const out: Array<{ start: number; end: number; type: string }> = [];
  const cue = lex.anyCue.pick(foldsToAscii(sentence));
  cue.lastIndex = 0;
  for (let m = cue.exec(sentence); m; m = cue.exec(sentence)) {
    let i = from + m.index + m[0].length;
    const isWeak = weak!.test(m[0]);
    // "breached the standards of professional behaviour relating to confidentiality"
    const lead = LEAD_IN.exec(text.slice(i, Math.min(to, i + 120)));
    if (lead) i += lead[0].length;
    for (let items = 0; items < 10; items++) {
      const connector = /^(?:\s|,|;|\band\b|\bor\b|\bthe\b|\bthat\s+of\b|\bstandards?\s+(?:of|for)\b|\bstandards?\b|\bof\b|\bfor\b)+/iu.exec(text.slice(i, to));
      if (connector && items > 0) i += connector[0].length;
      else if (connector && /^\s*(?:the\s+)?$/iu.test(connector[0])) i += connector[0].length;
      const hit = lex.namesRe.exec(text.slice(i, Math.min(to, i + 80)));
      if (!hit) break;
      // after a cue that is not about Standards ("a lack of respect for"), only a name that cannot mean anything else
      if (isWeak && !items && !lead && !/\s/.test(hit[0].trim()) && !UNAMBIGUOUS_NAMES.has(hit[0].toLowerCase())) break;
      const len = hit[0].length;
      out.push({ start: i, end: i + len, type: lex.typeOf(hit[0]) });
      i += len;
    }
  }
  return out;
}

/** A whole match of one of the weak cues (built with the lexicon). */
let weak: RegExp | undefined;
/** The one-word names of a Standard that mean nothing else in a misconduct report. */
const UNAMBIGUOUS_NAMES = new Set(['integrity', 'honesty', 'confidentiality']);
/** What may come between a cue and the names: the Standards' full title, then "relating to" and the like. */
const LEAD_IN = /^\s*(?:the\s+)?(?:(?:police\s+)?standards?\s+of\s+)?(?:professional\s+behaviour|professional\s+standards)\s+(?:relating\s+to|in\s+relation\s+to|in\s+respect\s+of|for|of|covering|concerning|regarding|around|on)\s+(?:the\s+)?(?:standards?\s+of\s+)?/iu;

/** The conduct category a description falls under by its words (conduct.json), or undefined. */
export function conductCategory(text: string): string | undefined {
  const exotic = foldsToAscii(text);
  return conductLexicon().categories.find((c) => c.re.pick(exotic).test(text))?.type;
}
