/**
 * The gazetteers in data/gazetteers/ are the single source of truth for what the detector finds
 * and what the TextMate grammar colours. This module validates them and flattens them into
 * `Term`s (one per alias), applying the explicit cross-category overlap rules.
 *
 * File layout (one file per category):
 *   { "category": "force", "caseSensitive": true, "entries": [
 *       { "id": "metropolitan", "name": "Metropolitan Police Service",
 *         "aliases": ["Metropolitan Police", { "text": "Met", "ambiguous": true },
 *                     { "text": "Metropolitan", "followedBy": "police_words" }], ...facts } ] }
 * An alias is a string, or an object that overrides the file's `caseSensitive` default, marks it
 * `ambiguous` (weak evidence; detectors may skip it) or requires the next word(s) to be one of a
 * word list in wordlists.json (`followedBy`). Case-sensitive means "the alias's capitals must be
 * capitals in the text" (see chars.ts `capitalsMatch`). Other entry fields are facts for users
 * (kind, nation, severity …) and are passed through untouched.
 */
import type { Alias, Gazetteer, OverlapRules } from './dataSchemas';
import forces from '../../../data/gazetteers/forces.json';
import bodies from '../../../data/gazetteers/bodies.json';
import ranks from '../../../data/gazetteers/ranks.json';
import allegations from '../../../data/gazetteers/allegations.json';
import sanctions from '../../../data/gazetteers/sanctions.json';
import overlaps from '../../../data/gazetteers/overlaps.json';
import wordlists from '../../../data/gazetteers/wordlists.json';
import { foldAlias, normalizeAlias } from './chars';

/** Detection categories, in the order matches at the same offset are reported. */
export const CATEGORIES = ['force', 'body', 'rank', 'allegation', 'sanction'] as const;
export type Category = (typeof CATEGORIES)[number];

export const ID_PATTERN = /^[a-z][a-z0-9_]*$/;

export type { Alias, GazetteerEntry, Gazetteer, OverlapRules } from './dataSchemas';

export interface Gazetteers {
  gazetteers: Gazetteer[];
  overlaps: OverlapRules;
  wordlists: Record<string, string[]>;
}

/** One alias of one entry, ready for matching. */
export interface Term {
  category: Category;
  /** The entry id, reported as the match `type`. */
  type: string;
  /** As written in the data file. */
  alias: string;
  /** Separators collapsed to one space and quotes made ASCII, case kept (for the capitals check). */
  normalized: string;
  /** `normalized`, case-folded: what the trie stores. */
  folded: string;
  caseSensitive: boolean;
  ambiguous: boolean;
  /** Normalised, folded phrases one of which must follow (after whitespace), or undefined. */
  followedBy?: readonly string[];
}

let bundled: Gazetteers | undefined;

/**
 * The gazetteers bundled with this build. They are part of the code, not input: the unit tests
 * validate every file against its schema (dataSchemas.ts), so the extension does not load zod to
 * check them again at run time.
 */
export function bundledGazetteers(): Gazetteers {
  bundled ??= {
    gazetteers: [forces, bodies, ranks, allegations, sanctions] as unknown as Gazetteer[],
    overlaps: overlaps as unknown as OverlapRules,
    wordlists: wordlists as Record<string, string[]>,
  };
  return bundled;
}

export function aliasText(alias: Alias): string {
  return typeof alias === 'string' ? alias : alias.text;
}

/** Key under which two aliases are "the same string" to the matcher. */
export function aliasKey(text: string): string {
  return foldAlias(normalizeAlias(text));
}

/**
 * Every alias as a `Term`, in data order. Overlap rules remove an alias from the categories
 * they do not keep; anything else is reported as it is (collisions are the unit tests' business).
 */
export function gazetteerTerms(data: Gazetteers = bundledGazetteers()): Term[] {
  const dropped = new Map<string, Set<Category>>();
  for (const rule of data.overlaps.rules) {
    for (const alias of rule.aliases) {
      const cats = dropped.get(aliasKey(alias)) ?? new Set<Category>();
      for (const c of rule.categories) if (!rule.keep.includes(c)) cats.add(c);
      dropped.set(aliasKey(alias), cats);
    }
  }
  const phrases = new Map(Object.entries(data.wordlists).map(([id, list]) => [id, list.map(aliasKey)]));
  const terms: Term[] = [];
  for (const g of data.gazetteers) {
    for (const entry of g.entries) {
      for (const a of entry.aliases) {
        const o = typeof a === 'string' ? { text: a } : a;
        const normalized = normalizeAlias(o.text);
        const folded = foldAlias(normalized);
        if (dropped.get(folded)?.has(g.category)) continue;
        let followedBy: string[] | undefined;
        if (o.followedBy !== undefined) {
          followedBy = phrases.get(o.followedBy);
          if (!followedBy) throw new Error(`${g.category} ${entry.id}: unknown word list "${o.followedBy}"`);
        }
        terms.push({
          category: g.category,
          type: entry.id,
          alias: o.text,
          normalized,
          folded,
          caseSensitive: o.caseSensitive ?? g.caseSensitive,
          ambiguous: o.ambiguous ?? false,
          followedBy,
        });
      }
    }
  }
  return terms;
}

/** The display name of an entry (e.g. for a hover or the sidebar), or undefined. */
export function entryName(category: Category, type: string, data: Gazetteers = bundledGazetteers()): string | undefined {
  return data.gazetteers.find((g) => g.category === category)?.entries.find((e) => e.id === type)?.name;
}
