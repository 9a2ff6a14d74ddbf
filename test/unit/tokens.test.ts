import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { sentences, tokenize, tokenizeByDefinition } from '../../src/core/tokens';
import { checkProperty } from './property';

// characters that decide where tokens start and end: word characters of several scripts, a
// combining mark, digits, the inner joiners, white space JavaScript knows (and two it does not),
// punctuation, and characters outside the BMP (a letter and an emoji)
const PIECES = ['a', 'Z', 'é', 'ß', 'Ж', '7', '\u0301', "'", '’', '.', ',', '-', '–', ' ', '\t', '\n', '\r', '\u00a0', '\u2028', '\ufeff', '\u200b', '\u180e', '"', '£', '(', '!', '_', '𝐀', '😀', 'officer', "O'Brien", 'Stoke-on-Trent', '1,500'];

describe('tokens', () => {
  it('reads words with inner apostrophes, hyphens, periods and commas, and every other character alone', () => {
    assert.deepEqual(
      tokenize("PC O'Brien (Stoke-on-Trent) paid £1,500. -x").map((t) => t.text),
      ['PC', "O'Brien", '(', 'Stoke-on-Trent', ')', 'paid', '£', '1,500', '.', '-', 'x'],
    );
  });

  it('gives the tokens of the definition for any text and range (property-based)', () => {
    checkProperty(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }), fc.nat(), fc.nat(), (parts, a, b) => {
        const text = parts.join('');
        const from = a % (text.length + 1);
        const to = from + (b % (text.length - from + 1));
        assert.deepEqual(tokenize(text, from, to), tokenizeByDefinition(text, from, to));
      }),
      1000,
    );
  });

  it('splits sentences at line breaks and after a full stop, but not after an abbreviation', () => {
    assert.deepEqual(
      sentences('Sgt. Smith was dismissed. He appealed\r\nThe panel agreed!').map((s) => s.tokens.map((t) => t.text).join(' ')),
      ['Sgt . Smith was dismissed .', 'He appealed', 'The panel agreed !'],
    );
  });
});
