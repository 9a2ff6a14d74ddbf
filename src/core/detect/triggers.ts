/**
 * Where allegation clauses start: the triggers ("found to have", "accused of", "officer who" …),
 * found in a sentence only where one of their head words is, and whether a sentence is about
 * misconduct. conductClauses.ts reads the clause after each trigger.
 */
import { CaseInsensitive, foldsToAscii, MatchRanges } from './caseInsensitive';
import { misspeltKeyWords } from './misspellings';

/**
 * Triggers, matched case-insensitively in a sentence; the conduct clause starts where the match
 * ends. `expect`: 'clause' — an optional subject and auxiliary, then a verb; 'verb' — a verb (or a
 * "to have" + verb); 'object' — a gerund or a noun phrase; 'gerund' — a gerund only, and only in a
 * sentence about misconduct; 'narrative' — the officer as the subject, then a past verb that
 * narrates what they did ("the officer pocketed …", "PC Smith sent …").
 */
export interface Trigger {
  re: RegExp;
  /**
   * The words a match can start with (lower case): every match starts with one of them on a word
   * boundary, followed by a space or a comma. A trigger is tried only where one of them is.
   */
  heads: string;
  expect: 'clause' | 'verb' | 'object' | 'gerund' | 'narrative';
  why: string;
}

/** Past forms that do not end in -ed. */
export const IRREGULAR_PAST = new Set(
  ('took sent gave made told met stole left wrote struck hit kept lied paid sought bought brought caught fought drove drank ate got had held knew lost ' +
    'put ran saw sold spent swore threw tore shot slept spoke bit beat broke let set hid fled forgot stuck rode grabbed sexted').split(' '),
);
/** A past form next, maybe after "had", "also", "then", "later" or an adverb: what a narrative trigger needs. */
const PAST_NEXT = String.raw`(?=(?:(?:had|also|then|later)\s+)?(?:\p{L}+ly\s+)?(?:\p{L}{2,}ed|${[...IRREGULAR_PAST].join('|')})\b)`;

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
    // what the panel, the judge or a report said of the officer ("the panel said she had ignored …")
    re: new RegExp(
      String.raw`(?<=\b(?:panel|chair|chairman|chairwoman|judge|court|hearing|tribunal|report|investigation|investigators|IOPC|ombudsman|inquiry|recorder)\s+(?:also\s+)?)(?:said|stated|noted)\s+(?:that\s+)?(?=${SUBJECT}\s)`,
      'giu',
    ),
    heads: 'said stated noted',
    expect: 'clause',
    why: 'the panel said that',
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
  {
    // "the officer", "the first officer", "the police constable": a plain narrative of the conduct
    re: new RegExp(String.raw`(?<=\bthe\s+(?:[a-z][a-z-]+\s+){0,2})(?:officers?|constables?|pcs?|pcsos?|sergeants?|detectives?|policem[ae]n|policewom[ae]n)(?:,\s+who\s+[^,.;:]{1,80},)?\s+${PAST_NEXT}`, 'giu'),
    heads: 'officer officers constable constables pc pcs pcso pcsos sergeant sergeants detective detectives policeman policemen policewoman policewomen',
    expect: 'narrative',
    why: 'the officer …',
  },
  {
    // a junior rank and a name ("PC Jane Smith", "DC Jones"): senior ranks are mostly the people quoted
    re: new RegExp(String.raw`\b(?:PC|PCSO|DC|DS|PS|Sgt|Sergeant|Constable|Detective\s+(?:Constable|Sergeant))\s+(?:[A-Z][\p{L}'’-]+\s+){0,1}[A-Z][\p{L}'’-]+(?:,\s+who\s+[^,.;:]{1,80},)?\s+(?=\p{Ll})${PAST_NEXT}`, 'gu'),
    heads: 'pc pcso dc ds ps sgt sergeant constable detective',
    expect: 'narrative',
    why: 'the officer …',
  },
];


/** Each trigger once more, sticky: tried at one offset, where one of its heads is. */
const STICKY = TRIGGERS.map((t) => new CaseInsensitive(new RegExp(t.re.source, t.re.flags.replace('g', 'y'))));

/** Head word → a bit for each trigger (by index) that can start with it. */
const TRIGGER_BITS = new Map<string, number>();
TRIGGERS.forEach((t, k) => {
  for (const head of t.heads.split(' ')) TRIGGER_BITS.set(head, (TRIGGER_BITS.get(head) ?? 0) | (1 << k));
});
/**
 * Misspelt key words (misspellings.ts) are looked up in the same walk over the words, but not in
 * the heads' trie (hundreds of them would make it too big to stay in the processor's cache): a
 * word is looked up only when its length, first and last letters are those of one of them.
 */
const MISSPELT = misspeltKeyWords();
const MISSPELT_SHAPE = new Uint8Array(32 * 26 * 26);
const shapeOf = (length: number, first: number, last: number) => (length * 26 + first) * 26 + last;
for (const w of MISSPELT.keys()) MISSPELT_SHAPE[shapeOf(w.length, w.charCodeAt(0) - 0x61, w.charCodeAt(w.length - 1) - 0x61)] = 1;

/** Whether text[start, end) (ASCII word characters) is a misspelt key word. */
function isMisspelt(text: string, start: number, end: number): boolean {
  const length = end - start;
  if (length < 3 || length >= 32) return false;
  const first = (text.charCodeAt(start) | 0x20) - 0x61;
  const last = (text.charCodeAt(end - 1) | 0x20) - 0x61;
  if (first < 0 || first >= 26 || last < 0 || last >= 26 || !MISSPELT_SHAPE[shapeOf(length, first, last)]) return false;
  return MISSPELT.has(text.slice(start, end).toLowerCase());
}

/** Every head on a word boundary (the trailing \b: a head is followed by a space or a comma), for a text with ſ or K. */
const HEADS = new RegExp(String.raw`\b(?:${[...TRIGGER_BITS.keys()].join('|')})\b`, 'giu');

/** Where trigger heads start in a text: offsets, ascending, and for each the bits of the triggers it can start. */
export interface TriggerHeads {
  offsets: number[];
  bits: number[];
  /** Where misspelt key words start, ascending. */
  misspelt: number[];
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
  const misspelt: number[] = [];
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
      } else if (isMisspelt(text, start, i)) misspelt.push(start);
    }
    return { offsets, bits, misspelt };
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
  // (a misspelt word may have ſ or K too: "dismiſed")
  for (const m of text.matchAll(/[A-Za-z\u017f\u212a]+/g)) if (MISSPELT.has(m[0].toLowerCase().replace(/\u017f/g, 's'))) misspelt.push(m.index);
  return { offsets, bits, misspelt };
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
