/**
 * Lone surrogates: half of a UTF-16 pair, which `JSON.parse` makes of a "\ud800" escape and which no
 * text can hold (Python refuses to encode them; a CSV writer turns them into U+FFFD). Kept out of
 * the schema module so the editor can strip them without loading the validator.
 */

/** Matches a lone surrogate (with the `u` flag, a valid pair is one character and never matches). */
export const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * The text without lone surrogates: what the editor keeps of a note, name or form value typed or
 * passed in, so a sidecar it writes always passes the schema (a lone half stands for no character).
 */
export function withoutLoneSurrogates(s: string): string {
  return LONE_SURROGATE.test(s) ? s.replace(/[\uD800-\uDFFF]/gu, '') : s;
}
