import * as assert from 'node:assert/strict';
import { commandLink } from '../../src/extension/common/commandLink';
import { shorten } from '../../src/extension/common/names';

/** The arguments a `command:` link passes (VS Code decodes the query as a JSON array). */
function argsOf(link: string): unknown {
  const query = /\]\(command:[\w.]+\?([^)\s]*)\)$/.exec(link)?.[1];
  assert.ok(query !== undefined, `one link, ending the string: ${link}`);
  return JSON.parse(decodeURIComponent(query))[0];
}

describe('commandLink', () => {
  it('escapes a title with Markdown and HTML specials, so it stays the text of one link', () => {
    const title = 'Accept as [x](command:evil) <img src=x onerror=alert(1)> *b* `c` $(zap) & a\\b';
    const link = commandLink(title, 'misconduct.acceptSuggestion', { id: 'a' });
    const text = link.slice(1, link.indexOf('](command:misconduct.acceptSuggestion?'));
    // every special is preceded by a backslash: none opens a link, a tag, emphasis, code or an icon
    assert.doesNotMatch(text.replace(/\\./g, ''), /[[\]()<>*`$&\\]/);
    assert.equal(text.replace(/\\(.)/g, '$1'), title);
  });

  it('percent-encodes the arguments, so a value with specials cannot end the link', () => {
    const args = { uri: 'file:///a (1).txt', id: 'x) [y](command:evil' };
    const link = commandLink('Remove', 'misconduct.removeAnnotation', args);
    assert.doesNotMatch(link.slice(link.indexOf('?'), -1), /[()[\]\s]/);
    assert.deepEqual(argsOf(link), args);
  });

  it('draws our own theme icon before the escaped title', () => {
    assert.match(commandLink('Go to', 'misconduct.revealAnnotation', { id: 'a' }, 'go-to-file'), /^\[\$\(go-to-file\) Go to\]\(command:misconduct\.revealAnnotation\?/);
    assert.match(commandLink('$(close) Unlink', 'misconduct.unlinkAnnotations', {}), /^\[\\\$\\\(close\\\) Unlink\]/);
  });
});

describe('shorten', () => {
  it('puts the text on one line and cuts it with an ellipsis', () => {
    assert.equal(shorten('  a\n\tb  '), 'a b');
    assert.equal(shorten('abcdef', 4), 'abc…');
    assert.equal(shorten('abcd', 4), 'abcd');
  });
});
