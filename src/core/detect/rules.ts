/**
 * Rules over the gazetteer matches: what turns a list of term hits into suggestions an annotator
 * can accept without fixing them (docs/guidelines.md says what a span is).
 *
 * 1. Allegations from clauses. News describes misconduct mostly as a clause ("was found to have
 *    misused their contact details", "accused of using prostitutes", "an officer who stole cash
 *    from a dead man's home"), not as a fixed term. After a trigger (found to have, accused of,
 *    allegation that, admitted, convicted of, for / by + gerund in a misconduct sentence, officer
 *    who + past verb …) the conduct clause is taken from its first word to the end of the clause:
 *    a full stop, semicolon, colon, quote or bracket, a comma or "and" that opens a new clause, an
 *    auxiliary starting the main predicate ("… have been cleared"), or a sanction. Coordinated
 *    conduct ("took photographs … and shared them") gives one span per predicate.
 * 2. Standards named in a list after "standards of", "breached …", in full or in part
 *    ("authority, respect and courtesy; confidentiality, and discreditable conduct").
 * 3. Filters: no allegation or sanction inside a longer name (a hyphenated word such as
 *    "Anti-Corruption", or a capitalised name of a unit, command or operation); generic mentions
 *    that name no allegation ("breach of the standards of professional behaviour") and steps
 *    that are not outcomes ("being investigated", "misconduct probe") are gazetteer entries
 *    marked `"suggest": false`; no span nested in or overlapping another of the same label.
 *
 * Everything here works on UTF-16 offsets of one text and is sentence-local, so a window of
 * whole lines gives the same results inside it as the full text.
 */
import allegationsData from '../../../data/gazetteers/allegations.json';
import conductData from '../../../data/gazetteers/conduct.json';
import type { ConductData } from './dataSchemas';
import type { Match } from './detector';

export type SuggestionSource = 'gazetteer' | 'rule' | 'learned';

/** A detector match with where it came from and why (shown in hovers and the sidebar). */
export interface RuledMatch extends Match {
  source: SuggestionSource;
  reason: string;
}

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

function isPast(w: string): boolean {
  const l = w.toLowerCase();
  return (l.length > 3 && l.endsWith('ed') && !['need', 'speed', 'bed', 'shed', 'red', 'seed', 'feed', 'greed', 'breed', 'creed', 'hundred'].includes(l)) || IRREGULAR_PAST.has(l);
}
function isGerund(w: string): boolean {
  const l = w.toLowerCase();
  return l.length > 4 && l.endsWith('ing') && !['during', 'nothing', 'something', 'anything', 'evening', 'morning', 'thing', 'things', 'string', 'building', 'meeting', 'hearing', 'briefing', 'ceiling', 'king', 'ring', 'spring', 'wing', 'bring', 'sing', 'policing', 'concerning', 'including', 'regarding', 'following', 'according', 'involving', 'being', 'serving', 'working', 'setting', 'training', 'funding', 'warning', 'ruling', 'finding', 'sentencing', 'offending', 'wrongdoing'].includes(l);
}
function isAdverb(w: string): boolean {
  const l = w.toLowerCase();
  return l.length > 4 && l.endsWith('ly') && !['family', 'only', 'early', 'july', 'italy', 'reply', 'supply', 'apply', 'holy', 'ugly', 'daily', 'elderly', 'weekly', 'monthly', 'likely'].includes(l);
}

// ---------------------------------------------------------------------------------------------
// Tokens and sentences

interface Token {
  text: string;
  start: number;
  end: number;
  word: boolean;
}

const TOKEN_RE = /[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}]|['’\-\u2010\u2011](?=[\p{L}\p{N}]))*|[^\s\p{L}\p{N}]/gu;

function tokenize(text: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  TOKEN_RE.lastIndex = 0;
  const slice = text.slice(from, to);
  for (let m = TOKEN_RE.exec(slice); m; m = TOKEN_RE.exec(slice)) {
    out.push({ text: m[0], start: from + m.index, end: from + m.index + m[0].length, word: /^[\p{L}\p{N}]/u.test(m[0]) });
  }
  return out;
}

const ABBREVIATIONS = new Set(['mr', 'mrs', 'ms', 'dr', 'st', 'no', 'sgt', 'insp', 'supt', 'det', 'ch', 'pc', 'dc', 'ds', 'di', 'co', 'ltd', 'vs', 'v']);

/** Sentences as [start, end) UTF-16 ranges: a line break, or . ! ? followed by a space or quote. */
export function sentences(text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  const push = (end: number) => {
    if (text.slice(start, end).trim()) out.push([start, end]);
    start = end;
  };
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // only line breaks, sentence ends and (in a long run) spaces matter
    if (code !== 10 && code !== 13 && code !== 46 && code !== 33 && code !== 63 && code !== 32) continue;
    const c = text[i];
    // a text without sentence ends is cut every 2,000 characters (at a space), to bound the work
    if (c === ' ') {
      if (i - start > 2000) push(i);
      continue;
    }
    if (c === '\n' || c === '\r') {
      push(i + 1);
    } else if (i + 1 >= text.length || /[\s"'’”]/.test(text[i + 1])) {
      const word = /([\p{L}]+)$/u.exec(text.slice(Math.max(start, i - 6), i));
      if (c === '.' && word && ABBREVIATIONS.has(word[1].toLowerCase())) continue;
      push(i + 1);
    }
  }
  push(text.length);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Allegation clauses

/**
 * Triggers, matched case-insensitively in a sentence; the conduct clause starts where the match
 * ends. `expect`: 'clause' — an optional subject and auxiliary, then a verb; 'verb' — a verb (or a
 * "to have" + verb); 'object' — a gerund or a noun phrase; 'gerund' — a gerund only, and only in a
 * sentence about misconduct.
 */
interface Trigger {
  re: RegExp;
  expect: 'clause' | 'verb' | 'object' | 'gerund';
  why: string;
}

const SUBJECT = String.raw`(?:he|she|they|staff|officers|the\s+(?:former\s+)?(?:officers?|constables?|pc|pcso|sergeant|detective|inspector|man|woman|men|women|staff)|(?:[A-Z][\p{L}'’-]+\s+){0,2}[A-Z][\p{L}'’-]+)`;
const OFFICER_NOUN = String.raw`(?:officers?|constables?|PCs?|PCSOs?|sergeants?|detectives?|inspectors?|policem[ae]n|policewom[ae]n|superintendents?|cops?|Officer)`;

const TRIGGERS: Trigger[] = [
  { re: /\baccused\s+of\s+/giu, expect: 'object', why: 'accused of' },
  { re: /\baccusations?\s+(?:of\s+)/giu, expect: 'object', why: 'accusation of' },
  { re: /\ballegations?,?\s+of\s+/giu, expect: 'object', why: 'allegation of' },
  { re: new RegExp(String.raw`\b(?:allegations?|accusations?|claims?|complaints?),?\s+(?:that\s+)?(?=${SUBJECT}\s)`, 'giu'), expect: 'clause', why: 'allegation that' },
  { re: new RegExp(String.raw`\balleged(?:ly)?\s+(?:that\s+(?=${SUBJECT}\s))?`, 'giu'), expect: 'clause', why: 'alleged' },
  { re: /\b(?:was|were|is|are|been|being)\s+(?:also\s+)?(?:found|alleged|said|shown|proved|proven)\s+to\s+(?:have\s+(?:been\s+)?|be\s+)?/giu, expect: 'verb', why: 'found to have' },
  { re: new RegExp(String.raw`\b(?:found|concluded|determined|ruled|heard|told|established|accepted|decided|complained|claimed|said\s+(?:that\s+)?the\s+officers?)\s+(?:that\s+)?(?=${SUBJECT}\s)`, 'giu'), expect: 'clause', why: 'found that' },
  { re: new RegExp(String.raw`\b(?:looked\s+at|examined|considered|investigated|assessed)\s+whether\s+(?=${SUBJECT}\s)`, 'giu'), expect: 'clause', why: 'investigated whether' },
  { re: new RegExp(String.raw`\b(?:told|informed|heard\s+by)\s+(?:the\s+)?(?:hearing|panel|court|jury|tribunal|inquest|investigators|misconduct\s+hearing)\s+(?:that\s+)?(?=${SUBJECT}\s)`, 'giu'), expect: 'clause', why: 'told the hearing that' },
  { re: /\b(?:admitted|admits|admitting|admit|denied|denies|denying|deny)\s+(?:to\s+)?(?=\p{L})/giu, expect: 'object', why: 'admitted / denied' },
  { re: /\b(?:guilty|convicted|accused|cleared|acquitted|suspected)\s+of\s+/giu, expect: 'object', why: 'guilty of' },
  { re: /\b(?:charged\s+with|pleaded\s+(?:not\s+)?guilty\s+to|pleads\s+(?:not\s+)?guilty\s+to|admitted\s+charges?\s+of)\s+/giu, expect: 'object', why: 'charged with' },
  { re: /\b(?:investigated|probed?|investigation|inquiry|sacked|dismissed|fired|jailed|disciplined|suspended|reprimanded|warned|punished|struck\s+off|barred|banned|removed)\s+(?:for|over|into)\s+(?=\p{L}+ing\b|allegedly|\p{L}+ly\s+\p{L}+ing\b)/giu, expect: 'gerund', why: 'sanctioned for' },
  { re: /\b(?:for|by|over|after)\s+(?=(?:\p{L}+ly\s+)?\p{L}+ing\b)/giu, expect: 'gerund', why: 'for / by + gerund' },
  { re: /\bafter\s+(?=(?:he|she|they)\s+(?:had\s+)?\p{L}+)/giu, expect: 'clause', why: 'after he …' },
  { re: new RegExp(String.raw`\b${OFFICER_NOUN}\s+who\s+(?:had\s+)?(?=(?:\p{L}+ly\s+)?\p{L}+)`, 'gu'), expect: 'verb', why: 'officer who …' },
];

/** Any trigger (a superset: case-insensitive): one scan to skip the sentences without one. */
const ANY_TRIGGER = new RegExp(TRIGGERS.map((t) => `(?:${t.re.source})`).join('|'), 'iu');

/** A sentence is about misconduct when it names a process, finding or outcome. */
const MISCONDUCT_CONTEXT = /\b(?:misconduct|dismiss\w*|sack\w*|jail\w*|hearing|panel|investigat\w*|allegation\w*|accused|IOPC|watchdog|disciplin\w*|guilty|convicted|charged|sentenced|barred|warning|proven|tribunal|court|abused|breach\w*|suspended|probe|arrested|standards)\b/iu;

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

interface Clause {
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
function clausesIn(
  text: string,
  from: number,
  to: number,
  stopAt: (offset: number) => boolean,
  insideName: (offset: number) => boolean,
  termEdge: (before: number, after: number) => boolean,
): Clause[] {
  const sentence = text.slice(from, to);
  // a cheap test first: most sentences have no trigger at all
  if (!ANY_TRIGGER.test(sentence)) return [];
  const tokens = tokenize(text, from, to);
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
  const inContext = MISCONDUCT_CONTEXT.test(sentence);
  const out: Clause[] = [];
  const covered = (offset: number) => out.some((c) => c.start <= offset && offset < c.end);
  for (const trigger of TRIGGERS) {
    if (trigger.expect === 'gerund' && !inContext) continue;
    trigger.re.lastIndex = 0;
    for (let m = trigger.re.exec(sentence); m; m = trigger.re.exec(sentence)) {
      const at = from + m.index + m[0].length;
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
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Standards named in lists

interface StandardName {
  phrase: string;
  type: string;
}

export type { ConductData } from './dataSchemas';

let conduct:
  | { data: ConductData; names: StandardName[]; cue: RegExp; cueTest: RegExp; categories: Array<{ type: string; re: RegExp }>; namesRe: RegExp; typeOf: (found: string) => string }
  | undefined;

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+');
}

/** The conduct lexicon (data/gazetteers/conduct.json; the unit tests validate it against its schema). */
export function conductLexicon(): NonNullable<typeof conduct> {
  if (conduct) return conduct;
  const data = conductData as ConductData;
  const names = data.standardNames.flatMap((s) => s.names.map((phrase) => ({ phrase, type: s.type }))).sort((a, b) => b.phrase.length - a.phrase.length);
  const cue = new RegExp(String.raw`\b(?:${data.standardCues.map(escapeRe).join('|')})\s+`, 'giu');
  const categories = data.categories.map((c) => ({ type: c.type, re: new RegExp(String.raw`\b(?:${c.words.map(escapeRe).join('|')})\b`, 'iu') }));
  // one alternation, longest name first: the first alternative that matches is the longest
  const namesRe = new RegExp(String.raw`^(?:${names.map((n) => escapeRe(n.phrase)).join('|')})(?![\p{L}\p{N}])`, 'iu');
  const byKey = new Map(names.map((n) => [n.phrase.toLowerCase().replace(/\s+/g, ' '), n.type]));
  const typeOf = (found: string) => byKey.get(found.toLowerCase().replace(/\s+/g, ' ')) ?? names[0].type;
  const cueTest = new RegExp(cue.source, 'iu');
  return (conduct = { data, names, cue, cueTest, categories, namesRe, typeOf });
}

/** Standards named after a standards cue in one sentence: each name is a span with its type. */
function standardsIn(text: string, from: number, to: number): Array<{ start: number; end: number; type: string }> {
  const lex = conductLexicon();
  const sentence = text.slice(from, to);
  const out: Array<{ start: number; end: number; type: string }> = [];
  lex.cue.lastIndex = 0;
  for (let m = lex.cue.exec(sentence); m; m = lex.cue.exec(sentence)) {
    let i = from + m.index + m[0].length;
    for (let items = 0; items < 10; items++) {
      const connector = /^(?:\s|,|;|\band\b|\bor\b|\bthe\b|\bthat\s+of\b|\bstandards?\s+(?:of|for)\b|\bstandards?\b|\bof\b|\bfor\b)+/iu.exec(text.slice(i, to));
      if (connector && items > 0) i += connector[0].length;
      else if (connector && /^\s*(?:the\s+)?$/iu.test(connector[0])) i += connector[0].length;
      const hit = lex.namesRe.exec(text.slice(i, Math.min(to, i + 80)));
      if (!hit) break;
      const len = hit[0].length;
      out.push({ start: i, end: i + len, type: lex.typeOf(hit[0]) });
      i += len;
    }
  }
  return out;
}

/** The conduct category a description falls under by its words (conduct.json), or undefined. */
export function conductCategory(text: string): string | undefined {
  return conductLexicon().categories.find((c) => c.re.test(text))?.type;
}

/** The allegation type of a clause: a gazetteer allegation inside it, else a conduct category. */
function clauseType(text: string, inside: readonly Match[]): string {
  const std = inside.find((m) => m.type.startsWith('std_'));
  const specific = inside.find((m) => !m.type.startsWith('std_'));
  if (specific) return specific.type;
  if (std) return std.type;
  const lex = conductLexicon();
  return lex.categories.find((c) => c.re.test(text))?.type ?? lex.data.fallback;
}

// ---------------------------------------------------------------------------------------------
// Filters

/** Words that end a name of a unit, command, team or operation. */
const NAME_HEADS = /^(?:Command|Unit|Team|Squad|Department|Directorate|Branch|Group|Taskforce|Division|Service|Committee|Inquiry|Review|Panel|Board|Office|Agency|Centre|Network|Hub|Programme|Project|Campaign|Act|Bill|Commission)$/u;
const NAME_GLUE = /^(?:and|of|for|the|&|on|in)$/iu;

/**
 * Whether [start, end) lies inside a longer name: joined by a hyphen to a word ("Anti-Corruption",
 * "corruption-busting"), or a capitalised run of words that starts with "Operation" or ends in a
 * name word ("Anti-Corruption and Abuse Command", "Professional Standards Department").
 */
export function insideLongerName(text: string, start: number, end: number): boolean {
  const before = text.slice(Math.max(0, start - 2), start);
  const after = text.slice(end, end + 2);
  if (/[\p{L}\p{N}][-\u2010\u2011]$/u.test(before) || /^[-\u2010\u2011][\p{L}\p{N}]/u.test(after)) return true;
  if (!/^\p{Lu}/u.test(text.slice(start, end))) return false;
  // the capitalised run around the match, on this line
  // the line around it, at most 200 characters either side (bounded work on a text without breaks)
  const from = Math.max(0, start - 200);
  const lineStart = from + text.slice(from, start).lastIndexOf('\n') + 1;
  const ahead = text.slice(end, end + 200);
  const lineEnd = ahead.includes('\n') ? end + ahead.indexOf('\n') : Math.min(text.length, end + 200);
  const words = tokenize(text, lineStart, lineEnd).filter((t) => t.word);
  const first = words.findIndex((w) => w.end > start);
  let last = first;
  while (last + 1 < words.length && words[last + 1].start < end) last++;
  if (first < 0) return false;
  let a = first;
  while (a > 0 && (/^\p{Lu}/u.test(words[a - 1].text) || (NAME_GLUE.test(words[a - 1].text) && a > 1 && /^\p{Lu}/u.test(words[a - 2].text)))) a--;
  let b = last;
  while (b + 1 < words.length && (/^\p{Lu}/u.test(words[b + 1].text) || (NAME_GLUE.test(words[b + 1].text) && b + 2 < words.length && /^\p{Lu}/u.test(words[b + 2].text)))) b++;
  // sentence case headlines capitalise their first word only: a run that is just the match is no name
  if (a === first && b === last) return false;
  const run = words.slice(a, b + 1).map((w) => w.text);
  return run[0] === 'Operation' || run[0] === 'Op' || NAME_HEADS.test(run[run.length - 1]) || run.some((w, i) => i > 0 && NAME_HEADS.test(w) && a + i > last);
}

// ---------------------------------------------------------------------------------------------
// Entries that are not suggested

/** `category:type` of the gazetteer entries marked `"suggest": false`: detected, never suggested. */
export function unsuggestedEntries(gazetteers: ReadonlyArray<{ category: string; entries: ReadonlyArray<Record<string, unknown>> }>): Set<string> {
  const set = new Set<string>();
  for (const g of gazetteers) for (const e of g.entries) if (e.suggest === false) set.add(`${g.category}:${String(e.id)}`);
  return set;
}

// ---------------------------------------------------------------------------------------------
// The pipeline

/** Readable names of allegation entries, for reasons. */
const allegationNames = new Map<string, string>((allegationsData as { entries: Array<{ id: string; name: string }> }).entries.map((e) => [e.id, e.name]));

export interface RuleOptions {
  /** `category:type` keys of gazetteer entries that are detected but not suggested. */
  unsuggested: ReadonlySet<string>;
  /** Names of gazetteer entries, for the reason of a gazetteer suggestion. */
  entryName: (category: string, type: string) => string | undefined;
}

/**
 * Gazetteer matches (all categories, UTF-16 offsets, sorted) → suggestions: filtered, with the
 * allegation clauses and standards added, each with its source and reason, sorted by start.
 */
export function applyRules(text: string, matches: readonly Match[], options: RuleOptions): RuledMatch[] {
  const out: RuledMatch[] = [];
  // Sentence by sentence, with the matches that start in it (matches are sorted by start): every
  // rule is local, so the whole pass stays linear in the text (a 50 MB article in seconds).
  let next = 0;
  for (const [from, to] of sentences(text)) {
    const local: Match[] = [];
    while (next < matches.length && matches[next].start < to) {
      const m = matches[next++];
      if (!options.unsuggested.has(`${m.category}:${m.type}`)) local.push(m);
    }
    if (!local.some((m) => m.category === 'allegation' || m.category === 'sanction') && !ANY_TRIGGER.test(text.slice(from, to)) && !conductLexicon().cueTest.test(text.slice(from, to))) {
      for (const m of local) out.push(gazetteerMatch(m, options)); // nothing for the rules here
    } else {
      for (const m of rulesInSentence(text, from, to, local, options)) out.push(m);
    }
  }
  return withoutNesting(out);
}

function rulesInSentence(text: string, from: number, to: number, kept: readonly Match[], options: RuleOptions): RuledMatch[] {
  const bodies = kept.filter((m) => m.category === 'body');
  const filtered = kept.filter((m) => {
    if (m.category !== 'allegation' && m.category !== 'sanction') return true;
    if (bodies.some((n) => n.start <= m.start && m.end <= n.end && n.end - n.start > m.end - m.start)) return false;
    return !insideLongerName(text, m.start, m.end);
  });
  const sanctions = sanctionRules(text, filtered.filter((m) => m.category === 'sanction'));
  // a clause ends where a sanction begins, and none starts inside one ("found to have a case to answer")
  const stopAt = (offset: number) => sanctions.some((m) => m.start <= offset && offset < m.end);
  const allegations = mergeCoordinated(text, filtered.filter((m) => m.category === 'allegation'));
  const insideAllegation = (offset: number) => allegations.some((m) => m.start < offset && offset < m.end);
  // a list of offences splits at a conjunction next to a known term ("theft and misconduct in public office")
  const termEdge = (before: number, after: number) => allegations.some((m) => m.end === before || m.start === after);

  const out: RuledMatch[] = [];
  for (const m of filtered) if (m.category !== 'allegation' && m.category !== 'sanction') out.push(gazetteerMatch(m, options));
  for (const m of sanctions) out.push(gazetteerMatch(m, options));
  const sentence = text.slice(from, to);
  const cues = allegations.length > 0 || ANY_TRIGGER.test(sentence) || conductLexicon().cueTest.test(sentence);
  // an allegation in a general statement (a policy, a warning to all officers) is no allegation
  if (!cues || isGenericSentence(sentence)) return out;
  for (const m of allegations) {
    // "…, a form of serious corruption": a classification of the conduct, not another allegation
    if (/\ba\s+form\s+of\s+$/iu.test(text.slice(Math.max(0, m.start - 12), m.start))) continue;
    out.push(gazetteerMatch(m, options));
  }
  const ruled: RuledMatch[] = [];
  for (const s of standardsIn(text, from, to)) {
    const reason = reasonFor(`std:${s.type}`, () => `rule: Standard named (${allegationNames.get(s.type) ?? s.type})`);
    ruled.push({ start: s.start, end: s.end, category: 'allegation', type: s.type, text: text.slice(s.start, s.end), source: 'rule', reason });
  }
  for (const c of clausesIn(text, from, to, stopAt, insideAllegation, termEdge)) {
    if (ruled.some((r) => r.start < c.end && c.start < r.end)) continue; // a Standard in a list wins
    const inside = allegations.filter((m) => m.start >= c.start && m.end <= c.end);
    const clauseText = text.slice(c.start, c.end);
    const type = clauseType(clauseText, inside);
    const reason = reasonFor(`clause:${c.why}:${type}`, () => `rule: conduct after "${c.why}" (${allegationNames.get(type) ?? type})`);
    ruled.push({ start: c.start, end: c.end, category: 'allegation', type, text: clauseText, source: 'rule', reason });
  }
  out.push(...ruled);
  return out;
}

/** Reasons are shared strings (one per entry), not one per match: a big article has 100,000s. */
const reasons = new Map<string, string>();
function reasonFor(key: string, make: () => string): string {
  let r = reasons.get(key);
  if (r === undefined) reasons.set(key, (r = make()));
  return r;
}

function gazetteerMatch(m: Match, options: RuleOptions): RuledMatch {
  const reason = reasonFor(`${m.category}:${m.type}`, () => `gazetteer: ${options.entryName(m.category, m.type) ?? m.type}`);
  return { start: m.start, end: m.end, category: m.category, type: m.type, text: m.text, source: 'gazetteer', reason };
}

/**
 * Sanctions that are not outcomes for the officer: counterfactual ("instead of being fired"),
 * prospective ("could face the sack"), denied ("denied that her conduct amounted to gross
 * misconduct") or a process named by its outcome ("gross incompetence hearings"). A "would have
 * been dismissed" takes its condition with it ("… had he still been serving", "… if he had not
 * resigned"), so the resignation inside it is not a second sanction.
 */
function sanctionRules(text: string, sanctions: readonly Match[]): Match[] {
  const out: Match[] = [];
  for (const m of sanctions) {
    const before = text.slice(Math.max(0, m.start - 40), m.start);
    const after = text.slice(m.end, m.end + 60);
    if (/\b(?:instead\s+of|rather\s+than|avoid(?:ed|ing)?|without)\s+(?:being\s+)?$/iu.test(before)) continue;
    if (/\b(?:could|may|might|risks?|risked|would)\s+$/iu.test(before) && !/^would/iu.test(m.text)) continue;
    if (/\bden(?:y|ies|ied|ying)\s+that\s+(?:\p{L}+\s+){0,3}$/iu.test(before)) continue;
    if (/^\s+(?:hearings?|meetings?|proceedings|investigations?|procedures?)\b/iu.test(after)) continue;
    // "fired a Taser", "fired shots": a weapon, not a dismissal
    if (/\bfired$/iu.test(m.text) && /^\s+(?:a|an|at|the|his|her|their|two|three|several|shots?|rounds?|tasers?|weapons?|guns?|baton)\b/iu.test(after)) continue;
    if (m.type === 'would_have_been_dismissed') {
      const cond = /^,?\s+(?:had|if)\s+(?:he|she|they|the\s+officers?)\s+(?:had\s+)?(?:still\s+been\s+serving(?:\s+officers?)?|not\s+(?:already\s+)?(?:resigned|retired)|still\s+been\s+(?:a\s+)?serving\s+officers?|remained\s+in\s+the\s+(?:force|police))/iu.exec(after);
      if (cond) {
        out.push({ ...m, end: m.end + cond[0].length, text: text.slice(m.start, m.end + cond[0].length) });
        continue;
      }
    }
    out.push(m);
  }
  return out;
}

/**
 * Two allegation terms joined by "and" / "or" / "to" (with at most two words before the
 * conjunction) describe one conduct: "bring discredit on the police service or undermine public
 * confidence", "shared racist and misogynistic messages", "failed in his duty to maintain
 * appropriate boundaries". They become one span with the first one's type.
 */
function mergeCoordinated(text: string, allegations: readonly Match[]): Match[] {
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

/**
 * A sentence that speaks of officers in general, of policy or of what misconduct is — not of what
 * the officers in the story did: "Any … instance of an officer using sex workers will be
 * referred …", "A police officer who uses sex workers is highly likely to …", "The abuse of police
 * powers for sexual purposes is a form of serious corruption", a bullet list of tags.
 */
const GENERIC_PATTERNS = [
  /\b(?:any|every)\s+(?:(?:alleged|actual|serving|of\s+our|police)\s+)*(?:or\s+actual\s+)?(?:instances?|officers?|cases?|employees|staff|members?)\b/iu,
  /\b(?:a|any)\s+(?:police\s+)?officer\s+who\s+\p{L}+s\b/iu,
  /\bpolice\s+(?:officers|employees)\s+(?:who|using|accessing|paying)\b/iu,
  /\bis\s+a\s+form\s+of\b/iu,
  /\bhas\s+an?\s+(?:\p{L}+\s+)?impact\b/iu,
  /\b(?:policy|guidance|code\s+of\s+ethics)\b/iu,
  /\bif\s+they\s+are\s+found\b/iu,
  /^\s*[•·▪‣◦*-]\s*(?:\S+\s*){1,8}$/u,
  /\b(?:will|would|does|do)\s+not\s+(?:be\s+)?tolerated?\b/iu,
];

function isGenericSentence(sentence: string): boolean {
  return GENERIC_PATTERNS.some((re) => re.test(sentence));
}

/**
 * Within a label, no span overlaps another: the longer one stays (rule spans beat the gazetteer
 * terms inside them); ties go to the earlier start, then to rule over gazetteer.
 */
export function withoutNesting<T extends { start: number; end: number; category: string; source: SuggestionSource }>(spans: readonly T[]): T[] {
  const rank = (s: T) => (s.source === 'rule' ? 0 : s.source === 'gazetteer' ? 1 : 2);
  const better = (a: T, b: T) => b.end - b.start - (a.end - a.start) || a.start - b.start || rank(a) - rank(b);
  const byCategory = new Map<string, T[]>();
  for (const s of spans) {
    const list = byCategory.get(s.category);
    if (list) list.push(s);
    else byCategory.set(s.category, [s]);
  }
  const out: T[] = [];
  for (const list of byCategory.values()) {
    list.sort((a, b) => a.start - b.start || b.end - a.end);
    // clusters of spans chained by overlaps are small: greedy (longest first) within each
    for (let i = 0; i < list.length; ) {
      let j = i + 1;
      let reach = list[i].end;
      while (j < list.length && list[j].start < reach) reach = Math.max(reach, list[j++].end);
      if (j === i + 1) out.push(list[i]);
      else {
        const taken: T[] = [];
        for (const s of list.slice(i, j).sort(better)) if (!taken.some((t) => t.start < s.end && s.start < t.end)) taken.push(s);
        out.push(...taken);
      }
      i = j;
    }
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end || (a.category < b.category ? -1 : a.category > b.category ? 1 : 0));
}
