import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CaseState } from '../../src/extension/cases';
import type { CorpusStats } from '../../src/core/stats';
import { api, closeAll, newArticle, nextWrite, readSidecar, waitFor } from './helpers';

const TEXT = 'Kent Police said PC Jane Doe was dismissed without notice after a misconduct hearing.';
const at = (s: string) => ({ start: TEXT.indexOf(s), end: TEXT.indexOf(s) + s.length });
const formOnDisk = (file: string) => readSidecar(file).document as Record<string, unknown> | undefined;

/** Shows the Case view and resolves with the state it shows once it matches. */
async function caseState(predicate: (s: Extract<CaseState, { kind: 'article' }>) => boolean, what: string): Promise<Extract<CaseState, { kind: 'article' }>> {
  const { cases } = await api();
  const last = cases.lastState();
  if (last?.kind === 'article' && predicate(last)) return last;
  const next = waitFor(cases.onDidPost, (s) => s.kind === 'article' && predicate(s), what);
  if (!cases.webviewView()) await vscode.commands.executeCommand('misconduct.case.focus');
  return (await next) as Extract<CaseState, { kind: 'article' }>;
}

describe('case form', () => {
  after(closeAll);

  it('misconduct.setDocumentField sets, nulls and clears a field without UI, and refuses bad values', async () => {
    const { session, file } = await newArticle(TEXT);
    const uri = session.uri.toString();
    let written = nextWrite(session);
    assert.equal(await vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'outcome', value: 'dismissal_without_notice' }), true);
    await written;
    assert.deepEqual(formOnDisk(file), { outcome: 'dismissal_without_notice' });

    written = nextWrite(session);
    assert.equal(await vscode.commands.executeCommand('misconduct.setDocumentField', { uri: file, field: 'finding', value: null }), true);
    await written;
    assert.deepEqual(formOnDisk(file), { finding: null, outcome: 'dismissal_without_notice' });

    // no "value": the field is removed; a value outside the options is kept as it is
    assert.equal(await vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'finding' }), true);
    assert.equal(await vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'outcome', value: 'sacked_on_the_spot' }), true);
    await (await api()).store.flush(session);
    assert.deepEqual(formOnDisk(file), { outcome: 'sacked_on_the_spot' });
    assert.equal(await vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'outcome', value: 'sacked_on_the_spot' }), false, 'unchanged');

    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'outcome', value: { a: 1 } })), /"value" is a string/);
    await assert.rejects(Promise.resolve(vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: '__proto__', value: 'x' })), /may not be named/);
    assert.equal(session.doc.field('outcome'), 'sacked_on_the_spot');
  });

  it('Misconduct: Undo Annotation Change undoes a form change, and Redo redoes it', async () => {
    const { session, file } = await newArticle(TEXT);
    const uri = session.uri.toString();
    await vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'proceeding', value: 'misconduct_hearing' });
    let written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'standards', value: ['std_honesty_and_integrity'] });
    await written;
    assert.deepEqual(formOnDisk(file), { proceeding: 'misconduct_hearing', standards: ['std_honesty_and_integrity'] });
    written = nextWrite(session);
    assert.equal(await vscode.commands.executeCommand('misconduct.undoAnnotation', { uri }), true);
    await written;
    assert.deepEqual(formOnDisk(file), { proceeding: 'misconduct_hearing' });
    written = nextWrite(session);
    assert.equal(await vscode.commands.executeCommand('misconduct.redoAnnotation', { uri }), true);
    await written;
    assert.deepEqual(formOnDisk(file), { proceeding: 'misconduct_hearing', standards: ['std_honesty_and_integrity'] });
  });

  it('the Case view shows the active article\'s form, its pre-fill, and follows edits, undo, the active editor and the settings', async () => {
    const { session } = await newArticle(TEXT);
    const uri = session.uri.toString();
    let state = await caseState((s) => s.uri === uri, 'the view on the new article');
    assert.equal(state.editable, true);
    assert.deepEqual(
      state.fields.map((f) => f.name),
      (await api()).config.documentFields.map((f) => f.name),
    );
    assert.ok(state.fields.every((f) => f.value === undefined && !f.suggestion));

    // tagging spans brings their pre-fill, with the spans it came from
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri, ...at('Kent Police'), label: 'force' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri, ...at('dismissed without notice'), label: 'sanction' });
    state = await caseState((s) => s.uri === uri && !!s.fields.find((f) => f.name === 'outcome')?.suggestion, 'the outcome suggestion');
    const outcome = state.fields.find((f) => f.name === 'outcome')!;
    assert.equal(outcome.suggestion?.value, 'dismissal_without_notice');
    assert.equal(outcome.suggestion?.display, 'Dismissal without notice');
    const sanction = session.doc.all().find((s) => s.label === 'sanction')!;
    assert.deepEqual(outcome.suggestion?.from, [{ id: sanction.id, text: 'dismissed without notice' }]);
    assert.equal(state.fields.find((f) => f.name === 'force')?.suggestion?.value, 'kent');

    // a form change shows, and undo takes it back
    await vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'outcome', value: 'dismissal_without_notice' });
    state = await caseState((s) => s.uri === uri && s.fields.find((f) => f.name === 'outcome')?.value === 'dismissal_without_notice', 'the outcome set');
    assert.equal(state.fields.find((f) => f.name === 'outcome')?.suggestion, undefined, 'accepted: no longer suggested');
    await vscode.commands.executeCommand('misconduct.undoAnnotation', { uri });
    await caseState((s) => s.uri === uri && s.fields.find((f) => f.name === 'outcome')?.value === undefined, 'the outcome undone');

    // another article: the view follows the active editor
    const other = await newArticle('Nothing here.');
    await caseState((s) => s.uri === other.session.uri.toString(), 'the view on the other article');
    await vscode.window.showTextDocument(session.document);
    await caseState((s) => s.uri === uri, 'the view back on the first article');

    // settings: a field the settings drop is shown as unknown, never dropped
    await vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field: 'outcome', value: 'written_warning' });
    const config = vscode.workspace.getConfiguration('misconduct');
    await config.update('documentFields', [{ name: 'notes', type: 'text', description: 'Free text' }], vscode.ConfigurationTarget.Workspace);
    try {
      state = await caseState((s) => s.uri === uri && s.fields.length === 1, 'the view with the new settings');
      assert.deepEqual(state.fields.map((f) => [f.name, f.type]), [['notes', 'text']]);
      assert.deepEqual(state.unknown.map((f) => [f.name, f.value, f.problem]), [['outcome', 'written_warning', 'not a field of the configured codebook']]);
    } finally {
      await config.update('documentFields', undefined, vscode.ConfigurationTarget.Workspace);
    }
    await caseState((s) => s.uri === uri && s.fields.length > 1, 'the view with the default fields again');
    assert.deepEqual((await api()).cases.violations(), [], 'no CSP violation');
  });

  it('the dashboard counts the forms: outcome × standard, proceeding × outcome, officers by rank and status', async () => {
    const { session } = await newArticle(TEXT);
    const uri = session.uri.toString();
    const set = (field: string, value: unknown) => vscode.commands.executeCommand('misconduct.setDocumentField', { uri, field, value });
    await set('outcome', 'reduction_in_rank');
    await set('standards', ['std_use_of_force']);
    await set('proceeding', 'accelerated_misconduct_hearing');
    await set('officer_rank', 'detective_chief_inspector');
    await (await api()).store.flush(session);
    const stats = (await vscode.commands.executeCommand('misconduct.showDashboard')) as CorpusStats;
    assert.ok(stats.codedArticles >= 1);
    assert.equal(stats.outcomeStandard.reduction_in_rank?.std_use_of_force, 1);
    assert.equal(stats.proceedingOutcome.accelerated_misconduct_hearing?.reduction_in_rank, 1);
    assert.equal(stats.officers.detective_chief_inspector?.not_recorded, 1);
  });
});
