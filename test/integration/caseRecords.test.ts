/**
 * Case records in the editor (issue 31), driven through the commands' arguments as a test or
 * another extension would: New Case from Annotation… on an officer span, Add to Case… from a
 * second article, Edit Case Field…; the record on disk after each.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CaseRecord } from '../../src/core/cases';
import { api, closeAll, newArticle, workspaceDir } from './helpers';

const BEFORE = 'PC Jane Doe of Kent Police faces a hearing for dishonesty.';
const AFTER = 'PC Jane Doe was dismissed without notice by Kent Police.';

function spanOf(text: string, quote: string) {
  return { start: text.indexOf(quote), end: text.indexOf(quote) + quote.length };
}

async function tag(uri: string, text: string, quote: string, label: string): Promise<string> {
  await vscode.commands.executeCommand('misconduct.tagSelection', { uri, ...spanOf(text, quote), label });
  const { store } = await api();
  const session = store.all().find((s) => s.uri.toString() === uri)!;
  return session.doc.all().find((s) => s.text === quote && s.label === label)!.id;
}

function onDisk(id: string): CaseRecord {
  return JSON.parse(fs.readFileSync(path.join(workspaceDir(), 'cases', `${id}.case.json`), 'utf8'));
}

/** What the test wrote into the shared workspace: removed after it, so suites that count the corpus see it as it was. */
const written: string[] = [];

describe('case records', () => {
  after(async () => {
    await closeAll();
    for (const file of written) fs.rmSync(file, { force: true });
  });

  it('New Case from Annotation…, Add to Case… and Edit Case Field… write the case record, each value with its evidence', async () => {
    const first = await newArticle(BEFORE);
    const uri1 = first.session.uri.toString();
    const officer = await tag(uri1, BEFORE, 'PC Jane Doe', 'officer');
    const force = await tag(uri1, BEFORE, 'Kent Police', 'force');
    const allegation = await tag(uri1, BEFORE, 'dishonesty', 'allegation');
    await vscode.commands.executeCommand('misconduct.linkAnnotations', { uri: uri1, from: officer, to: force, label: 'member' });
    await vscode.commands.executeCommand('misconduct.linkAnnotations', { uri: uri1, from: officer, to: allegation, label: 'subject' });
    await (await api()).store.flush(first.session);

    const made = (await vscode.commands.executeCommand('misconduct.newCaseFromAnnotation', { uri: uri1, id: officer, title: 'PC Jane Doe' })) as CaseRecord;
    assert.match(made.id, /^c-/);
    written.push(first.file, `${first.file}.annotations.json`, path.join(workspaceDir(), 'cases', `${made.id}.case.json`));
    const record = onDisk(made.id);
    assert.equal(record.title, 'PC Jane Doe');
    const article1 = path.basename(first.file);
    assert.deepEqual(record.evidence.filter((e) => e.annotation).map((e) => e.annotation).sort(), [allegation, force, officer].sort(), 'the chain officer → force, allegation');
    assert.equal(record.evidence.filter((e) => e.relation).length, 2);
    assert.ok(record.evidence.every((e) => e.file === article1));
    // a force span typed by the gazetteer fills the force field, with that span as its evidence
    if (record.fields.force !== undefined) assert.equal(record.evidence.find((e) => e.field === 'force')?.annotation, force);

    const second = await newArticle(AFTER);
    const uri2 = second.session.uri.toString();
    written.push(second.file, `${second.file}.annotations.json`);
    const officer2 = await tag(uri2, AFTER, 'PC Jane Doe', 'officer');
    const added = (await vscode.commands.executeCommand('misconduct.addToCase', { uri: uri2, id: officer2, caseId: made.id })) as CaseRecord;
    assert.deepEqual([...new Set(onDisk(made.id).evidence.map((e) => e.file))].sort(), [article1, path.basename(second.file)].sort());
    assert.equal(added.evidence.length, record.evidence.length + 1);

    // the first report ranks first against the second: the same officer, force and words
    const ranked = (await vscode.commands.executeCommand('misconduct.findSameCaseArticles', { uri: uri2, show: false })) as Array<{ file: string; reason: string }>;
    assert.equal(ranked[0]?.file, article1, JSON.stringify(ranked.slice(0, 3)));
    assert.match(ranked[0].reason, /officer “doe”, “jane”/);

    const edited = (await vscode.commands.executeCommand('misconduct.editCaseField', { uri: uri2, caseId: made.id, field: 'barred_list', value: true })) as CaseRecord;
    assert.equal(edited.fields.barred_list, true);
    assert.equal(onDisk(made.id).fields.barred_list, true);
    await vscode.commands.executeCommand('misconduct.editCaseField', { uri: uri2, caseId: made.id, field: 'barred_list', value: null });
    assert.equal(onDisk(made.id).fields.barred_list, undefined, 'null clears the field');
    // both sidecars on disk before the files are removed (no write left to recreate one)
    for (const s of [first.session, second.session]) await (await api()).store.flush(s);
  });
});
