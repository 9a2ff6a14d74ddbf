import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, IGrammar, Registry } from 'vscode-textmate';
import { REPO, SAMPLES } from './helpers';
import { SCOPE_NAME, grammarFiles } from '../../scripts/grammar';

const GRAMMAR = path.join(REPO, 'syntaxes', 'misconduct-article.tmLanguage.json');

let grammarPromise: Promise<IGrammar> | undefined;

/** The shipped grammar, loaded into the real TextMate engine VS Code uses. */
function loadGrammar(): Promise<IGrammar> {
  grammarPromise ??= (async () => {
    const wasm = fs.readFileSync(path.join(REPO, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const registry = new Registry({
      onigLib: Promise.resolve({
        createOnigScanner: (patterns: string[]) => new oniguruma.OnigScanner(patterns),
        createOnigString: (s: string) => new oniguruma.OnigString(s),
      }),
      loadGrammar: async (scope) => (scope === SCOPE_NAME ? JSON.parse(fs.readFileSync(GRAMMAR, 'utf8')) : null),
    });
    const grammar = await registry.loadGrammar(SCOPE_NAME);
    if (!grammar) throw new Error('grammar did not load');
    return grammar;
  })();
  return grammarPromise;
}

interface Token {
  text: string;
  scopes: string[];
}

async function tokenize(text: string): Promise<Token[]> {
  const grammar = await loadGrammar();
  const tokens: Token[] = [];
  let stack = INITIAL;
  for (const line of text.split(/\r?\n/)) {
    const r = grammar.tokenizeLine(line, stack);
    for (const t of r.tokens) tokens.push({ text: line.slice(t.startIndex, t.endIndex), scopes: t.scopes });
    stack = r.ruleStack;
  }
  return tokens;
}

/** The texts of the tokens whose innermost scope starts with `scope`. */
function scoped(tokens: Token[], scope: string): string[] {
  return tokens.filter((t) => t.scopes.some((s) => s.startsWith(scope))).map((t) => t.text);
}

function sample(prefix: string): string {
  const name = fs.readdirSync(SAMPLES).find((f) => f.startsWith(prefix) && f.endsWith('.txt'))!;
  return fs.readFileSync(path.join(SAMPLES, name), 'utf8');
}

describe('TextMate grammar', () => {
  it('is generated from the gazetteers and up to date (run `npm run build` if not)', () => {
    for (const [name, text] of Object.entries(grammarFiles())) {
      assert.equal(fs.readFileSync(path.join(REPO, 'syntaxes', name), 'utf8'), text, `syntaxes/${name} is stale`);
    }
  });

  it('colours forces, bodies and sanction phrases in a real article', async () => {
    const tokens = await tokenize(sample('002_'));
    const forces = scoped(tokens, 'entity.name.type.force');
    assert.ok(forces.includes('Hampshire'), `forces: ${forces}`);
    assert.ok(forces.includes('Hampshire Constabulary'), `forces: ${forces}`);
    assert.ok(scoped(tokens, 'entity.name.tag.body').includes('IOPC'));
    assert.ok(scoped(tokens, 'entity.name.tag.body').includes('Independent Office for Police Conduct'));
    const sanctions = scoped(tokens, 'keyword.other.sanction');
    assert.ok(sanctions.includes('was dismissed'), `sanctions: ${sanctions}`);
    assert.ok(sanctions.includes('has been sacked'), `sanctions: ${sanctions}`);
    assert.ok(scoped(tokens, 'support.type.rank').includes('police constable'));
  });

  it('colours the Met but not the verb "met"', async () => {
    const tokens = await tokenize('Two Met officers met the IOPC. The Met’s response and Met Police officers.');
    assert.deepEqual(scoped(tokens, 'entity.name.type.force'), ['Met', 'Met', 'Met Police']);
  });

  // TextMate tokenises line by line, so unlike the detector it cannot match a name broken over lines.
  it('prefers the longest name and accepts dashes inside names', async () => {
    const tokens = await tokenize('The Metropolitan Police Service said. Dyfed–Powys Police agreed.');
    assert.deepEqual(scoped(tokens, 'entity.name.type.force'), ['Metropolitan Police Service', 'Dyfed–Powys Police']);
  });

  it('colours quotes, dates and money', async () => {
    const tokens = await tokenize('He said: “We expect the highest standards.” On 12 March 2024 he was fined £1,500 (April 2022).');
    assert.ok(scoped(tokens, 'string.quoted.double').join('').includes('We expect the highest standards.'));
    assert.deepEqual(scoped(tokens, 'constant.numeric.date'), ['12 March 2024', 'April 2022']);
    assert.deepEqual(scoped(tokens, 'constant.numeric.money'), ['£1,500']);
  });

  it('ends an unclosed quote at the end of its line', async () => {
    const tokens = await tokenize('“We expect all of our officers\nStaffordshire Police said.');
    assert.ok(!scoped(tokens, 'string.quoted').some((t) => t.includes('Staffordshire')));
    assert.deepEqual(scoped(tokens, 'entity.name.type.force'), ['Staffordshire Police']);
  });

  it('keeps entity colours inside quotes', async () => {
    const tokens = await tokenize('“The IOPC found he was dismissed without notice.”');
    assert.ok(scoped(tokens, 'entity.name.tag.body').includes('IOPC'));
    assert.ok(scoped(tokens, 'keyword.other.sanction').includes('was dismissed without notice'));
  });

  it('tokenises every sample article quickly enough for an editor', async () => {
    const texts = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.txt')).map((f) => fs.readFileSync(path.join(SAMPLES, f), 'utf8'));
    for (const text of texts) assert.ok((await tokenize(text)).length > 0);
  });
});
