/**
 * Near copies in the Corpus view (issue 34): a copy is listed under the article it copies,
 * wherever the corpus it was imported into sits in the workspace.
 */
import * as assert from 'node:assert/strict';
import { copySuffix, groupCopies } from '../../src/extension/views/corpusCopies';

const entry = (relativePath: string, duplicateOf?: string) => ({ relativePath, ...(duplicateOf ? { duplicateOf } : {}) });

describe('Corpus view: near copies', () => {
  it('lists a copy under its original, in path order, and names the original in its description', () => {
    const original = entry('news/release.txt');
    const copyA = entry('news/a-copy.txt', 'release.txt');
    const copyB = entry('news/b-copy.txt', 'release.txt');
    const other = entry('news/other.txt');
    const { copies, shownUnder } = groupCopies([copyA, copyB, other, original]);
    assert.deepEqual(copies.get(original), [copyA, copyB]);
    assert.equal(shownUnder.get(copyA), original);
    assert.equal(shownUnder.has(other), false);
    assert.equal(copySuffix(copyA), ' · near copy of release.txt');
    assert.equal(copySuffix(other), '');
  });

  it('finds the original relative to the corpus folder the copy was imported into, the deepest first', () => {
    const top = entry('corpus/sub/release.txt');
    const copy = entry('corpus/other/copy.txt', 'sub/release.txt');
    assert.equal(groupCopies([copy, top]).shownUnder.get(copy), top);
  });

  it('leaves a copy in place when its original is not listed, or is a copy itself (no chains, no cycles)', () => {
    const orphan = entry('copy.txt', 'gone.txt');
    const a = entry('a.txt', 'b.txt');
    const b = entry('b.txt', 'a.txt');
    const self = entry('self.txt', 'self.txt');
    const { shownUnder, copies } = groupCopies([a, b, orphan, self]);
    assert.equal(shownUnder.size, 0);
    assert.equal(copies.size, 0);
  });
});
