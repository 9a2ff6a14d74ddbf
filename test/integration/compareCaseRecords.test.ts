/**
 * Compare mode on case records (issue 31, Deliver 6), in real VS Code: while comparing with another
 * annotator's set, Compare Case Records matches my cases with theirs by the overlap of their evidence
 * spans in the same article, reports agreement per field on matched cases and the cases only one set
 * has — the same core function and figures as `misconduct-annotate agree`.
 */
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, closeAll, newArticle, workspaceDir } from './helpers';

const TEXT = 'PC Jane Doe of Kent Police was dismissed for dishonesty. A sergeant was given a final written warning.\n';
const T = '2026-12-07T10:00:00Z';

describe('compare mode: case records', () => {
  let other: string;
  const written: string[] = [];

  after(async () => {
    await vscode.commands.executeCommand('misconduct.stopComparing');
    await closeAll();
    for (const file of written) fs.rmSync(file, { force: true });
    fs.rmSync(other, { recursive: true, force: true });
  });

  it('matches cases by their evidence spans and reports per-field agreement and the cases only one set has', async () => {
    const opened = await newArticle(TEXT);
    const name = path.basename(opened.file);
    const doc = opened.editor.document;
    const read = (s: number, e: number) => doc.getText(new vscode.Range(doc.positionAt(s), doc.positionAt(e)));
    const [officer] = opened.session.doc.add(read, [{ start: 0, end: 11, label: 'officer' }]);
    await (await api()).store.flush(opened.session);
    const mine = path.join(workspaceDir(), 'cases', `c-mine-${process.pid}.case.json`);
    written.push(opened.file, `${opened.file}.annotations.json`, mine);
    fs.mkdirSync(path.dirname(mine), { recursive: true });
    const id = path.basename(mine, '.case.json');
    fs.writeFileSync(mine, JSON.stringify({ version: 1, id, title: 'PC Jane Doe', fields: { outcome: 'dismissal_without_notice', force: 'kent' }, evidence: [{ id: 'e-1', file: name, annotation: officer.id, quote: 'PC Jane Doe' }], created: T }));

    other = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-case-records-set-'));
    fs.writeFileSync(path.join(other, name), TEXT);
    const span = (sid: string, start: number, end: number, label: string) => ({ id: sid, label, start, end, text: TEXT.slice(start, end), source: 'manual', author: 'anna', created: T });
    fs.writeFileSync(
      path.join(other, `${name}.annotations.json`),
      JSON.stringify({ version: 1, article: { file: name, sha256: createHash('sha256').update(TEXT).digest('hex'), length: [...TEXT].length }, annotations: [span('t-o1', 3, 11, 'officer'), span('t-o2', 57, 67, 'officer')] }),
    );
    fs.mkdirSync(path.join(other, 'cases'));
    const theirs = (cid: string, annotation: string, fields: object) => fs.writeFileSync(path.join(other, 'cases', `${cid}.case.json`), JSON.stringify({ version: 1, id: cid, title: cid, fields, evidence: [{ id: 'e-1', file: name, annotation, quote: 'x' }], created: T }));
    theirs('c-doe', 't-o1', { outcome: 'final_written_warning', force: 'kent' });
    theirs('c-sergeant', 't-o2', { outcome: 'final_written_warning' });

    assert.equal(await vscode.commands.executeCommand('misconduct.compareWith', other), path.resolve(other));
    const report = (await vscode.commands.executeCommand('misconduct.compareCaseRecords', { show: false })) as {
      matched: Array<{ a: string; b: string; overlap: number }>;
      only_a: string[];
      only_b: string[];
      fields: Record<string, { both: number; exact_match: number | null; disagreements: Array<{ a: string; b: string }> }>;
    };
    assert.deepEqual(report.matched, [{ a: id, b: 'c-doe', overlap: 8 }], '“Jane Doe” is the evidence both cases rest on');
    assert.deepEqual(report.only_b, ['c-sergeant']);
    assert.ok(!report.only_a.includes(id));
    assert.equal(report.fields.force.exact_match, 1);
    assert.equal(report.fields.outcome.exact_match, 0);
    assert.deepEqual(report.fields.outcome.disagreements.map((d) => [d.a, d.b]), [[id, 'c-doe']]);

    // shown as a read-only document beside the article
    await vscode.commands.executeCommand('misconduct.compareCaseRecords');
    const shown = vscode.window.activeTextEditor?.document;
    assert.ok(shown && shown.uri.scheme === 'misconduct-case-agreement', shown?.uri.toString());
    assert.match(shown.getText(), /only in misconduct-case-records-set-\w+: c-sergeant/);
    assert.match(shown.getText(), /outcome: c-mine-\d+ says "dismissal_without_notice", c-doe says "final_written_warning"/);
  });
});
