/**
 * Rules over the gazetteer matches: what turns a list of term hits into suggestions an annotator
 * can accept without fixing them (docs/guidelines.md says what a span is). `applyRules` runs
 * sentence by sentence and combines:
 *
 * 1. Allegations from clauses after a trigger (conductClauses.ts) and Standards named in lists
 *    (conductLexicon.ts), each typed and given a reason.
 * 2. Sanctions that are outcomes for the officer (not counterfactual, prospective or denied).
 * 3. Filters: no allegation or sanction inside a longer name (longerNames.ts); generic mentions
 *    that name no allegation ("breach of the standards of professional behaviour") and steps
 *    that are not outcomes ("being investigated", "misconduct probe") are gazetteer entries
 *    marked `"suggest": false`; no allegation in a general statement; no span nested in or
 *    overlapping another of the same label.
 *
 * Everything here works on UTF-16 offsets of one text and is sentence-local, so a window of
 * whole lines gives the same results inside it as the full text.
 */
import allegationsData from '../../../data/gazetteers/allegations.json';
import { CaseInsensitive, foldsToAscii, isRegexWordChar, MatchRanges } from './caseInsensitive';
import { clauseType, clausesIn, mergeCoordinated } from './conductClauses';
import { conductLexicon, standardsIn } from './conductLexicon';
import type { Match } from './detector';
import { insideLongerName } from './longerNames';
import { mendedMatches } from './misspellings';
import { sentences } from './sentences';
import { misconductContext, misconductContexts, TriggerHit, triggerHeads, triggerHits } from './triggers';
import { withoutNesting } from './withoutNesting';

export { withoutNesting };

export type SuggestionSource = 'gazetteer' | 'rule' | 'learned';

/** A detector match with where it came from and why (shown in hovers and the sidebar). */
export interface RuledMatch extends Match {
  source: SuggestionSource;
  reason: string;
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
  /** The gazetteer scan, to read a sentence again with its misspelt key words mended (misspellings.ts); without it, they are not. */
  detect?: (text: string) => Match[];
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
  // trigger heads, standards cues and words about misconduct are looked for once in the whole
  // text, not in each sentence
  const exotic = foldsToAscii(text);
  const heads = triggerHeads(text, exotic);
  const lex = conductLexicon();
  const cues = new MatchRanges(lex.cue.pick(exotic), text);
  const contexts = misconductContexts(text, exotic);
  const unsuggested = new TypeCache((category, type) => options.unsuggested.has(`${category}:${type}`));
  // one list for every sentence's matches, emptied each time (rulesInSentence keeps none of it)
  const local: Match[] = [];
  let misspelt = 0;
  for (const [from, to] of sentences(text)) {
    local.length = 0;
    while (next < matches.length && matches[next].start < to) {
      const m = matches[next++];
      if (!unsuggested.get(m.category, m.type)) local.push(m);
    }
    // "dismised without notice": the phrase as meant, where the gazetteers do not already have it
    while (misspelt < heads.misspelt.length && heads.misspelt[misspelt] < from) misspelt++;
    if (options.detect && misspelt < heads.misspelt.length && heads.misspelt[misspelt] < to) {
      const at: number[] = [];
      while (misspelt < heads.misspelt.length && heads.misspelt[misspelt] < to) at.push(heads.misspelt[misspelt++]);
      const mended = mendedMatches(text, from, to, at, options.detect).filter((m) => !unsuggested.get(m.category, m.type) && !local.some((l) => l.category === m.category && l.start < m.end && m.start < l.end));
      if (mended.length) {
        local.push(...mended);
        local.sort((a, b) => a.start - b.start || b.end - a.end);
      }
    }
    const sentence = text.slice(from, to);
    // a word running into the sentence: \b at its start or end differs from the whole text's
    const joined = from > 0 && isRegexWordChar(text.charCodeAt(from - 1), exotic);
    const split = to < text.length && isRegexWordChar(text.charCodeAt(to), exotic) && isRegexWordChar(text.charCodeAt(to - 1), exotic);
    const inContext = joined || split ? misconductContext(sentence, exotic) : contexts.within(from, to);
    const hits = joined ? triggerHits(sentence, exotic, undefined, 0, inContext) : triggerHits(sentence, exotic, heads, from, inContext);
    const cue = joined ? lex.cueTest.pick(exotic).test(sentence) : cues.overlaps(from, to);
    if (!hits.length && !cue && !local.some((m) => m.category === 'allegation' || m.category === 'sanction')) {
      for (const m of local) out.push(gazetteerMatch(m, options)); // nothing for the rules here
    } else {
      for (const m of rulesInSentence(text, { from, to, sentence, exotic, hits, cue, inContext }, local, options)) out.push(m);
    }
  }
  return withoutNesting(out);
}

/** One sentence as `applyRules` hands it on: its range, its text, the triggers found in it. */
interface Sentence {
  from: number;
  to: number;
  sentence: string;
  /** Whether the text has ſ or K (see caseInsensitive.ts). */
  exotic: boolean;
  hits: readonly TriggerHit[];
  /** Whether it may have a standards cue (true when it does). */
  cue: boolean;
  /** Whether it is about misconduct (see conductClauses.ts). */
  inContext: boolean;
}

/**
 * Whether a sentence may have a weak cue ("lack of", "relating to", "in relation to", "in respect
 * of"): their letters after the first, found with indexOf before the regex (an alternation whose
 * words start with common letters is tried at almost every position). A cue in capitals is missed.
 */
function mayHaveWeakCue(sentence: string, exotic: boolean): boolean {
  return exotic || sentence.indexOf('ack') >= 0 || sentence.indexOf('elati') >= 0 || sentence.indexOf('espect') >= 0;
}

const BREACHED = new CaseInsensitive(/^breached\b/iu);
const A_FORM_OF = new CaseInsensitive(/\ba\s+form\s+of\s+$/iu);

function rulesInSentence(text: string, { from, to, sentence, exotic, hits, cue, inContext }: Sentence, kept: readonly Match[], options: RuleOptions): RuledMatch[] {
  const bodies = kept.filter((m) => m.category === 'body');
  const filtered = kept.filter((m) => {
    if (m.category !== 'allegation' && m.category !== 'sanction') return true;
    if (bodies.some((n) => n.start <= m.start && m.end <= n.end && n.end - n.start > m.end - m.start)) return false;
    return !insideLongerName(text, m.start, m.end);
  });
  // a weak cue only where an allegation or a trigger makes the sentence one about conduct
  const weakCue = !cue && (hits.length > 0 || filtered.some((m) => m.category === 'allegation')) && mayHaveWeakCue(sentence, exotic) && conductLexicon().weakTest.pick(exotic).test(sentence);
  const standards = cue || weakCue ? standardsIn(text, from, to, sentence) : [];
  const sanctions = sanctionRules(text, filtered.filter((m) => m.category === 'sanction'), exotic).filter(
    // "breached the standards of professional behaviour relating to use of force": the Standards named are the allegations, not a finding
    (m) => !(BREACHED.pick(exotic).test(m.text) && standards.some((s) => s.start >= m.end && s.start - m.end < 40)),
  );
  // a clause ends where a sanction begins, and none starts inside one ("found to have a case to answer")
  const stopAt = (offset: number) => sanctions.some((m) => m.start <= offset && offset < m.end);
  const allegations = mergeCoordinated(text, filtered.filter((m) => m.category === 'allegation'));
  const insideAllegation = (offset: number) => allegations.some((m) => m.start < offset && offset < m.end);
  // a list of offences splits at a conjunction next to a known term ("theft and misconduct in public office")
  const termEdge = (before: number, after: number) => allegations.some((m) => m.end === before || m.start === after);

  const out: RuledMatch[] = [];
  for (const m of filtered) if (m.category !== 'allegation' && m.category !== 'sanction') out.push(gazetteerMatch(m, options));
  for (const m of sanctions) out.push(gazetteerMatch(m, options));
  if (!allegations.length && !hits.length && !standards.length) return out;
  const clauses = clausesIn(text, from, to, stopAt, insideAllegation, termEdge, sentence, exotic, inContext, hits);
  // an allegation in a general statement (a policy, a warning to all officers) is no allegation
  if ((!allegations.length && !standards.length && !clauses.length) || isGenericSentence(sentence, exotic)) return out;
  for (const m of allegations) {
    // "…, a form of serious corruption": a classification of the conduct, not another allegation
    if (A_FORM_OF.pick(exotic).test(text.slice(Math.max(0, m.start - 12), m.start))) continue;
    out.push(gazetteerMatch(m, options));
  }
  const ruled: RuledMatch[] = [];
  for (const s of standards) {
    const reason = reasonFor(`std:${s.type}`, () => `rule: Standard named (${allegationNames.get(s.type) ?? s.type})`);
    ruled.push({ start: s.start, end: s.end, category: 'allegation', type: s.type, text: text.slice(s.start, s.end), source: 'rule', reason });
  }
  for (const c of clauses) {
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

/**
 * A value per (category, type), made on first use, found without building a key string for each
 * of an article's 100,000s of matches.
 */
class TypeCache<T> {
  private readonly byCategory = new Map<string, Map<string, T>>();

  constructor(private readonly make: (category: string, type: string) => T) {}

  get(category: string, type: string): T {
    let byType = this.byCategory.get(category);
    if (!byType) this.byCategory.set(category, (byType = new Map()));
    let value = byType.get(type);
    if (value === undefined && !byType.has(type)) byType.set(type, (value = this.make(category, type)));
    return value as T;
  }
}

/** `reasons` of gazetteer suggestions by category and type. */
const gazetteerReasons = new Map<string, Map<string, string>>();

function gazetteerMatch(m: Match, options: RuleOptions): RuledMatch {
  let byType = gazetteerReasons.get(m.category);
  if (!byType) gazetteerReasons.set(m.category, (byType = new Map()));
  let reason = byType.get(m.type);
  if (reason === undefined) byType.set(m.type, (reason = reasonFor(`${m.category}:${m.type}`, () => `gazetteer: ${options.entryName(m.category, m.type) ?? m.type}`)));
  return { start: m.start, end: m.end, category: m.category, type: m.type, text: m.text, source: 'gazetteer', reason };
}

const COUNTERFACTUAL = new CaseInsensitive(/\b(?:instead\s+of|rather\s+than|avoid(?:ed|ing)?|without)\s+(?:being\s+)?$/iu);
const PROSPECTIVE = new CaseInsensitive(/\b(?:could|may|might|risks?|risked|would)\s+$/iu);
const WOULD = new CaseInsensitive(/^would/iu);
const DENIED = new CaseInsensitive(/\bden(?:y|ies|ied|ying)\s+that\s+(?:\p{L}+\s+){0,3}$/iu);
/** What every match of DENIED has (on a text without ſ or K), to skip it cheaply. */
const DENIED_NEEDS = /den(?:y|ies|ied|ying)\s+that\s/i;
const PROCESS_AFTER = new CaseInsensitive(/^\s+(?:hearings?|meetings?|proceedings|investigations?|procedures?)\b/iu);
const FIRED = new CaseInsensitive(/\bfired$/iu);
const WEAPON_AFTER = new CaseInsensitive(/^\s+(?:a|an|at|the|his|her|their|two|three|several|shots?|rounds?|tasers?|weapons?|guns?|baton)\b/iu);
const CONDITION_AFTER = new CaseInsensitive(
  /^,?\s+(?:had|if)\s+(?:he|she|they|the\s+officers?)\s+(?:had\s+)?(?:still\s+been\s+serving(?:\s+officers?)?|not\s+(?:already\s+)?(?:resigned|retired)|still\s+been\s+(?:a\s+)?serving\s+officers?|remained\s+in\s+the\s+(?:force|police))/iu,
);

/**
 * Sanctions that are not outcomes for the officer: counterfactual ("instead of being fired"),
 * prospective ("could face the sack"), denied ("denied that her conduct amounted to gross
 * misconduct") or a process named by its outcome ("gross incompetence hearings"). A "would have
 * been dismissed" takes its condition with it ("… had he still been serving", "… if he had not
 * resigned"), so the resignation inside it is not a second sanction.
 * `exotic`: whether the text has ſ or K (see caseInsensitive.ts).
 */
function sanctionRules(text: string, sanctions: readonly Match[], exotic: boolean): Match[] {
  const out: Match[] = [];
  for (const m of sanctions) {
    const before = text.slice(Math.max(0, m.start - 40), m.start);
    const after = text.slice(m.end, m.end + 60);
    if (COUNTERFACTUAL.pick(exotic).test(before)) continue;
    if (PROSPECTIVE.pick(exotic).test(before) && !WOULD.pick(exotic).test(m.text)) continue;
    if ((exotic || DENIED_NEEDS.test(before)) && DENIED.pick(exotic).test(before)) continue;
    if (PROCESS_AFTER.pick(exotic).test(after)) continue;
    // "fired a Taser", "fired shots": a weapon, not a dismissal
    if (FIRED.pick(exotic).test(m.text) && WEAPON_AFTER.pick(exotic).test(after)) continue;
    if (m.type === 'would_have_been_dismissed') {
      const cond = CONDITION_AFTER.pick(exotic).exec(after);
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
 * A sentence that speaks of officers in general, of policy or of what misconduct is — not of what
 * the officers in the story did: "Any … instance of an officer using sex workers will be
 * referred …", "A police officer who uses sex workers is highly likely to …", "The abuse of police
 * powers for sexual purposes is a form of serious corruption", a bullet list of tags.
 */
const GENERIC_PATTERNS: Array<{ re: CaseInsensitive; needs?: RegExp }> = [
  { re: /\b(?:any|every)\s+(?:(?:alleged|actual|serving|of\s+our|police)\s+)*(?:or\s+actual\s+)?(?:instances?|officers?|cases?|employees|staff|members?)\b/iu },
  { re: /\b(?:a|any)\s+(?:police\s+)?officer\s+who\s+\p{L}+s\b/iu, needs: /\sofficer\s+who\s/i },
  { re: /\bpolice\s+(?:officers|employees)\s+(?:who|using|accessing|paying)\b/iu },
  { re: /\bis\s+a\s+form\s+of\b/iu },
  { re: /\bhas\s+an?\s+(?:\p{L}+\s+)?impact\b/iu, needs: /\simpact\b/i },
  // (not "in breach of force policy": a specific breach)
  { re: /\b(?:policy(?<!\b(?:breach\s+of|breached|breaching|contrary\s+to|against)\s+(?:the\s+|force\s+|police\s+|its\s+|their\s+)*policy)|guidance|code\s+of\s+ethics)\b/iu },
  { re: /\bif\s+they\s+are\s+found\b/iu },
  { re: /^\s*[•·▪‣◦*-]\s*(?:\S+\s*){1,8}$/u, needs: /^\s*[•·▪‣◦*-]/ },
  { re: /\b(?:will|would|does|do)\s+not\s+(?:be\s+)?tolerated?\b/iu },
  { re: /\bha(?:s|ve)\s+no\s+place\s+in\b/iu },
].map(({ re, needs }) => ({ re: new CaseInsensitive(re), needs }));

/**
 * `exotic`: whether the sentence has ſ or K. A pattern the u flag cannot be dropped from is run
 * only on a sentence with what it `needs` (a plain regex any match of it implies, on such text).
 */
function isGenericSentence(sentence: string, exotic: boolean): boolean {
  if (exotic) return GENERIC_PATTERNS.some(({ re }) => re.unicode.test(sentence));
  return GENERIC_WITHOUT_U.test(sentence) || GENERIC_PATTERNS.some(({ re, needs }) => re.pick(false) === re.unicode && (!needs || needs.test(sentence)) && re.unicode.test(sentence));
}

/** The patterns that can drop the u flag, as one: one scan of a sentence instead of one each. */
const GENERIC_WITHOUT_U = new RegExp(
  GENERIC_PATTERNS.filter(({ re }) => re.pick(false) !== re.unicode)
    .map(({ re }) => `(?:${re.unicode.source})`)
    .join('|'),
  'i',
);
