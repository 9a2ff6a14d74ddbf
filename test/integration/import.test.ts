import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CaseState } from '../../src/extension/cases';
import type { MisconductApi } from '../../src/extension/extension';
import type { ViewsApi } from '../../src/extension/views';
import { api, closeAll, openArticle, readSidecar, waitFor, workspaceDir } from './helpers';

/** The test pages, in the checkout these compiled tests run from (out/test/integration). */
const PAGES = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'import');

interface Summary {
  imported: number;
  nearCopies: number;
  copies: number;
  failed: number;
  results: Array<{ kind: string; page: string; article?: string }>;
}

describe('import articles command', () => {
  after(closeAll);

  it('imports saved pages into a folder without asking anything, with sources, copies skipped or marked', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'import-'));
    const summary = await vscode.commands.executeCommand<Summary>('misconduct.importArticles', { uris: [PAGES], out });
    assert.deepEqual([summary.imported, summary.nearCopies, summary.copies, summary.failed], [7, 1, 1, 0]);
    const article = fs.readFileSync(path.join(out, 'pc-sacked-after-misconduct-hearing.txt'), 'utf8');
    assert.equal(article, fs.readFileSync(path.join(PAGES, 'expected', 'news-jsonld.txt'), 'utf8'));
    const sidecar = JSON.parse(fs.readFileSync(path.join(out, 'pc-sacked-after-misconduct-hearing.txt.annotations.json'), 'utf8'));
    assert.equal(sidecar.source.url, 'https://www.westshire-gazette.example/news/pc-sacked-after-misconduct-hearing-1234');
    const near = JSON.parse(fs.readFileSync(path.join(out, 'detective-warned-over-unrecorded-complaint.txt.annotations.json'), 'utf8'));
    assert.equal(near.duplicateOf, 'officer-given-final-written-warning.txt');

    // a second import of one page adds nothing and overwrites nothing
    const again = await vscode.commands.executeCommand<Summary>('misconduct.importArticles', { uris: [vscode.Uri.file(path.join(PAGES, 'teasers.html'))], out: vscode.Uri.file(out) });
    assert.deepEqual([again.imported, again.copies], [0, 1]);
  });

  it('shows an imported article\'s source in the Case view, and keeps an edit of it in the sidecar', async () => {
    const out = path.join(workspaceDir(), `imported-${process.pid}`);
    await vscode.commands.executeCommand('misconduct.importArticles', { uris: [path.join(PAGES, 'force-press.htm'), path.join(PAGES, 'republished')], out });
    const { session, file } = await openArticle(path.join(out, 'detective-warned-over-unrecorded-complaint.txt'));
    const { cases, store } = await api();
    const shown = (s: CaseState | undefined) => s?.kind === 'article' && s.uri === session.uri.toString() && s.source.some((f) => f.key === 'outlet' && f.value === 'Northmoor Today');
    const next = waitFor(cases.onDidPost, shown, 'the Case view showing the source');
    if (!cases.webviewView()) await vscode.commands.executeCommand('misconduct.case.focus');
    if (!shown(cases.lastState())) await next;
    const state = cases.lastState() as Extract<CaseState, { kind: 'article' }>;
    assert.equal(state.duplicateOf, 'officer-given-final-written-warning.txt');
    assert.deepEqual(state.source.map((f) => f.key), ['url', 'outlet', 'title', 'published', 'retrieved', 'byline']);

    assert.equal(session.doc.setSource({ ...session.doc.source, outlet: 'Northmoor Today (print)' }), true);
    await store.flush(session);
    const onDisk = readSidecar(file) as { source?: Record<string, string>; duplicateOf?: string };
    assert.equal(onDisk.source?.outlet, 'Northmoor Today (print)');
    assert.equal(onDisk.duplicateOf, 'officer-given-final-written-warning.txt');

    // the Corpus view names the original beside the copy
    const { views } = (await api()) as MisconductApi & { views: ViewsApi };
    const copy = views.corpus.entry(session.uri);
    assert.ok(copy, 'the near copy is listed');
    if (copy.duplicateOf === undefined) await waitFor(views.corpus.onDidUpdate, () => copy.duplicateOf !== undefined, 'the Corpus view reading the copy');
    assert.match(String(views.corpus.getTreeItem(copy).description), /near copy of officer-given-final-written-warning\.txt$/);
  });
});
