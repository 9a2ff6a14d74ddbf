/**
 * Generates the TextMate grammar for `misconduct-article` from the gazetteers in data/gazetteers —
 * the same terms the detector uses, so the colours and the suggestions never disagree about what
 * a force or a sanction is. Run by scripts/generate.ts at build time; the output in syntaxes/ is
 * never edited by hand.
 *
 * Each category becomes one regex: the aliases are merged into a trie and written as nested
 * alternations (longer continuations first), so the regex engine tries the longest alias first
 * and the pattern stays compact. Letters of case-insensitive aliases, and lower-case letters of
 * case-sensitive ones, match either case; capitals of case-sensitive aliases must be capitals (the
 * detector's rule, see src/core/detect/chars.ts). A separator matches any run of whitespace,
 * hyphens and dashes; an apostrophe matches its typographic forms.
 *
 * Where several patterns match at the same place, TextMate takes the first listed, so the order of
 * `ENTITY_PATTERNS` decides ties (a phrase like "barred list" is both a body and a sanction).
 * Unlike the detector, a grammar cannot colour overlapping spans: a body inside an outcome phrase
 * ("referred to the IOPC") takes the phrase's colour.
 */
import { writeIfChanged } from './writeIfChanged';
import * as path from 'node:path';
import { isUpperLetter } from '../src/core/detect/chars';
import { Category, Term, gazetteerTerms } from '../src/core/detect/gazetteer';

export const LANGUAGE_ID = 'misconduct-article';
export const SCOPE_NAME = 'text.misconduct-article';

/** Scope per category: standard roots that common themes colour. */
export const CATEGORY_SCOPES: Record<Category, string> = {
  force: 'entity.name.type.force.misconduct',
  body: 'entity.name.tag.body.misconduct',
  rank: 'support.type.rank.misconduct',
  allegation: 'markup.italic.allegation.misconduct',
  sanction: 'keyword.other.sanction.misconduct',
};

/** Tie-break order: longer outcome and allegation phrases first, then names, then ranks. */
const ENTITY_PATTERNS: Category[] = ['sanction', 'allegation', 'force', 'body', 'rank'];

// Oniguruma's \w is Unicode letters, marks, digits and "_": the detector's word characters, near enough.
const NOT_WORD_BEFORE = '(?<!\\w)';
const NOT_WORD_AFTER = '(?!\\w)';
const SEPARATOR = '[\\s\\x{2010}-\\x{2015}\\x{2212}\\-]+';
const APOSTROPHE = "['\\x{2018}\\x{2019}\\x{02BC}\\x{2032}`\\x{00B4}]";

function escapeChar(ch: string): string {
  return /[\\^$.|?*+()[\]{}\-/#&,]/.test(ch) ? '\\' + ch : ch;
}

/** One character of an alias as a regex atom. */
function atom(ch: string, caseSensitive: boolean): string {
  if (ch === ' ') return SEPARATOR;
  if (ch === "'") return APOSTROPHE;
  const lower = ch.toLowerCase();
  const upper = ch.toUpperCase();
  if (lower === upper || lower.length !== 1 || upper.length !== 1) return escapeChar(ch);
  if (caseSensitive && isUpperLetter(ch)) return ch;
  return `[${lower}${upper}]`;
}

interface Node {
  children: Map<string, Node>;
  /** How the alias may end here: a lookahead ('' when it may end unconditionally), if it ends. */
  ends?: Set<string>;
  depth: number;
}

interface Key {
  text: string;
  caseSensitive: boolean;
}

function buildTrie(keys: readonly Key[]): Node {
  const root: Node = { children: new Map(), depth: 0 };
  for (const k of keys) {
    let node = root;
    for (const ch of k.text) {
      const a = atom(ch, k.caseSensitive);
      let next = node.children.get(a);
      if (!next) node.children.set(a, (next = { children: new Map(), depth: 0 }));
      node = next;
    }
    (node.ends ??= new Set()).add(/[\p{L}\p{N}\p{M}]/u.test(k.text[k.text.length - 1]) ? NOT_WORD_AFTER : '');
  }
  const depth = (n: Node): number => (n.depth = Math.max(0, ...[...n.children.values()].map((c) => 1 + depth(c))));
  depth(root);
  return root;
}

function emit(node: Node): string {
  const branches = [...node.children].sort(([, a], [, b]) => b.depth - a.depth).map(([a, child]) => a + emit(child));
  if (node.ends) {
    // an unconditional end makes any conditional one redundant
    const ends = node.ends.has('') ? [''] : node.ends.has(NOT_WORD_AFTER) ? [NOT_WORD_AFTER] : [...node.ends];
    branches.push(...ends);
  }
  if (branches.length === 1 && !node.ends) return branches[0];
  if (branches.length === 1 && node.children.size === 0) return branches[0];
  return `(?:${branches.join('|')})`;
}

/** Runs of two or more case-insensitive ASCII letters, `[mM][eE][tT]`, shortened to `(?i:met)`. */
function compactCase(regex: string): string {
  return regex.replace(/(?:\[([a-z])([A-Z])\]){2,}/g, (run) => `(?i:${run.replace(/\[([a-z])[A-Z]\]/g, '$1')})`);
}

/**
 * The regex matching any alias of the given terms on word boundaries. `followedBy` (the same list
 * for all terms, or none) becomes one lookahead after the whole alternation.
 */
export function termsRegex(terms: readonly Term[], followedBy?: readonly string[]): string {
  const body = NOT_WORD_BEFORE + compactCase(emit(buildTrie(terms.map((t) => ({ text: t.normalized, caseSensitive: t.caseSensitive })))));
  if (!followedBy) return body;
  const context = compactCase(emit(buildTrie(followedBy.map((text) => ({ text, caseSensitive: false })))));
  return `${body}(?=${SEPARATOR}${context})`;
}

/** One pattern for the plain aliases of a category, and one per `followedBy` word list. */
function categoryPatterns(terms: readonly Term[], scope: string): object[] {
  const groups = new Map<string, Term[]>();
  for (const t of terms) {
    const key = t.followedBy ? t.followedBy.join('|') : '';
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  // plain aliases first: at the same start "Hampshire Constabulary" beats "Hampshire" (+ "police")
  return [...groups]
    .sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : 0))
    .map(([, group]) => ({ match: termsRegex(group, group[0].followedBy), name: scope }));
}

const MONTHS =
  '(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\\.?';
const DAY = '\\d{1,2}(?:st|nd|rd|th)?';
const WEEKDAY = '(?:(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\\s+)?';

function datePatterns(): object[] {
  const scope = 'constant.numeric.date.misconduct';
  return [
    // 12 March 2024, Thursday 12 March, 18 Jul 2023
    { match: `\\b${WEEKDAY}${DAY}\\s+${MONTHS}(?:,?\\s+\\d{4})?\\b`, name: scope },
    // April 27, March 12, 2024
    { match: `\\b${MONTHS}\\s+${DAY}(?:,?\\s+\\d{4})?\\b`, name: scope },
    // March 2024 (a month alone is not a date: "May", "March" are also words)
    { match: `\\b${MONTHS}\\s+\\d{4}\\b`, name: scope },
    // 2024-03-12, 12/03/2024
    { match: '\\b\\d{4}-\\d{2}-\\d{2}\\b', name: scope },
    { match: '\\b\\d{1,2}/\\d{1,2}/(?:\\d{4}|\\d{2})\\b', name: scope },
  ];
}

function moneyPatterns(): object[] {
  const scope = 'constant.numeric.money.misconduct';
  return [
    { match: '[£$€]\\s?\\d[\\d,]*(?:\\.\\d+)?(?:\\s?(?:bn|billion|m|million|k|thousand)\\b)?', name: scope },
    { match: '\\b\\d[\\d,]*(?:\\.\\d+)?\\s?(?:pounds|GBP)\\b', name: scope },
  ];
}

function quote(begin: string, end: string, scope: string): object {
  return {
    begin,
    end,
    name: scope,
    beginCaptures: { 0: { name: 'punctuation.definition.string.begin.misconduct' } },
    endCaptures: { 0: { name: 'punctuation.definition.string.end.misconduct' } },
    patterns: [{ include: '#entities' }],
  };
}

export function buildGrammar(terms: readonly Term[] = gazetteerTerms()): Record<string, unknown> {
  const repository: Record<string, unknown> = {
    // Quotes of speakers. A quote ends at its closing mark or at the end of the line: British
    // style reopens a quote on each new paragraph without closing the last one, and an unclosed
    // quote must not colour the rest of the article.
    quotes: {
      patterns: [
        quote('\\x{201C}', '\\x{201D}|$', 'string.quoted.double.misconduct'),
        quote('"', '"|$', 'string.quoted.double.misconduct'),
        // ‘…’: a closing ’ followed by a letter is an apostrophe ("Met’s"), not the end
        quote(`${NOT_WORD_BEFORE}\\x{2018}`, `\\x{2019}${NOT_WORD_AFTER}|$`, 'string.quoted.single.misconduct'),
      ],
    },
    entities: {
      patterns: [{ include: '#date' }, { include: '#money' }, ...ENTITY_PATTERNS.map((c) => ({ include: `#${c}` }))],
    },
    date: { patterns: datePatterns() },
    money: { patterns: moneyPatterns() },
  };
  for (const category of ENTITY_PATTERNS) {
    repository[category] = { patterns: categoryPatterns(terms.filter((t) => t.category === category), CATEGORY_SCOPES[category]) };
  }
  return {
    $comment: 'Generated by scripts/grammar.ts from data/gazetteers; do not edit.',
    name: 'Misconduct Article',
    scopeName: SCOPE_NAME,
    patterns: [{ include: '#quotes' }, { include: '#entities' }],
    repository,
  };
}

export function buildLanguageConfiguration(): Record<string, unknown> {
  return {
    // A word is letters and digits, keeping contractions ("don't") but not a possessive "'s", so a
    // double-click on "Constabulary's" selects the name only.
    wordPattern: { pattern: "[\\p{L}\\p{N}\\p{M}]+(?:['\u2019](?![sS]\\b)[\\p{L}\\p{N}\\p{M}]+)*", flags: 'u' },
    brackets: [
      ['(', ')'],
      ['[', ']'],
    ],
    surroundingPairs: [
      ['\u201c', '\u201d'],
      ['\u2018', '\u2019'],
      ['"', '"'],
      ['(', ')'],
      ['[', ']'],
    ],
  };
}


export function grammarFiles(): Record<string, string> {
  return {
    [`${LANGUAGE_ID}.tmLanguage.json`]: JSON.stringify(buildGrammar(), null, 2) + '\n',
    'language-configuration.json': JSON.stringify(buildLanguageConfiguration(), null, 2) + '\n',
  };
}

/** Writes syntaxes/ (called from scripts/generate.ts). */
export function generateGrammar(root: string): void {
  for (const [name, text] of Object.entries(grammarFiles())) writeIfChanged(path.join(root, 'syntaxes', name), text);
}
