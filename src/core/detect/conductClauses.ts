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
 * The triggers, and where they are found, are in triggers.ts. rules.ts calls `clausesIn` sentence
 * by sentence and says where its sanctions and allegation terms lie; `clauseType` types each
 * clause, and `mergeCoordinated` joins coordinated allegation terms.
 */
import { foldsToAscii } from './caseInsensitive';
import { conductCategory, conductLexicon } from './conductLexicon';
import type { Match } from './detector';
import { type Token, tokenBoundary, tokenize } from './sentences';
import { IRREGULAR_PAST, misconductContext, type Trigger, TRIGGERS, triggerHits } from './triggers';

// ---------------------------------------------------------------------------------------------
// Word classes

const AUX = new Set(['is', 'are', 'was', 'were', 'has', 'have', 'will', 'would', 'could', 'should', 'must', 'can', 'may', 'might', 'been', 'being']);
/** Words that open a new (subordinate or coordinate) clause: the conduct clause ends before them. */
const CLAUSE_OPENERS = new Set([
  'but', 'while', 'whilst', 'when', 'whenever', 'because', 'although', 'though', 'despite', 'after', 'before', 'until', 'unless',
  'which', 'whereas', 'so', 'if', 'whether', 'since', 'as', 'according', 'saying', 'adding', 'following', 'amid', 'where',
]);
const PRONOUNS = new Set(['he', 'she', 'they', 'it', 'i', 'we', 'you']);
/** Past forms that are not conduct after "officer who …" (careers, reporting, being acted upon). */
const NOT_CONDUCT = new Set(
  ('was were is are has have had joined served worked retired resigned led investigated said told added died lived came went became ' +
    'remained appeared attended arrived responded called reported admitted denied faced received started began used').split(' '),
);
/**
 * Past forms after "the officer" that tell what was done to them, what they said or how the case
 * went, not their conduct: a reduced relative ("the officer involved", "the officer accused of")
 * or a reply ("the officer accepted the findings").
 */
const NOT_NARRATED = new Set(
  ('involved concerned named identified accused found cleared convicted charged jailed dismissed sacked suspended arrested referred given placed ' +
    'based stationed responsible accepted apologised apologized expressed showed moved transferred returned chose declined pleaded appealed ' +
    'contested represented gave maintained insisted argued claimed described explained stated thanked welcomed passed completed qualified graduated ' +
    'trained continued realised realized believed thought felt wanted hoped knew noticed suggested agreed disputed challenged asked answered replied ' +
    'blamed disagreed cooperated co-operated acted tested happened occurred met').split(' '),
);
/** Gerunds of weighing a case: "after considering the evidence", "by analysing the footage". */
const PROCEDURAL = new Set(
  ('considering reviewing analysing analyzing examining assessing weighing hearing reading viewing watching deliberating establishing determining ' +
    'deciding concluding evaluating scrutinising scrutinizing interviewing investigating looking studying inspecting checking receiving taking').split(' '),
);
const POSSESSIVE = /['’]s$/i;
const OPENING_QUOTE = /^["“‘']$/;
/**
 * Verbs that say nothing of the conduct on their own: a clause of only these ("had", "caused",
 * "had shown", "established") is a trigger misread, not an allegation.
 */
const BARE_VERBS = new Set(
  ('had has have having used caused established discovered found made did done took taken got gave given became showed shown saw seen knew known ' +
    'went gone came called put kept let set brought acted happened said told heard been being was were is are doing').split(' '),
);
function onlyBareVerbs(tokens: Token[], k: number, end: number): boolean {
  for (let i = k; i < end; i++) if (tokens[i].word && !BARE_VERBS.has(tokens[i].text.toLowerCase())) return false;
  return true;
}

/** Words that end a subject's noun phrase: "the scale of what had happened" is no officer. */
const NOT_IN_SUBJECT = new Set(['of', 'what', 'which', 'that', 'who', 'to', 'in', 'for', 'on', 'at', 'with', 'and', 'or']);
/** Words before a subject that open a time or place ("between March and October the officer …"). */
const LEADING_ADVERBIAL = new Set(['between', 'over', 'during', 'in', 'on', 'at', 'from', 'within', 'throughout']);

/** Whether the past form at q is no conduct: NOT_CONDUCT ("used" only as in "used to"), "refused to comment". */
function notConduct(tokens: Token[], q: number): boolean {
  const l = tokens[q].text.toLowerCase();
  const next = tokens[q + 1]?.text.toLowerCase();
  if (l === 'used') return next === 'to';
  // "acted in self-defence", "acted lawfully": a finding for the officer
  if (l === 'acted') return next === 'in' || next === 'within' || /^(?:lawfully|appropriately|reasonably|properly|professionally|proportionately)$/.test(next ?? '');
  if (l === 'refused' || l === 'declined') return next === 'to' && /^(?:comment|say|answer|speak|attend)/i.test(tokens[q + 2]?.text ?? '');
  return NOT_CONDUCT.has(l);
}

/** Whether a predicate starts at token p: an auxiliary, "had", or a past form. */
function startsPredicate(tokens: Token[], p: number): boolean {
  const l = tokens[p].text.toLowerCase();
  return AUX.has(l) || l === 'had' || isPast(tokens[p].text) || isAdverb(tokens[p].text);
}

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
  /** After "pleaded guilty to", "charged with" …: a named offence after "and" is the next one ("failing to … and dangerous driving"). */
  objectList = false,
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
        // "shouted at the woman, refused to give his name …": a list of predicates, one span each
        if (i > k + 1 && isPast(tokens[i + 1].text)) {
          const next = coordinated(tokens, i + 1);
          if (next !== undefined) return { end: i, next };
        }
        if (CLAUSE_OPENERS.has(n) || PRONOUNS.has(n) || n === 'the' || n === 'who' || n === 'a' || AUX.has(n) || n === 'said' || n === 'including' || n === 'then' || /^[A-Z]/.test(tokens[i + 1].text)) break;
        // ", in breach of force policy", ", contrary to …": what the conduct broke, not more of it
        const n2 = tokens[i + 2]?.text.toLowerCase();
        if ((n === 'in' && n2 === 'breach') || (n === 'contrary' && n2 === 'to')) break;
        lastComma = i;
        continue;
      }
      if (t.text === '/' || t.text === '&' || t.text === '£' || t.text === '$' || t.text === '%' || t.text === '€') continue;
      // 'called her "a stupid woman"': a short quote that is the verb's object belongs to the clause
      if (OPENING_QUOTE.test(t.text) && i > k && t.start > tokens[i - 1].end && tokens[i + 1]?.start === t.end) {
        const close = closingQuote(tokens, i + 1);
        if (close > 0) {
          i = close;
          continue;
        }
      }
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
    if (i > k && (nounList || (objectList && termEdge(-1, tokens[i + 1]?.start ?? -1))) && (l === 'and' || l === 'or') && tokens[i + 1]?.word && !insideName(tokens[i].start) && termEdge(tokens[i - 1].end, tokens[i + 1].start)) {
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

/** The closing quote of a quote opened before token `from`: attached to the word before it, within 8 words; else -1. */
function closingQuote(tokens: Token[], from: number): number {
  for (let j = from; j < tokens.length && j < from + 9; j++) {
    const t = tokens[j];
    if (!t.word && (t.text === '"' || t.text === '”' || t.text === '’' || t.text === "'") && j > from && t.start === tokens[j - 1].end && (tokens[j + 1] === undefined || tokens[j + 1].start > t.end || !tokens[j + 1].word)) return j;
    if (!t.word && t.text !== ',' && t.text !== '-') return -1;
  }
  return -1;
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
    // "heard that over eighteen months the officer …": a time or place before the subject
    if (LEADING_ADVERBIAL.has(word(p) ?? '')) {
      let s = p + 1;
      while (s < tokens.length && s - p < 10 && tokens[s].word && !PRONOUNS.has(word(s)!) && word(s) !== 'the') s++;
      if (tokens[s]?.word) p = s;
    }
    if (PRONOUNS.has(word(p) ?? '') || word(p) === 'staff' || word(p) === 'officers') p++;
    else if (word(p) === 'the') {
      // "the officer", "the former officer", "the first two officers"
      const subject = ++p;
      while (p - subject < 3 && tokens[p + 1]?.word && !startsPredicate(tokens, p + 1) && !NOT_IN_SUBJECT.has(word(p + 1)!) && !POSSESSIVE.test(tokens[p].text)) p++;
      p++;
    } else while (tokens[p] && /^\p{Lu}/u.test(tokens[p].text) && p - k < 3) p++;
    if (p === k) return -1;
    // 'said she had "put other road users in danger"': the quoted words are the conduct
    if ((word(p) === 'had' || word(p) === 'has') && OPENING_QUOTE.test(tokens[p + 1]?.text ?? '') && tokens[p + 2]?.start === tokens[p + 1].end && tokens[p + 2] && isPast(tokens[p + 2].text)) p += 2;
    else if ((word(p) === 'had' || word(p) === 'has' || word(p) === 'have') && tokens[p + 1] && (isPast(tokens[p + 1].text) || isAdverb(tokens[p + 1].text))) p++;
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
    if (isPast(v.text) || isGerund(v.text)) return notConduct(tokens, q) && v.text.toLowerCase() !== 'had' ? -1 : p;
    // "found to have been a regular user of prostitutes", "found to be drunk on duty"
    if (/^(?:a|an)$/i.test(v.text) || /^(?:drunk|intoxicated|asleep|unfit|dishonest|untruthful|responsible|guilty)$/i.test(v.text)) return p;
    return -1;
  }
  if (expect === 'narrative') {
    while (word(p) === 'also' || word(p) === 'then' || word(p) === 'later') p++;
    if (word(p) === 'had' && tokens[p + 1] && (isPast(tokens[p + 1].text) || isAdverb(tokens[p + 1].text))) p++;
    const q = tokens[p] && isAdverb(tokens[p].text) ? p + 1 : p;
    const v = tokens[q];
    if (!v || !v.word || !isPast(v.text) || notConduct(tokens, q) || NOT_NARRATED.has(v.text.toLowerCase())) return -1;
    return p;
  }
  if (expect === 'gerund') {
    const q = tokens[p] && isAdverb(tokens[p].text) ? p + 1 : p;
    if (word(q) === 'allegedly') return conductStart(tokens, q + 1, 'verb');
    // "after considering the evidence", "having heard": how the panel worked, not what was done
    if (PROCEDURAL.has(word(q) ?? '')) return -1;
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
      const { end, next } = clauseEnd(tokens, k, stopAt, nounList, insideName, termEdge, trigger.expect === 'object');
      let last = end;
      // no dangling preposition, article or conjunction at the end
      while (last > k + 1 && DANGLING.has(tokens[last - 1].text.toLowerCase())) last--;
      if (last > k) {
        const end = last;
        const start = tokens[k].start;
        const stop = tokens[end - 1].end;
        const words = tokens.slice(k, end).filter((t) => t.word).length;
        const clauseText = text.slice(start, stop);
        if (words >= 1 && !AMOUNTS_TO_MISCONDUCT.test(clauseText) && !covered(start) && !onlyBareVerbs(tokens, k, end)) out.push({ start, end: stop, why: trigger.why });
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
