/**
 * Case-insensitive regexes without the cost of the u flag. V8 runs a regex with both the i and u
 * flags several times slower than the same regex with i alone (it no longer skips ahead to the
 * letters a match could start with), and the rules run several per sentence. Without u, a regex
 * whose source is plain ASCII matches exactly what it matched with u in any text without the two
 * characters that Unicode case folding turns into ASCII letters: ſ (long s → s) and K (Kelvin
 * sign → k), which also count as word characters for \b and \w with both flags. So each regex
 * keeps its u form for a text that has one of them and uses its twin everywhere else.
 */

/** Whether `s` has a character that a case-insensitive Unicode regex takes for an ASCII letter. */
export function foldsToAscii(s: string): boolean {
  // (indexOf: a regex of the two took 9 ms on 10 MB)
  return s.indexOf('\u017f') >= 0 || s.indexOf('\u212a') >= 0;
}

/**
 * Whether removing u from a case-insensitive regex with this source cannot change a match on a
 * text without ſ or K: ASCII only, and none of the constructs that mean something else without u
 * (\p{…}, \u{…}) or read a surrogate pair as two characters (., \S, \W, \D, [^…]).
 */
function sameWithoutU(source: string): boolean {
  if (!/^[\x20-\x7e]*$/.test(source)) return false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[++i];
      if (next === 'p' || next === 'P' || next === 'S' || next === 'W' || next === 'D' || (next === 'u' && source[i + 1] === '{')) return false;
    } else if (c === '.' || (c === '[' && source[i + 1] === '^')) {
      return false;
    }
  }
  return true;
}

/** A case-insensitive regex (flags with i and u) and, where it is the same, its twin without u. */
export class CaseInsensitive {
  private readonly plain: RegExp;

  constructor(readonly unicode: RegExp) {
    const { source, flags } = unicode;
    this.plain = flags.includes('i') && flags.includes('u') && sameWithoutU(source) ? new RegExp(source, flags.replace('u', '')) : unicode;
  }

  /** The form to run on a text; `exotic`: whether the text `foldsToAscii`. */
  pick(exotic: boolean): RegExp {
    return exotic ? this.unicode : this.plain;
  }
}

/**
 * Whether \b takes this code unit for a word character in a case-insensitive regex: [A-Za-z0-9_],
 * and with the u flag (`exotic` texts) also ſ and K.
 */
export function isRegexWordChar(code: number, exotic: boolean): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x5f || (exotic && (code === 0x17f || code === 0x212a));
}

/**
 * The matches of a global regex in a whole text, to ask whether a part of it has one: a match of
 * the regex in text[from, to) on its own overlaps one of these, if the character before `from` is
 * not a word character (\b at the part's start means the same) and the regex matches wherever it
 * matches in a longer text (no lookahead past the part; every match needs only what it consumes).
 */
export class MatchRanges {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];

  constructor(re: RegExp, text: string) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      this.starts.push(m.index);
      this.ends.push(m.index + m[0].length);
      if (!m[0].length) re.lastIndex++;
    }
  }

  /** Whether a match lies inside [from, to). */
  within(from: number, to: number): boolean {
    // the first match starting at or after `from`: the ones after it start after its end
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.starts.length && this.ends[lo] <= to;
  }

  /** Whether a match overlaps [from, to) or starts in it. */
  overlaps(from: number, to: number): boolean {
    // the first match ending after `from`: matches do not overlap, so ends ascend
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid] <= from) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.starts.length && this.starts[lo] < to;
  }
}
