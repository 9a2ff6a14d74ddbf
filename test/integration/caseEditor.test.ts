/**
 * The Case record editor and Merge Cases… (issue 31), in the extension host: the editor shows each
 * field's case value beside each article's form value with disagreements marked, takes a value
 * (the file on disk changes, with evidence), Undo/Redo Case Edit reverse it and refuse when the file
 * changed on disk; Merge Cases… joins two records and removes the second.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CaseRecord } from '../../src/core/cases';
import { api, closeAll, newArticle, workspaceDir } from './helpers';

const casesDir = () => path.join(workspaceDir(), 'cases');
const caseFile = (id: string) => path.join(casesDir(), `${id}.case.json`);
const onDisk = (id: string): CaseRecord => JSON.parse(fs.readFileSync(caseFile(id), 'utf8'));

function writeRecord(record: CaseRecord): void {
  fs.mkdirSync(casesDir(), { recursive: true });
  fs.writeFileSync(caseFile(record.id), JSON.stringify(record, null, 2) + '\n');
}

const written: string[] = [];

describe('case record editor', () => {
  let first: string;
  let second: string;
  const id = `c-editor-${process.pid}`;

  before(async () => {
    const a = await newArticle('PC Jane Doe of Kent Police was dismissed without notice.');
    const b = await newArticle('PC Jane Doe was given a final written warning by Kent Police.');
    written.push(a.file, `${a.file}.annotations.json`, b.file, `${b.file}.annotations.json`, caseFile(id));
    first = path.basename(a.file);
    second = path.basename(b.file);
    await vscode.commands.executeCommand('misconduct.setDocumentField', { uri: a.session.uri.toString(), field: 'outcome', value: 'dismissal_without_notice' });
    await vscode.commands.executeCommand('misconduct.setDocumentField', { uri: a.session.uri.toString(), field: 'force', value: 'kent' });
    await vscode.commands.executeCommand('misconduct.setDocumentField', { uri: b.session.uri.toString(), field: 'outcome', value: 'final_written_warning' });
    await vscode.commands.executeCommand('misconduct.setDocumentField', { uri: b.session.uri.toString(), field: 'force', value: 'kent' });
    writeRecord({
      version: 1,
      id,
      title: 'PC Jane Doe',
      fields: { force: 'kent' },
      evidence: [
        { id: 'e-1', file: first, quote: 'PC Jane Doe' },
        { id: 'e-2', file: second, quote: 'PC Jane Doe' },
      ],
      created: '2026-12-07T10:00:00Z',
    });
  });

  after(async () => {
    await closeAll();
    for (const file of written) fs.rmSync(file, { force: true });
  });

  it('shows each field with every article’s value, takes one with its evidence, and undoes and redoes it', async () => {
    const uri = vscode.workspace.workspaceFolders![0].uri;
    const state = (await vscode.commands.executeCommand('misconduct.openCaseRecord', { uri, caseId: id })) as { kind: string; rows: Array<{ field: string; disagree: boolean; display: string; articles: Array<{ file: string; taken: boolean }> }>; articles: string[] };
    assert.equal(state.kind, 'case');
    assert.deepEqual(state.articles, [first, second].sort());
    const outcome = state.rows.find((r) => r.field === 'outcome')!;
    assert.equal(outcome.disagree, true, 'the two articles give different outcomes');
    assert.equal(outcome.display, '—');
    const force = state.rows.find((r) => r.field === 'force')!;
    assert.equal(force.disagree, false);
    assert.ok(force.articles.every((a) => a.taken));

    const { caseRecords } = await api();
    const editor = caseRecords.editor()!;
    const taken = await editor.take('outcome', second);
    assert.equal(taken?.fields.outcome, 'final_written_warning');
    const record = onDisk(id);
    assert.equal(record.fields.outcome, 'final_written_warning');
    assert.ok(record.evidence.some((e) => e.file === second && e.field === 'outcome'), 'the article’s form is the evidence');
    const shown = await editor.update();
    assert.ok(shown.kind === 'case' && shown.canUndo);
    assert.ok(shown.kind === 'case' && shown.rows.find((r) => r.field === 'outcome')!.articles.find((a) => a.file === second)!.taken);

    assert.equal(await vscode.commands.executeCommand('misconduct.undoCaseEdit'), true);
    assert.equal(onDisk(id).fields.outcome, undefined, 'undone on disk');
    assert.equal(onDisk(id).evidence.length, 2);
    assert.equal(await vscode.commands.executeCommand('misconduct.redoCaseEdit'), true);
    assert.equal(onDisk(id).fields.outcome, 'final_written_warning', 'redone');

    // Edit Case Field… is a case edit too: undo covers it
    await vscode.commands.executeCommand('misconduct.editCaseField', { uri, caseId: id, field: 'barred_list', value: true });
    assert.equal(onDisk(id).fields.barred_list, true);
    assert.equal(await vscode.commands.executeCommand('misconduct.undoCaseEdit', { caseId: id }), true);
    assert.equal(onDisk(id).fields.barred_list, undefined);
    assert.deepEqual(editor.violations(), [], 'no content security policy violation');
  });

  it('refuses to undo over a case file changed on disk, saying why, and loses nothing', async () => {
    const { caseRecords } = await api();
    const editor = caseRecords.editor()!;
    await editor.take('outcome', first);
    const changed = { ...onDisk(id), note: 'edited by hand' };
    fs.writeFileSync(caseFile(id), JSON.stringify(changed, null, 2) + '\n');
    assert.equal(await vscode.commands.executeCommand('misconduct.undoCaseEdit'), false);
    assert.equal(onDisk(id).note, 'edited by hand', 'the hand edit stays');
    const state = await editor.update();
    assert.ok(state.kind === 'case' && /changed on disk/.test(state.status ?? ''), JSON.stringify(state.kind === 'case' && state.status));
  });

  it('undoes New Case from Annotation… by removing the file it wrote, and redoes it', async () => {
    const text = 'Sergeant Bob Roe of Kent Police was dismissed.';
    const opened = await newArticle(text);
    written.push(opened.file, `${opened.file}.annotations.json`);
    const uri = opened.session.uri.toString();
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri, start: 0, end: 'Sergeant Bob Roe'.length, label: 'officer' });
    const officer = opened.session.doc.all().find((s) => s.label === 'officer')!;
    const made = (await vscode.commands.executeCommand('misconduct.newCaseFromAnnotation', { uri, id: officer.id, title: 'Sgt Roe' })) as CaseRecord;
    written.push(caseFile(made.id));
    assert.ok(fs.existsSync(caseFile(made.id)));
    assert.equal(await vscode.commands.executeCommand('misconduct.undoCaseEdit', { caseId: made.id }), true);
    assert.equal(fs.existsSync(caseFile(made.id)), false, 'the new case file is removed');
    assert.equal(await vscode.commands.executeCommand('misconduct.redoCaseEdit', { caseId: made.id }), true);
    assert.equal(onDisk(made.id).title, 'Sgt Roe', 'and written again');
  });

  it('Merge Cases… joins two records: evidence united, the chosen value kept, the second file removed', async () => {
    const a = `c-merge-a-${process.pid}`;
    const b = `c-merge-b-${process.pid}`;
    written.push(caseFile(a), caseFile(b));
    writeRecord({ version: 1, id: a, title: 'A', fields: { force: 'kent', outcome: 'dismissal_without_notice' }, evidence: [{ id: 'e-1', file: first, annotation: 'a-1', quote: 'PC' }], created: '2026-12-07T10:00:00Z' });
    writeRecord({ version: 1, id: b, title: 'B', fields: { force: 'kent', outcome: 'final_written_warning', barred_list: true }, evidence: [{ id: 'e-1', file: second, annotation: 'b-1', quote: 'PC' }, { id: 'e-2', file: first, annotation: 'a-1', quote: 'PC' }], created: '2026-12-06T10:00:00Z' });
    const uri = vscode.workspace.workspaceFolders![0].uri;
    const joined = (await vscode.commands.executeCommand('misconduct.mergeCases', { uri, a, b, choices: { outcome: 'b' } })) as CaseRecord;
    assert.equal(joined.id, a);
    assert.equal(fs.existsSync(caseFile(b)), false, 'the second record is removed');
    const record = onDisk(a);
    assert.equal(record.fields.outcome, 'final_written_warning');
    assert.equal(record.fields.barred_list, true);
    assert.equal(record.evidence.length, 2, 'the same span once');
    assert.equal(record.conflicts, undefined);
  });
});
