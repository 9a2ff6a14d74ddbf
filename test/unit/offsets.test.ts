import * as assert from 'node:assert/strict';
import { codePointLength, OffsetMap } from '../../src/core/offsets';
import { checkArticle, decodeArticle, ArticleDecodeError, sha256Hex } from '../../src/core/article';

/** What Python's `str` indexing gives: the reference the sidecar format promises. */
function pySlice(text: string, start: number, end: number): string {
  return Array.from(text).slice(start, end).join('');
}

describe('code point offsets', () => {
  const samples = [
    'plain ASCII text',
    'Officer 👮 said “no” 🇬🇧 twice',
    'e\u0301 combining acute stays two code points',
    'line one\r\nline two\r\n👍🏽 end',
    '😀😀😀',
    '',
  ];

  for (const text of samples) {
    it(`round-trips every offset of ${JSON.stringify(text).slice(0, 30)}`, () => {
      const map = new OffsetMap(text);
      assert.equal(map.length, Array.from(text).length);
      assert.equal(codePointLength(text), map.length);
      for (let cp = 0; cp <= map.length; cp++) {
        assert.equal(map.toCodePoint(map.toUtf16(cp)), cp);
        for (let end = cp; end <= map.length; end++) assert.equal(map.slice(cp, end), pySlice(text, cp, end));
      }
    });
  }

  it('counts an emoji as one code point but two UTF-16 units', () => {
    const map = new OffsetMap('a👮b');
    assert.equal(map.toUtf16(2), 3);
    assert.equal(map.toCodePoint(3), 2);
    assert.equal(map.slice(1, 2), '👮');
  });

  it('keeps a combining mark as its own code point, like Python', () => {
    const map = new OffsetMap('Jose\u0301 Hampshire');
    assert.equal(map.slice(6, 15), 'Hampshire');
  });
});

describe('decoding articles', () => {
  it('removes a leading BOM but hashes the bytes as on disk', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Kent Police')]);
    assert.equal(decodeArticle(bytes), 'Kent Police');
    assert.notEqual(sha256Hex(bytes), sha256Hex('Kent Police'));
  });

  it('keeps CRLF line endings, so offsets match the file', () => {
    assert.equal(decodeArticle(new TextEncoder().encode('a\r\nb')), 'a\r\nb');
  });

  it('refuses a binary file with a clear reason', () => {
    assert.throws(() => decodeArticle(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])), (e: unknown) => e instanceof ArticleDecodeError && e.reason === 'binary' && /binary/.test(e.message));
  });

  it('refuses text that is not UTF-8 rather than guessing', () => {
    assert.throws(() => decodeArticle(new Uint8Array([0x63, 0x61, 0x66, 0xe9])), (e: unknown) => e instanceof ArticleDecodeError && e.reason === 'encoding');
  });

  it('checks bytes (the editor has the text already) with the same verdicts as decoding them', () => {
    const cases: Array<[string, Uint8Array]> = [
      ['BOM', new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('Kent 😀 Police')])],
      ['CRLF', new TextEncoder().encode('a\r\nb')],
      ['binary', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00])],
      ['Latin-1', new Uint8Array([0x63, 0x61, 0x66, 0xe9])],
      ['a lone surrogate encoded', new Uint8Array([0x61, 0xed, 0xa0, 0x80])],
      ['empty', new Uint8Array([])],
    ];
    const verdict = (f: () => unknown) => {
      try {
        f();
        return 'ok';
      } catch (e) {
        return e instanceof ArticleDecodeError ? `${e.reason}: ${e.message}` : String(e);
      }
    };
    for (const [what, bytes] of cases) assert.equal(verdict(() => checkArticle(bytes)), verdict(() => decodeArticle(bytes)), what);
  });
});
