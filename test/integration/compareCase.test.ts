/**
 * Compare mode on the case model, in real VS Code: form-field and relation disagreements with
 * another annotator's set, and the adjudicator's picks applied through the article session (each
 * undone by Undo). The other set is a folder holding the same article with their sidecar.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CompareApi } from '../../src/extension/compare';
import type { ArticleSession } from '../../src/extension/store/articleSession';
import { api, newArticle } from './helpers';

// "PC Jane Doe" 0–11, "Jane Doe" 3–11, "Kent Police" 15–26, "dismissed" 31–40, "dishonesty" 45–55,
// "A sergeant" 57–67
const TEXT = 'PC Jane Doe of Kent Police was dismissed for dishonesty. A sergeant was given a final written warning.\n';
const D = 'dismissal_without_notice';
const FWW = 'final_written_warning';
const HONESTY = 'std_honesty_and_integrity';

function theirSidecar(name: string) {
  const span = (id: string, start: number, end: number, label: string) => ({ id, label, start, end, text: TEXT.slice(start, end), source: 'manual', author: 'anna', created: '2024-05-01T10:00:00Z' });
  const relation = (id: string, label: string, from: string, to: string) => ({ id, label, from, to, author: 'anna', created: '2024-05-01T10:00:00Z' });
  return {
    version: 1,
    article: { file: name, sha256: '0'.repeat(64), length: [...TEXT].length },
    annotations: [span('t-o1', 3, 11, 'officer'), span('t-f', 15, 26, 'force'), span('t-s', 31, 40, 'sanction'), span('t-al', 45, 55, 'allegation'), span('t-o2', 57, 67, 'officer')],
    relations: [
      // a slip: the same two spans as my "subject", typed "member"
      relation('r-t1', 'member', 't-o1', 't-al'),
      // I did not link the allegation to its outcome
      relation('r-t2', 'outcome', 't-al', 't-s'),
      // the sergeant, whom I did not tag
      relation('r-t3', 'member', 't-o2', 't-f'),
    ],
    document: { barred_list: true, outcome: FWW, standards: [HONESTY] },
  };
}

async function compareApi(): Promise<CompareApi> {
  const a = (await api()) as unknown as { compare?: CompareApi };
  assert.ok(a.compare, 'the extension exports its compare controller as `compare`');
  return a.compare;
}

/** My relations as "from-text -label-> to-text". */
function myRelations(session: ArticleSession): string[] {
  const text = (id: string) => session.doc.all().find((s) => s.id === id)?.text;
  return session.doc
    .relations()
    .map((r) => `${text(r.from)} -${r.label}-> ${text(r.to)}`)
    .sort();
}

async function resolve(session: ArticleSession, id: string, choice: string): Promise<unknown> {
  return vscode.commands.executeCommand('misconduct.resolveCaseDisagreement', { uri: session.uri.toString(), id, choice });
}

describe('compare mode: form and relation disagreements', () => {
  let compare: CompareApi;
  let session: ArticleSession;
  let other: string;
  let theirFile: string;
  let theirBytes: Buffer;
  let originalRelations: string[];
  const ids = new Map<string, string>();

  before(async () => {
    compare = await compareApi();
    const opened = await newArticle(TEXT);
    session = opened.session;
    const doc = opened.editor.document;
    const read = (s: number, e: number) => doc.getText(new vscode.Range(doc.positionAt(s), doc.positionAt(e)));
    const added = session.doc.add(read, [
      { start: 0, end: 11, label: 'officer' },
      { start: 15, end: 26, label: 'force' },
      { start: 31, end: 40, label: 'sanction' },
      { start: 45, end: 55, label: 'allegation' },
    ]);
    for (const s of added) ids.set(s.label, s.id);
    assert.ok(session.doc.link({ from: ids.get('officer')!, to: ids.get('force')!, label: 'member' }));
    assert.ok(session.doc.link({ from: ids.get('officer')!, to: ids.get('allegation')!, label: 'subject' }));
    session.doc.setFields(
      new Map<string, string | boolean>([
        ['force', 'kent'],
        ['outcome', D],
        ['barred_list', true],
      ]),
    );
    originalRelations = myRelations(session);

    other = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-case-set-'));
    const name = path.basename(opened.file);
    fs.writeFileSync(path.join(other, name), TEXT);
    theirFile = path.join(other, name + '.annotations.json');
    const sidecar = theirSidecar(name);
    // the real hash of the article, as their editor would have written it
    const { createHash } = await import('node:crypto');
    sidecar.article.sha256 = createHash('sha256').update(TEXT).digest('hex');
    fs.writeFileSync(theirFile, JSON.stringify(sidecar, null, 2) + '\n');
    theirBytes = fs.readFileSync(theirFile);
    assert.equal(await vscode.commands.executeCommand('misconduct.compareWith', other), path.resolve(other));
  });

  after(async () => {
    await vscode.commands.executeCommand('misconduct.stopComparing');
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('lists form fields and relations that differ, their relations read onto my spans', () => {
    assert.equal(compare.comparison(session.uri)?.other.kind, 'ok');
    const list = compare.caseDisagreements(session.uri).map((d) =>
      d.kind === 'field' ? `${d.field}: ${JSON.stringify(d.mine)} / ${JSON.stringify(d.theirs)}` : `${d.side} ${d.from.mine?.text ?? `(${d.from.theirs?.text})`} -> ${d.to.mine?.text ?? `(${d.to.theirs?.text})`} [${d.mine.map((r) => r.label)}|${d.theirs.map((r) => r.label)}] ${d.unmatched}`,
    );
    assert.deepEqual(list, [
      'force: "kent" / undefined',
      `outcome: "${D}" / "${FWW}"`,
      `standards: undefined / ["${HONESTY}"]`,
      'mine PC Jane Doe -> Kent Police [member|] ',
      'type PC Jane Doe -> dishonesty [subject|member] ',
      'theirs dishonesty -> dismissed [|outcome] ',
      'theirs (A sergeant) -> Kent Police [|member] from',
    ]);
    assert.match(compare.statusDetails(session) ?? '', /Case coding differs: 3 form fields and 4 relations/);
  });

  it('Take Theirs on a form field sets their value (or clears mine), one undo step each', async () => {
    assert.equal(await resolve(session, 'field:outcome', 'theirs'), 'theirs');
    assert.equal(session.doc.field('outcome'), FWW);
    assert.equal(await resolve(session, 'field:force', 'theirs'), 'theirs');
    assert.equal(session.doc.field('force'), undefined);
    assert.ok(!compare.caseDisagreements(session.uri).some((d) => d.kind === 'field' && (d.field === 'outcome' || d.field === 'force')));
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.equal(session.doc.field('force'), 'kent');
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.equal(session.doc.field('outcome'), D);
    assert.equal(compare.caseDisagreements(session.uri).filter((d) => d.kind === 'field').length, 3);
  });

  it('Keep Mine on a form field leaves my form as it is and resolves the disagreement', async () => {
    assert.equal(await resolve(session, 'field:standards', 'mine'), 'mine');
    assert.equal(session.doc.field('standards'), undefined);
    assert.ok(!compare.caseDisagreements(session.uri).some((d) => d.id === 'field:standards'));
  });

  it('Take Theirs on a relation of another type retypes mine; on a relation only I have, unlinks it', async () => {
    const type = compare.caseDisagreements(session.uri).find((d) => d.kind === 'relation' && d.side === 'type')!;
    assert.equal(await resolve(session, type.id, 'theirs'), 'theirs');
    assert.deepEqual(myRelations(session), ['PC Jane Doe -member-> Kent Police', 'PC Jane Doe -member-> dishonesty']);
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.deepEqual(myRelations(session), originalRelations);

    const mine = compare.caseDisagreements(session.uri).find((d) => d.kind === 'relation' && d.side === 'mine')!;
    assert.equal(await resolve(session, mine.id, 'theirs'), 'theirs');
    assert.deepEqual(myRelations(session), ['PC Jane Doe -subject-> dishonesty']);
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.deepEqual(myRelations(session), originalRelations);
  });

  it('Take Theirs on their relation links my matching spans, keeping their author', async () => {
    const theirs = compare.caseDisagreements(session.uri).find((d) => d.kind === 'relation' && d.side === 'theirs' && !d.unmatched.length)!;
    assert.equal(await resolve(session, theirs.id, 'theirs'), 'theirs');
    const linked = session.doc.relations().find((r) => r.label === 'outcome')!;
    assert.deepEqual([linked.from, linked.to, linked.author], [ids.get('allegation'), ids.get('sanction'), 'anna']);
    assert.ok(!compare.caseDisagreements(session.uri).some((d) => d.id === theirs.id));
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.deepEqual(myRelations(session), originalRelations);
  });

  it('offers the relation choices in the lightbulb on a span at one of its ends', async () => {
    const pos = session.document.positionAt(50);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', session.uri, new vscode.Range(pos, pos));
    const titles = actions.map((a) => a.title);
    for (const t of ['Relation: Take Theirs (link “dishonesty” —outcome→ “dismissed”)', 'Relation: Keep Mine (no link)', 'Relation: Take Theirs (type member)']) {
      assert.ok(titles.includes(t), `${t} in ${titles.join(' | ')}`);
    }
  });

  it('says when an end of their relation has no matching span, and takes their span too when asked', async () => {
    const d = compare.caseDisagreements(session.uri).find((x) => x.kind === 'relation' && x.unmatched.length)!;
    const spans = session.doc.all().length;
    // "theirs" alone cannot link an end I have no span for: nothing changes
    assert.equal(await resolve(session, d.id, 'theirs'), undefined);
    assert.equal(session.doc.all().length, spans);
    assert.deepEqual(myRelations(session), originalRelations);

    assert.equal(await resolve(session, d.id, 'theirsWithSpans'), 'theirsWithSpans');
    const sergeant = session.doc.all().find((s) => s.text === 'A sergeant')!;
    assert.deepEqual([sergeant.label, sergeant.meta.author], ['officer', 'anna']);
    assert.ok(myRelations(session).includes('A sergeant -member-> Kent Police'));
    assert.ok(!compare.caseDisagreements(session.uri).some((x) => x.id === d.id));
    // two steps: the link, then the span
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    await vscode.commands.executeCommand('misconduct.undoAnnotation');
    assert.equal(session.doc.all().length, spans);
    assert.deepEqual(myRelations(session), originalRelations);
  });

  it('Keep Mine (Skip) on a relation hides it for this compare session; their set is never written', async () => {
    const before = compare.caseDisagreements(session.uri).filter((d) => d.kind === 'relation');
    for (const d of before) assert.equal(await resolve(session, d.id, 'mine'), 'mine');
    assert.deepEqual(compare.caseDisagreements(session.uri).filter((d) => d.kind === 'relation'), []);
    assert.deepEqual(myRelations(session), originalRelations);
    assert.ok(fs.readFileSync(theirFile).equals(theirBytes));
    assert.deepEqual(fs.readdirSync(other).sort(), [path.basename(theirFile).replace('.annotations.json', ''), path.basename(theirFile)].sort());
  });
});
