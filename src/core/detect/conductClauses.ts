/**
 * Allegations from clauses. News describes misconduct mostly as a clause ("was found to have
 * misused their contact details", "accused of using prostitutes", "an officer who stole cash
 * from a dead man's home"), not as a fixed term. After a trigger (found to have, accused of,
 * allegation that, admitted, convicted of, for / by + gerund in a misconduct sentence, officer
 * who + past verb …) the conduct clause is taken from its first word to the end of the clause:
 * a full stop, semicolon, colon, quote or bracket, a comma or "and" that opens a new clause, an
 * auxiliary starting the main predicate ("… have been cleared"), or a sanction. Coordinated
 * conduct ("took photographs … and shared them") gives one span per predicate.
 *
 * rules.ts calls `clausesIn` sentence by sentence and says where its sanctions and allegation terms
 * lie; `clauseType` types each clause, and `mergeCoordinated` joins coordinated allegation terms.
 */
import { CaseInsensitive, foldsToAscii, MatchRanges } from './caseInsensitive';
import { conductCategory, conductLexicon } from './conductLexicon';
import type { Match } from './detector';
import { type Token, tokenBoundary, tokenize } from './sentences';

// ---------------------------------------------------------------------------------------------
// Word classes

const AUX = new Set(['is', 'are', 'was', 'were', 'has', 'have', 'will', 'would', 'could', 'should', 'must', 'can', 'may', 'might', 'been', 'being']);
/** Words that open a new (subordinate or coordinate) clause: the conduct clause ends before them. */
const CLAUSE_OPENERS = new Set([
  'but', 'while', 'whilst', 'when', 'whenever', 'because', 'although', 'though', 'despite', 'after', 'before', 'until', 'unless',
  'which', 'whereas', 'so', 'if', 'whether', 'since', 'as', 'according', 'saying', 'adding', 'following', 'amid', 'where',
]);
const PRONOUNS = new Set(['he', 'she', 'they', 'it', 'i', 'we', 'you']);
const IRREGULAR_PAST = new Set(
  ('took sent gave made told met stole left wrote struck hit kept lied paid sought bought brought caught fought drove drank ate got had held knew lost ' +
    'put ran saw sold spent swore threw tore shot slept spoke bit beat broke let set hid fled forgot stuck rode grabbed sexted').split(' '),
);
/** Past forms that are not conduct after "officer who …" (careers, reporting, being acted upon). */
const NOT_CONDUCT = new Set(
  ('was were is are has have had joined served worked retired resigned led investigated said told added died lived came went became ' +
    'remained appeared attended arrived responded called reported admitted denied faced received started began used').split(' '),
);
const GENERIC_OBJECT = /^(?:(?:gross\s+)?misconduct(?!\s+in\s+(?:a\s+)?public\s+office)|wrong-?doing|the\s+(?:allegations?|charges?|offences?|offence|accusations?|claims?)|(?:an?\s+|the\s+)?(?:breach|breaches|breaching|breached)\s+(?:of\s+)?(?:the\s+)?(?:police\s+)?(?:professional\s+)?standards|(?:the\s+)?standards\s+of\s+professional\s+behaviour|an?\s+offence|criminal\s+offences|this|that|it|them|all|any|no|none|nothing|both|some|these|those|his\s+(?:conduct|behaviour|actions)|her\s+(?:conduct|behaviour|actions)|their\s+(?:conduct|behaviour|actions))\b/i;
const DANGLING = new Set(['in', 'at', 'of', 'the', 'a', 'an', 'and', 'or', 'to', 'with', 'for', 'by', 'on', 'from', 'into', 'his', 'her', 'their', 'its', 'that', 'who', 'during', 'while', 'had', 'has', 'have']);
const AMOUNTS_TO_MISCONDUCT = /\b(?:amount(?:ed|s)?|amounting)\s+to\s+(?:gross\s+)?misconduct\b/i;

/** Words with the ending of a past form, a gerund or an adverb that are none (Sets: these are asked for every token read). */
const NOT_PAST = new Set(['need', 'speed', 'bed', 'shed', 'red', 'seed', 'feed', 'greed', 'breed', 'creed', 'hundred']);
const NOT_GERUND = new Set(['during', 'nothing', 'something', 'anything', 'evening', 'morning', 'thing', 'things', 'string', 'building', 'meeting', 'hearing', 'briefing', 'ceiling', 'king', 'ring', 'spring', 'wing', 'bring', 'sing', 'policing', 'concerning', 'including', 'regarding', 'following', 'according', 'involving', 'being', 'serving', 'working', 'setting', 'training', 'funding', 'warning', 'ruling', 'finding', 'sentencing', 'offending', 'wrongdoing']);
const NOT_ADVERB = new Set(['family', 'only', 'early', 'july', 'italy', 'reply', 'supply', 'apply', 'holy', 'ugly', 'daily', 'elderly', 'weekly', 'monthly', 'likely']);
function isPast(w: string): boolean {
  const l = w.toLowerCase();
  return (l.length > 3 && l.endsWith('ed') && !NOT_PAST.has(l)) || IRREGULAR_PAST.has(l);
}
function isGerund(w: string): boolean {
  const l = w.toLowerCase();
  return l.length > 4 && l.endsWith('ing') && !NOT_GERUND.has(l);
}
function isAdverb(w: string): boolean {
  const l = w.toLowerCase();
  return l.length > 4 && l.endsWith('ly') && !NOT_ADVERB.has(l);
}

// ---------------------------------------------------------------------------------------------
// Allegation clauses

/**
 * Triggers, matched case-insensitively in a sentence; the conduct clause starts where the match
 * ends. `expect`: 'clause' — an optional subject and auxiliary, then a verb; 'verb' — a verb (or a
 * "to have" + verb); 'object' — a gerund or a noun phrase; 'gerund' — a gerund only, and only in a
 * sentence about misconduct.
 */
export interface Trigger {
  re: RegExp;
  /**
   * The words a match can start with (lower case): every match starts with one of them on a word
   * boundary, followed by a space or a comma. A trigger is tried only where one of them is.
   */
  heads: string;
  expect: 'clause' | 'verb' | 'object' | 'gerund';
  why: string;
}

const SUBJECT = String.raw`(?:he|she|they|staff|officers|the\s+(?:former\s+)?(?:officers?|constables?|pc|pcso|sergeant|detective|inspector|man|woman|men|women|staff)|(?:[A-Z][\p{L}'’-]+\s+){0,2}[A-Z][\p{L}'’-]+)`;
const OFFICER_NOUN = String.raw`(?:officers?|constables?|PCs?|PCSOs?|sergeants?|detectives?|inspectors?|policem[ae]n|policewom[ae]n|superintendents?|cops?|Officer)`;

export const TRIGGERS: readonly Trigger[] = [
  { re: /\baccused\s+of\s+/giu, heads: 'accused', expect: 'object', why: 'accused of' },
  { re: /\baccusations?\s+(?:of\s+)/giu, heads: 'accusation accusations', expect: 'object', why: 'accusation of' },
  { re: /\ballegations?,?\s+of\s+/giu, heads: 'allegation allegations', expect: 'object', why: 'allegation of' },
  {
    re: new RegExp(String.raw`\b(?:allegations?|accusations?|claims?|complaints?),?\s+(?:that\s+)?(?=${SUBJECT}\s)`, 'giu'),
    heads: 'allegation allegations accusation accusations claim claims complaint complaints',
    expect: 'clause',
    why: 'allegation that',
  },
  { re: new RegExp(String.raw`\balleged(?:ly)?\s+(?:that\s+(?=${SUBJECT}\s))?`, 'giu'), heads: 'alleged allegedly', expect: 'clause', why: 'alleged' },
  {
    re: /\b(?:was|were|is|are|been|being)\s+(?:also\s+)?(?:found|alleged|said|shown|proved|proven)\s+to\s+(?:have\s+(?:been\s+)?|be\s+)?/giu,
    heads: 'was were is are been being',
    expect: 'verb',
    why: 'found to have',
  },
  {
    re: new RegExp(String.raw`\b(?:found|concluded|determined|ruled|heard|told|established|accepted|decided|complained|claimed|said\s+(?:that\s+)?the\s+officers?)\s+(?:that\s+)?(?=${SUBJECT}\s)`, 'giu'),
    heads: 'found concluded determined ruled heard told established accepted decided complained claimed said',
    expect: 'clause',
    why: 'found that',
  },
  {
    re: new RegExp(String.raw`\b(?:looked\s+at|examined|considered|investigated|assessed)\s+whether\s+(?=${SUBJECT}\s)`, 'giu'),
    heads: 'looked examined considered investigated assessed',
    expect: 'clause',
    why: 'investigated whether',
  },
  {
    re: new RegExp(String.raw`\b(?:told|informed|heard\s+by)\s+(?:the\s+)?(?:hearing|panel|court|jury|tribunal|inquest|investigators|misconduct\s+hearing)\s+(?:that\s+)?(?=${SUBJECT}\s)`, 'giu'),
    heads: 'told informed heard',
    expect: 'clause',
    why: 'told the hearing that',
  },
  {
    re: /\b(?:admitted|admits|admitting|admit|denied|denies|denying|deny)\s+(?:to\s+)?(?=\p{L})/giu,
    heads: 'admitted admits admitting admit denied denies denying deny',
    expect: 'object',
    why: 'admitted / denied',
  },
  { re: /\b(?:guilty|convicted|accused|cleared|acquitted|suspected)\s+of\s+/giu, heads: 'guilty convicted accused cleared acquitted suspected', expect: 'object', why: 'guilty of' },
  {
    re: /\b(?:charged\s+with|pleaded\s+(?:not\s+)?guilty\s+to|pleads\s+(?:not\s+)?guilty\s+to|admitted\s+charges?\s+of)\s+/giu,
    heads: 'charged pleaded pleads admitted',
    expect: 'object',
    why: 'charged with',
  },
  {
    re: /\b(?:investigated|probed?|investigation|inquiry|sacked|dismissed|fired|jailed|disciplined|suspended|reprimanded|warned|punished|struck\s+off|barred|banned|removed)\s+(?:for|over|into)\s+(?=\p{L}+ing\b|allegedly|\p{L}+ly\s+\p{L}+ing\b)/giu,
    heads: 'investigated probe probed investigation inquiry sacked dismissed fired jailed disciplined suspended reprimanded warned punished struck barred banned removed',
    expect: 'gerund',
    why: 'sanctioned for',
  },
  { re: /\b(?:for|by|over|after)\s+(?=(?:\p{L}+ly\s+)?\p{L}+ing\b)/giu, heads: 'for by over after', expect: 'gerund', why: 'for / by + gerund' },
  { re: /\bafter\s+(?=(?:he|she|they)\s+(?:had\s+)?\p{L}+)/giu, heads: 'after', expect: 'clause', why: 'after he …' },
  {
    re: new RegExp(String.raw`\b${OFFICER_NOUN}\s+who\s+(?:had\s+)?(?=(?:\p{L}+ly\s+)?\p{L}+)`, 'gu'),
    heads:
      'officer officers constable constables pc pcs pcso pcsos sergeant sergeants detective detectives inspector inspectors policeman policemen policewoman policewomen superintendent superintendents cop cops',
    expect: 'verb',
    why: 'officer who …',
  },
];

/** Each trigger once more, sticky: tried at one offset, where one of its heads is. */
const STICKY = TRIGGERS.map((t) => new CaseInsensitive(new RegExp(t.re.source, t.re.flags.replace('g', 'y'))));

/** Head word → a bit for each trigger (by index) that can start with it. */
const TRIGGER_BITS = new Map<string, number>();
TRIGGERS.forEach((t, k) => {
  for (const head of t.heads.split(' ')) TRIGGER_BITS.set(head, (TRIGGER_BITS.get(head) ?? 0) | (1 << k));
});

/** Every head on a word boundary (the trailing \b: a head is followed by a space or a comma), for a text with ſ or K. */
const HEADS = new RegExp(String.raw`\b(?:${[...TRIGGER_BITS.keys()].join('|')})\b`, 'giu');

/** Where trigger heads start in a text: offsets, ascending, and for each the bits of the triggers it can start. */
export interface TriggerHeads {
  offsets: number[];
  bits: number[];
}

/** The heads in a trie of lower-case letters: 26 next nodes per node (0: none), and the bits of the head ending at each. */
const HEAD_NEXT: number[] = new Array<number>(26).fill(0);
const HEAD_BITS: number[] = [0];
for (const [head, b] of TRIGGER_BITS) {
  let node = 0;
  for (const ch of head) {
    const letter = ch.charCodeAt(0) - 0x61;
    if (!HEAD_NEXT[node * 26 + letter]) {
      HEAD_NEXT[node * 26 + letter] = HEAD_BITS.length;
      HEAD_BITS.push(0);
      HEAD_NEXT.push(...new Array<number>(26).fill(0));
    }
    node = HEAD_NEXT[node * 26 + letter];
  }
  HEAD_BITS[node] = b;
}

/** [A-Za-z0-9_]: a word character for \b in a regex without the u flag. */
function isAsciiWord(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

/**
 * The trigger heads of `text`. `exotic`: whether it `foldsToAscii`. Without ſ or K, what HEADS
 * finds is every whole word (a run of [A-Za-z0-9_]) that is a head in any case: read with the trie
 * above, without a match object and a lower-case copy per word.
 */
export function triggerHeads(text: string, exotic = foldsToAscii(text)): TriggerHeads {
  const offsets: number[] = [];
  const bits: number[] = [];
  if (!exotic) {
    const n = text.length;
    for (let i = 0; i < n; ) {
      let c = text.charCodeAt(i);
      if (!isAsciiWord(c)) {
        i++;
        continue;
      }
      const start = i;
      let node = 0;
      for (; i < n && isAsciiWord((c = text.charCodeAt(i))); i++) {
        if (node < 0) continue;
        const letter = (c | 0x20) - 0x61;
        node = letter >= 0 && letter < 26 ? HEAD_NEXT[node * 26 + letter] || -1 : -1;
      }
      if (node > 0 && HEAD_BITS[node]) {
        offsets.push(start);
        bits.push(HEAD_BITS[node]);
      }
    }
    return { offsets, bits };
  }
  const re = HEADS;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    // a head may be spelt with ſ ("accuſed")
    const b = TRIGGER_BITS.get(m[0].toLowerCase().replace(/\u017f/g, 's'));
    if (!b) continue;
    offsets.push(m.index);
    bits.push(b);
  }
  return { offsets, bits };
}

/** A trigger found in a sentence: which one (index in TRIGGERS), and the offset where its match ends. */
export interface TriggerHit {
  trigger: number;
  at: number;
}

/**
 * Every match of every trigger in a sentence, by trigger, then left to right: what `trigger.re.exec`
 * in a loop over the sentence finds, but each trigger is tried only where one of its heads starts,
 * and a gerund trigger only in a sentence about misconduct (`inContext`; `clausesIn` takes no other).
 * `exotic`: whether the sentence `foldsToAscii`. `heads`: the sentence's `triggerHeads`, or those of
 * the text it starts at offset `from` of, found once for all its sentences (then the character
 * before the sentence must not be a word character, so that \b means the same there).
 */
export function triggerHits(sentence: string, exotic = foldsToAscii(sentence), heads = triggerHeads(sentence, exotic), from = 0, inContext?: boolean): readonly TriggerHit[] {
  const { offsets, bits } = heads;
  const lo = firstAtOrAfter(offsets, from);
  const hi = firstAtOrAfter(offsets, from + sentence.length);
  let any = 0;
  for (let c = lo; c < hi; c++) any |= bits[c];
  if (!any) return NO_HITS;
  const out: TriggerHit[] = [];
  for (let k = 0; k < TRIGGERS.length; k++) {
    const bit = 1 << k;
    if (!(any & bit)) continue;
    if (TRIGGERS[k].expect === 'gerund' && !(inContext ??= misconductContext(sentence, exotic))) continue;
    const re = STICKY[k].pick(exotic);
    let free = 0;
    for (let c = lo; c < hi; c++) {
      const start = offsets[c] - from;
      // as exec in a loop: the next match starts where the last one ended
      if (!(bits[c] & bit) || start < free) continue;
      re.lastIndex = start;
      const m = re.exec(sentence);
      if (!m) continue;
      free = start + m[0].length;
      out.push({ trigger: k, at: free });
    }
  }
  return out;
}

/** What most sentences have: one shared empty list, not one allocated per sentence. */
const NO_HITS: readonly TriggerHit[] = [];

/** The index of the first value ≥ x in an ascending array. */
function firstAtOrAfter(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A sentence is about misconduct when it names a process, finding or outcome. */
const MISCONDUCT_CONTEXT = new CaseInsensitive(
  /\b(?:misconduct|dismiss\w*|sack\w*|jail\w*|hearing|panel|investigat\w*|allegation\w*|accused|IOPC|watchdog|disciplin\w*|guilty|convicted|charged|sentenced|barred|warning|proven|tribunal|court|abused|breach\w*|suspended|probe|arrested|standards)\b/giu,
);

/** Whether a sentence is about misconduct. `exotic`: whether it `foldsToAscii`. */
export function misconductContext(sentence: string, exotic = foldsToAscii(sentence)): boolean {
  const re = MISCONDUCT_CONTEXT.pick(exotic);
  re.lastIndex = 0;
  return re.test(sentence);
}

/**
 * The words that make a sentence about misconduct, found once in a whole text. Each is a whole
 * word, so a sentence has one of its own exactly when one lies inside it, unless a word runs
 * across the sentence's start or end.
 */
export function misconductContexts(text: string, exotic = foldsToAscii(text)): MatchRanges {
  return new MatchRanges(MISCONDUCT_CONTEXT.pick(exotic), text);
}

/**
 * The conduct clause starting at token k: [k, end) where it stops, and the token index where a
 * coordinated predicate starts (the next clause), if any.
 */
function clauseEnd(
  tokens: Token[],
  k: number,
  stopAt: (offset: number) => boolean,
  nounList = false,
  insideName: (offset: number) => boolean = () => false,
  termEdge: (before: number, after: number) => boolean = () => false,
): { end: number; next?: number } {
  const MAX = 26;
  let lastComma = -1;
  let i = k;
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    const l = t.text.toLowerCase();
    if (i > k && stopAt(t.start)) break;
    if (!t.word) {
      if (t.text === ',') {
        const n = tokens[i + 1]?.text.toLowerCase();
        if (n === undefined) break;
        if (n === 'and' || n === 'or') {
          const next = coordinated(tokens, i + 2);
          return { end: i, next };
        }
        if (CLAUSE_OPENERS.has(n) || PRONOUNS.has(n) || n === 'the' || n === 'who' || n === 'a' || AUX.has(n) || n === 'said' || n === 'including' || n === 'then' || /^[A-Z]/.test(tokens[i + 1].text)) break;
        lastComma = i;
        continue;
      }
      if (t.text === '/' || t.text === '&' || t.text === '£' || t.text === '$' || t.text === '%' || t.text === '€') continue;
      // officers' cars: a plural possessive, not a closing quote
      if ((t.text === "'" || t.text === '’') && i > k && tokens[i - 1].word && tokens[i - 1].end === t.start && /s$/i.test(tokens[i - 1].text) && tokens[i + 1]?.word && /^\p{Ll}/u.test(tokens[i + 1].text) && tokens[i + 1].start === t.end + 1) continue;
      break;
    }
    if (i > k && (AUX.has(l) || CLAUSE_OPENERS.has(l))) break;
    // "… in doing so", "… in so doing": the manner of what came before, not part of it
    if (i > k && l === 'in' && /^(?:doing|so)$/i.test(tokens[i + 1]?.text ?? '')) break;
    // "abused his position by engaging in …": the gerund after by / for is a clause of its own
    if (i > k && (l === 'by' || l === 'for') && tokens[i + 1] && (isGerund(tokens[i + 1].text) || (isAdverb(tokens[i + 1].text) && tokens[i + 2] && isGerund(tokens[i + 2].text)))) break;
    // in a list of offences ("theft and misconduct in public office") each is its own allegation
    if (i > k && nounList && (l === 'and' || l === 'or') && tokens[i + 1]?.word && !insideName(tokens[i].start) && termEdge(tokens[i - 1].end, tokens[i + 1].start)) {
      const n = tokens[i + 1].text.toLowerCase();
      if (AUX.has(n) || PRONOUNS.has(n) || CLAUSE_OPENERS.has(n) || n === 'then' || n === 'had') break;
      return { end: i, next: i + 1 };
    }
    if (i > k && (l === 'and' || l === 'or')) {
      const next = coordinated(tokens, i + 1);
      if (next !== undefined) return { end: i, next };
      const n = tokens[i + 1]?.text.toLowerCase();
      if (n && (AUX.has(n) || PRONOUNS.has(n) || n === 'then' || n === 'also' || n === 'later' || n === 'had')) break;
    }
    if (i - k >= MAX) {
      if (lastComma > k) i = lastComma;
      break;
    }
  }
  return { end: i };
}

/** Where a coordinated predicate starts after "and" (a verb, "to have" + verb, "then" + verb). */
function coordinated(tokens: Token[], j: number): number | undefined {
  let p = j;
  const word = (q: number) => tokens[q]?.text.toLowerCase();
  while (word(p) === 'then' || word(p) === 'also' || word(p) === 'later') p++;
  if (word(p) === 'to' && word(p + 1) === 'have') p += 2;
  else if (word(p) === 'had' && tokens[p + 1] && isPast(tokens[p + 1].text)) p++;
  if (tokens[p] && isAdverb(tokens[p].text) && tokens[p + 1] && (isPast(tokens[p + 1].text) || isGerund(tokens[p + 1].text))) return p;
  if (tokens[p] && tokens[p].word && (isPast(tokens[p].text) || isGerund(tokens[p].text)) && !AUX.has(word(p)!) && !NOT_CONDUCT_AFTER_AND.has(word(p)!)) return p;
  return undefined;
}
const NOT_CONDUCT_AFTER_AND = new Set(['was', 'were', 'had', 'has', 'said', 'told', 'added', 'resigned', 'retired', 'dismissed', 'sacked', 'jailed', 'arrested', 'charged', 'convicted', 'suspended', 'cleared', 'placed', 'given', 'received', 'referred', 'investigated', 'during', 'including', 'according']);

export interface Clause {
  start: number;
  end: number;
  why: string;
}

/** The first token of the conduct after a trigger, or -1 when what follows is not conduct. */
function conductStart(tokens: Token[], k: number, expect: Trigger['expect']): number {
  const word = (q: number) => tokens[q]?.text.toLowerCase();
  let p = k;
  if (expect === 'clause') {
    // skip the subject (pronoun, "the officer", a name) and an auxiliary before a participle
    if (word(p) === 'that') p++;
    if (PRONOUNS.has(word(p) ?? '') || word(p) === 'staff' || word(p) === 'officers') p++;
    else if (word(p) === 'the') {
      p++;
      if (word(p) === 'former') p++;
      p++;
    } else while (tokens[p] && /^\p{Lu}/u.test(tokens[p].text) && p - k < 3) p++;
    if (p === k) return -1;
    if ((word(p) === 'had' || word(p) === 'has' || word(p) === 'have') && tokens[p + 1] && (isPast(tokens[p + 1].text) || isAdverb(tokens[p + 1].text))) p++;
    else if (word(p) === 'had' && word(p + 1) === 'been') p += 2;
    expect = 'verb';
  }
  if (expect === 'verb') {
    if (word(p) === 'to' && word(p + 1) === 'have') p += 2;
    if (word(p) === 'been') p++;
    const t = tokens[p];
    if (!t || !t.word) return -1;
    const q = isAdverb(t.text) ? p + 1 : p;
    const v = tokens[q];
    if (!v) return -1;
    if (isPast(v.text) || isGerund(v.text)) return NOT_CONDUCT.has(v.text.toLowerCase()) && v.text.toLowerCase() !== 'had' ? -1 : p;
    // "found to have been a regular user of prostitutes", "found to be drunk on duty"
    if (/^(?:a|an)$/i.test(v.text) || /^(?:drunk|intoxicated|asleep|unfit|dishonest|untruthful|responsible|guilty)$/i.test(v.text)) return p;
    return -1;
  }
  if (expect === 'gerund') {
    const q = tokens[p] && isAdverb(tokens[p].text) ? p + 1 : p;
    if (word(q) === 'allegedly') return conductStart(tokens, q + 1, 'verb');
    return tokens[q] && isGerund(tokens[q].text) && !['being', 'having'].includes(word(q)!) ? p : tokens[q] && word(q) === 'having' && tokens[q + 1] && !isPast(tokens[q + 1].text) ? p : -1;
  }
  // object: a gerund or a noun phrase; "admitted that he …" / "admitted they …" is a clause
  const t = tokens[p];
  if (!t || !t.word) return -1;
  if (word(p) === 'that' || PRONOUNS.has(word(p)!)) return conductStart(tokens, p, 'clause');
  return p;
}

/** Allegation clauses in one sentence [from, to). `stopAt` tells where a sanction begins. */
export function clausesIn(
  text: string,
  from: number,
  to: number,
  stopAt: (offset: number) => boolean,
  insideName: (offset: number) => boolean,
  termEdge: (before: number, after: number) => boolean,
  sentence = text.slice(from, to),
  exotic = foldsToAscii(sentence),
  inContext = misconductContext(sentence, exotic),
  hits = triggerHits(sentence, exotic, undefined, 0, inContext),
): Clause[] {
  // most sentences have no trigger at all
  const used = hits.filter((hit) => TRIGGERS[hit.trigger].expect !== 'gerund' || inContext);
  if (!used.length) return [];
  // a clause is read from its trigger on: the words before the first trigger are not needed
  const tokens = tokenize(text, tokenBoundary(text, from, from + Math.min(...used.map((hit) => hit.at))), to);
  if (!tokens.length) return [];
  const indexAt = (offset: number) => {
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (tokens[mid].start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const out: Clause[] = [];
  const covered = (offset: number) => out.some((c) => c.start <= offset && offset < c.end);
  for (const hit of used) {
    const trigger = TRIGGERS[hit.trigger];
    const at = from + hit.at;
    if (covered(at)) continue;
    let k = indexAt(at);
    k = conductStart(tokens, k, trigger.expect);
    if (k < 0) continue;
    for (let guard = 0; k >= 0 && k < tokens.length && guard < 6; guard++) {
      const rest = text.slice(tokens[k].start, to);
      // "found to have a case to answer": an outcome, not conduct
      const outcomeNext = /^(?:a|an|the|no)$/i.test(tokens[k].text) && tokens[k + 1] !== undefined && stopAt(tokens[k + 1].start);
      if (GENERIC_OBJECT.test(rest) || stopAt(tokens[k].start) || outcomeNext) break;
      const nounList = trigger.expect === 'object' && !isGerund(tokens[k].text) && !isPast(tokens[k].text);
      const { end, next } = clauseEnd(tokens, k, stopAt, nounList, insideName, termEdge);
      let last = end;
      // no dangling preposition, article or conjunction at the end
      while (last > k + 1 && DANGLING.has(tokens[last - 1].text.toLowerCase())) last--;
      if (last > k) {
        const end = last;
        const start = tokens[k].start;
        const stop = tokens[end - 1].end;
        const words = tokens.slice(k, end).filter((t) => t.word).length;
        const clauseText = text.slice(start, stop);
        if (words >= 1 && !AMOUNTS_TO_MISCONDUCT.test(clauseText) && !covered(start)) out.push({ start, end: stop, why: trigger.why });
      }
      k = next ?? -1;
    }
  }
  return out;
}

/** The allegation type of a clause: a gazetteer allegation inside it, else a conduct category. */
export function clauseType(text: string, inside: readonly Match[]): string {
  const std = inside.find((m) => m.type.startsWith('std_'));
  const specific = inside.find((m) => !m.type.startsWith('std_'));
  if (specific) return specific.type;
  if (std) return std.type;
  return conductCategory(text) ?? conductLexicon().data.fallback;
}

/**
 * Two allegation terms joined by "and" / "or" / "to" (with at most two words before the
 * conjunction) describe one conduct: "bring discredit on the police service or undermine public
 * confidence", "shared racist and misogynistic messages", "failed in his duty to maintain
 * appropriate boundaries". They become one span with the first one's type.
 */
export function mergeCoordinated(text: string, allegations: readonly Match[]): Match[] {
  const out: Match[] = [];
  for (const m of allegations) {
    const prev = out[out.length - 1];
    const gap = prev && m.start >= prev.end ? text.slice(prev.end, m.start) : '';
    const joined =
      prev &&
      ((/^\s+to\s+$/u.test(gap) && m.start > prev.end) ||
        // "and" / "or" join one conduct only between terms of one type, and not before a new predicate
        (prev.type === m.type && /^(?:\s+[\p{L}]+){0,2}\s+(?:and|or|and\/or)\s+$/u.test(gap) && !isPast(m.text.split(/\s/)[0])));
    if (joined) {
      out[out.length - 1] = { ...prev, end: m.end, text: text.slice(prev.start, m.end) };
    } else out.push(m);
  }
  return out;
}
