/** The extension's view of the core detector: matches in a slice of text, in document offsets. */
import { detectTerms, entryName, Match } from '../../core/detect';

export interface Suggestion extends Match {
  /** Readable name of the gazetteer entry, e.g. "Metropolitan Police Service". */
  name?: string;
}

/** Detects in `text`, which starts at document offset `base`. */
export function suggestionsIn(text: string, base: number): Suggestion[] {
  return detectTerms(text).map((m) => ({ ...m, start: m.start + base, end: m.end + base }));
}

export function describeSuggestion(s: Suggestion): string {
  const name = entryName(s.category, s.type);
  return name && name.toLowerCase() !== s.text.toLowerCase() ? `${s.category}: ${name}` : s.category;
}
