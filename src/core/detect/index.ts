/**
 * Term detection: the public face of src/core/detect. Pure (no `vscode`), shared by the `suggest`
 * CLI verb and the extension.
 *
 * `detectTerms` is the gazetteer scan alone (fast, exact over ranges: the grammar and the bench
 * use it); `suggestTerms` is what the annotator is offered: the scan plus the rules of rules.ts
 * (allegation clauses, Standards in lists, filters), each with its source and reason.
 */
import { Detector, Match } from './detector';
import { bundledGazetteers, entryName } from './gazetteer';
import { RuledMatch, applyRules, unsuggestedEntries } from './rules';

export { Detector, toCodePointMatches } from './detector';
export type { DetectorOptions, Match } from './detector';
export { CATEGORIES, bundledGazetteers, entryName, gazetteerTerms } from './gazetteer';
export type { Category, Gazetteer, GazetteerEntry, Gazetteers, Term } from './gazetteer';
export { applyRules, withoutNesting } from './rules';
export type { RuledMatch, SuggestionSource } from './rules';
export { conductCategory, conductLexicon } from './conductLexicon';
export { insideLongerName } from './longerNames';
export { sentences } from './sentences';

let cached: Detector | undefined;

/** The detector over the bundled gazetteers, built on first use (a few milliseconds) and kept. */
export function defaultDetector(): Detector {
  return (cached ??= Detector.fromBundledData());
}

/** `defaultDetector().detect(...)`: UTF-16 offsets; see `Detector.detect` for ranges. */
export function detectTerms(text: string, from?: number, to?: number): Match[] {
  return defaultDetector().detect(text, from, to);
}

let unsuggested: Set<string> | undefined;

/**
 * The suggestions for a text (UTF-16 offsets): gazetteer terms that pass the rules, allegation
 * clauses and Standards, with `source` and `reason`. Rules look at whole sentences, so give it
 * whole lines (the extension passes a window of lines).
 */
export function suggestTerms(text: string): RuledMatch[] {
  unsuggested ??= unsuggestedEntries(bundledGazetteers().gazetteers as never);
  return applyRules(text, detectTerms(text), {
    unsuggested,
    entryName: (category, type) => entryName(category as never, type),
    detect: (sentence) => defaultDetector().detect(sentence),
  });
}
