/**
 * Term detection: the public face of src/core/detect. Pure (no `vscode`), shared by the `suggest`
 * CLI verb and the extension.
 */
import { Detector, Match } from './detector';

export { Detector, toCodePointMatches } from './detector';
export type { DetectorOptions, Match } from './detector';
export { CATEGORIES, bundledGazetteers, entryName, gazetteerTerms } from './gazetteer';
export type { Category, Gazetteer, GazetteerEntry, Gazetteers, Term } from './gazetteer';

let cached: Detector | undefined;

/** The detector over the bundled gazetteers, built on first use (a few milliseconds) and kept. */
export function defaultDetector(): Detector {
  return (cached ??= Detector.fromBundledData());
}

/** `defaultDetector().detect(...)`: UTF-16 offsets; see `Detector.detect` for ranges. */
export function detectTerms(text: string, from?: number, to?: number): Match[] {
  return defaultDetector().detect(text, from, to);
}
