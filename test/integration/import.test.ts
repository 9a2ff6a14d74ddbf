import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

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
});
