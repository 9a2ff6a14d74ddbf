import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MisconductApi } from '../../src/extension/extension';
import type { AnnotationNode, ViewsApi } from '../../src/extension/views';
import { api, newArticle, nextWrite, openArticle, readSidecar, waitFor, workspaceDir } from './helpers';

const SAMPLE = '002_15c05126c182eb79.txt';
const TEXT = 'Kent Police dismissed PC Jones for gross misconduct.\nThe IOPC said Kent Police acted.\nHe was barred.\n';

async function views(): Promise<ViewsApi> {
  const { views } = (await api()) as MisconductApi & { views: ViewsApi };
  assert.ok(views, 'the extension API exposes the views');
  return views;
}

/** Resolves once `check()` holds: now, or after one of the event's firings. */
function until<T>(event: vscode.Event<T>, check: () => boolean, what: string): Promise<void> {
  if (check()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}`));
    }, 15000);
    const sub = event(() => {
      if (!check()) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

/** The Annotations view's root items and each group's children, as the tree shows them. */
async function annotationTree(includeSuggestions = false): Promise<{ roots: AnnotationNode[]; items: vscode.TreeItem[]; children: (n: AnnotationNode) => AnnotationNode[]; item: (n: AnnotationNode) => vscode.TreeItem }> {
  const v = await views();
  v.annotations.flush();
  // the live suggestion engine adds a "Suggestions" group; most tests look only at annotations
  const roots = v.annotations.getChildren().filter((r) => includeSuggestions || !(r.kind === 'group' && r.group === 'suggestions'));
  return {
    roots,
    items: roots.map((r) => v.annotations.getTreeItem(r)),
    children: (n) => v.annotations.getChildren(n),
    item: (n) => v.annotations.getTreeItem(n),
  };
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
}

/** Runs a command that shows a QuickPick or InputBox and accepts what it offers first. */
async function acceptingQuickInput<T>(run: () => Thenable<T>): Promise<T> {
  let settled = false;
  const result = Promise.resolve(run()).finally(() => (settled = true));
  while (!settled) {
    await new Promise((r) => setTimeout(r, 100));
    if (!settled) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  return result;
}

/** Markdown as the user reads it. */
function plain(md: vscode.MarkdownString | string | undefined): string {
  return (typeof md === 'string' ? md : (md?.value ?? '')).replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
}

function sha256(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('review sidebar views', () => {
  let groupByBefore: string | undefined;
  before(async () => {
    groupByBefore = vscode.workspace.getConfiguration('misconduct').inspect<string>('annotations.groupBy')?.globalValue;
    await vscode.workspace.getConfiguration('misconduct').update('annotations.groupBy', undefined, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.workspace.getConfiguration('misconduct').update('annotations.groupBy', groupByBefore, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('misconduct.annotations.clearFilter');
  });

  it('lists the active article\'s annotations grouped by label, with counts, lines and notes', async () => {
    const { session } = await openArticle(path.join(workspaceDir(), SAMPLE));
    const tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['force', 'allegation', 'sanction']);
    assert.deepEqual(tree.items.map((i) => i.description), ['3', '11', '7']);
    assert.equal(tree.items[0].id, `${session.uri}#label:force`);
    assert.ok(tree.items[0].iconPath instanceof vscode.ThemeIcon);
    assert.equal((tree.items[0].iconPath as vscode.ThemeIcon).id, 'circle-filled');
    assert.equal(((tree.items[0].iconPath as vscode.ThemeIcon).color as unknown as { id: string }).id, 'misconduct.labelIcon.force');

    const forces = tree.children(tree.roots[0]).map(tree.item);
    assert.deepEqual(forces.map(labelOf), ['Hampshire', 'Hampshire Constabulary', 'Hampshire Constabulary']);
    assert.equal(forces[0].description, 'line 1');
    const first = session.doc.all().find((s) => s.text === 'Hampshire')!;
    assert.equal(forces[0].id, `${session.uri}#${first.id}`);
    assert.equal(forces[0].contextValue, 'misconduct.annotation');
    assert.deepEqual(forces[0].command?.arguments, [{ uri: session.uri, id: first.id }]);

    const sanctions = tree.children(tree.roots[2]).map(tree.item);
    const noted = sanctions.find((i) => labelOf(i).startsWith('placed on a list'))!;
    assert.match(String(noted.description), /✎ note/);
    assert.equal((noted.iconPath as vscode.ThemeIcon).id, 'note');
    assert.match(plain(noted.tooltip as vscode.MarkdownString), /The barred list, described/);
    assert.equal((await views()).annotationsView.description, SAMPLE);
  });

  it('reveals and selects the span when an item is clicked', async () => {
    const { editor } = await openArticle(path.join(workspaceDir(), SAMPLE));
    const tree = await annotationTree();
    const sanction = tree.children(tree.roots[2]).map(tree.item).find((i) => labelOf(i) === 'dismissed')!;
    await vscode.commands.executeCommand(sanction.command!.command, ...sanction.command!.arguments!);
    const active = vscode.window.activeTextEditor!;
    assert.equal(active.document.uri.toString(), editor.document.uri.toString());
    assert.equal(active.document.getText(active.selection), 'dismissed');
  });

  it('runs Change Label, Edit Note and Remove with the tree item as argument', async () => {
    const { session, file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 12, end: 21, label: 'sanction' });
    let tree = await annotationTree();
    const kent = tree.children(tree.roots[0])[0];
    assert.equal(kent.kind, 'annotation');

    // Change Label asks with a QuickPick: its first choice for a force span is "allegation"
    assert.equal(await acceptingQuickInput(() => vscode.commands.executeCommand('misconduct.changeLabel', kent)), true);
    assert.equal(session.doc.get((kent as { id: string }).id)?.label, 'allegation');
    tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['allegation', 'sanction']);

    // Edit Note asks with an InputBox titled after the item's span
    const dismissed = tree.children(tree.roots[1])[0];
    assert.equal(await acceptingQuickInput(() => vscode.commands.executeCommand('misconduct.editNote', dismissed)), true);

    assert.equal(await vscode.commands.executeCommand('misconduct.removeAnnotation', dismissed), 1);
    assert.deepEqual(session.doc.all().map((s) => s.text), ['Kent Police']);
    tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['allegation']);
  });

  it('filters by label and text, shows the filter, and clears it', async () => {
    const { file } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 67, end: 78, label: 'force' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 12, end: 21, label: 'sanction' });
    const v = await views();

    await vscode.commands.executeCommand('misconduct.annotations.filter', { labels: ['force'] });
    let tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['force']);
    assert.match(v.annotationsView.message ?? '', /Filtered: label force/);

    await vscode.commands.executeCommand('misconduct.annotations.filter', { text: 'DISMISS' });
    tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['sanction']);
    const dismissed = tree.item(tree.children(tree.roots[0])[0]);
    assert.deepEqual((dismissed.label as vscode.TreeItemLabel).highlights, [[0, 7]]);
    assert.match(v.annotationsView.message ?? '', /text “DISMISS”/);

    await vscode.commands.executeCommand('misconduct.annotations.filter', { labels: ['force'], text: 'nothing like this' });
    assert.deepEqual((await annotationTree()).roots, []);

    await vscode.commands.executeCommand('misconduct.annotations.clearFilter');
    tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['force', 'sanction']);
    assert.equal(tree.items[0].description, '2');
    assert.equal(v.annotationsView.message, undefined);
  });

  it('toggles between grouping by label and reading order', async () => {
    const { file, session } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 67, end: 78, label: 'force' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 12, end: 21, label: 'sanction' });
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    const v = await views();

    const regrouped = waitFor(v.annotations.onDidChangeTreeData, () => v.annotations.groupBy === 'position', 'the view to regroup');
    assert.equal(await vscode.commands.executeCommand('misconduct.annotations.toggleGroupBy'), 'position');
    await regrouped;
    let tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['Kent Police', 'dismissed', 'Kent Police']);
    assert.deepEqual(tree.items.map((i) => i.description), ['force · line 1', 'sanction · line 1', 'force · line 2']);
    assert.equal(tree.items[2].id, `${session.uri}#${session.doc.all()[2].id}`);

    const back = waitFor(v.annotations.onDidChangeTreeData, () => v.annotations.groupBy === 'label', 'the view to regroup');
    assert.equal(await vscode.commands.executeCommand('misconduct.annotations.toggleGroupBy'), 'label');
    await back;
    tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['force', 'sanction']);
  });

  it('shows orphaned annotations in their own group', async () => {
    const name = `orphans-${process.pid}.txt`;
    const file = path.join(workspaceDir(), name);
    fs.writeFileSync(file, TEXT);
    const annotation = (id: string, start: number, end: number, text: string, orphaned?: true) => ({ id, label: 'force', start, end, text, source: 'manual', created: '2026-01-01T00:00:00Z', ...(orphaned ? { orphaned } : {}) });
    fs.writeFileSync(
      file + '.annotations.json',
      JSON.stringify({
        version: 1,
        article: { file: name, sha256: sha256(file), length: TEXT.length },
        annotations: [annotation('a1', 0, 11, 'Kent Police'), annotation('a2', 20, 20, 'Surrey Police', true)],
      }),
    );
    await openArticle(file);
    const tree = await annotationTree();
    assert.deepEqual(tree.items.map(labelOf), ['force', 'Orphaned (1)']);
    const orphan = tree.item(tree.children(tree.roots[1])[0]);
    assert.equal(labelOf(orphan), 'Surrey Police');
    assert.equal(orphan.contextValue, 'misconduct.annotation.orphaned');

    const v = await views();
    await v.corpus.ready();
    await until(v.corpus.onDidUpdate, () => !!v.corpus.entry(vscode.Uri.file(file))?.problem, 'the orphan to be flagged');
    const entry = v.corpus.entry(vscode.Uri.file(file));
    assert.match(entry?.problem ?? '', /1 orphaned annotation/);
    assert.equal((v.corpus.getTreeItem(entry!).iconPath as vscode.ThemeIcon).id, 'warning');
  });

  it('shows suggestions from a SuggestionSource in their own group', async () => {
    const { session } = await newArticle(TEXT);
    const v = await views();
    const changed = new vscode.EventEmitter<vscode.Uri | undefined>();
    const registration = v.annotations.setSuggestionSource({
      onDidChange: changed.event,
      suggestions: (uri) => (uri.toString() === session.uri.toString() ? [{ id: '67:78:force', category: 'force', start: 67, end: 78, text: 'Kent Police', reason: 'gazetteer' }] : []),
    });
    try {
      const tree = await annotationTree(true);
      assert.equal(labelOf(tree.items[0]), 'Suggestions (1)');
      assert.equal(tree.items[0].contextValue, 'misconduct.suggestions');
      const [node] = tree.children(tree.roots[0]);
      assert.deepEqual({ uri: node.uri.toString(), suggestion: (node as { suggestion: object }).suggestion }, { uri: session.uri.toString(), suggestion: { id: '67:78:force', category: 'force', start: 67, end: 78, text: 'Kent Police', reason: 'gazetteer' } });
      const item = tree.item(node);
      assert.equal(item.contextValue, 'misconduct.suggestion');
      assert.equal(item.id, `${session.uri}#suggestion:67:78:force`);
      await vscode.commands.executeCommand(item.command!.command, ...item.command!.arguments!);
      const editor = vscode.window.activeTextEditor!;
      assert.equal(editor.document.getText(editor.selection), 'Kent Police');
    } finally {
      registration.dispose();
      changed.dispose();
    }
    assert.deepEqual((await annotationTree()).roots, []);
  });

  it('lists every article of the corpus with counts, states and progress', async () => {
    const v = await views();
    await v.corpus.ready();
    const all = v.corpus.all();
    const names = all.map((e) => e.relativePath);
    // the articles at the top of the workspace are rows at the top of the view
    assert.deepEqual(v.corpus.getChildren().filter((n) => n.kind === 'article').map((n) => n.relativePath), names.filter((n) => !n.includes('/')));
    for (const sample of ['000_fafa6f8612fe896a.txt', '001_928ec815419fdbae.txt', SAMPLE, '003_bb0ef3ef7eedfb27.txt', '004_5cda1f97e69ea7bc.txt']) {
      assert.ok(names.includes(sample), `${sample} is listed`);
    }
    assert.deepEqual([...names].sort(), names, 'sorted by path');
    assert.ok(!names.some((n) => n.endsWith('.annotations.json')));
    const sample = all.find((e) => e.relativePath === SAMPLE)!;
    assert.equal(sample.count, 21);
    assert.equal(sample.status, 'in_progress');
    const item = v.corpus.getTreeItem(sample);
    assert.equal(item.id, sample.uri.toString());
    assert.equal(item.description, '21');
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'record');
    assert.equal(item.contextValue, 'misconduct.article');
    const untouched = all.find((e) => e.relativePath === '004_5cda1f97e69ea7bc.txt')!;
    assert.equal(untouched.status, 'not_started');
    assert.equal((v.corpus.getTreeItem(untouched).iconPath as vscode.ThemeIcon).id, 'circle-large-outline');
    const done = all.filter((e) => e.status === 'done').length;
    assert.match(v.corpus.describe(), new RegExp(`^${done} / ${all.length} done`));
    assert.equal(v.corpusView.description, v.corpus.describe());
  });

  it('follows open articles live and picks up new files', async () => {
    const v = await views();
    await v.corpus.ready();
    const { file, session } = await newArticle(TEXT);
    const uri = vscode.Uri.file(file);
    await until(v.corpus.onDidUpdate, () => !!v.corpus.entry(uri), 'the new article to be listed');
    const written = nextWrite(session);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    await until(v.corpus.onDidUpdate, () => v.corpus.entry(uri)?.count === 1, 'the live count');
    assert.equal(v.corpus.entry(uri)?.status, 'in_progress');
    assert.equal(session.doc.size, 1);

    await written;
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(file);
    fs.rmSync(file + '.annotations.json', { force: true });
    await until(v.corpus.onDidUpdate, () => !v.corpus.entry(uri), 'the deleted article to go');
  });

  it('lists a near copy under the article it copies, still counted in the progress', async () => {
    const v = await views();
    await v.corpus.ready();
    const original = path.join(workspaceDir(), `release-${process.pid}.txt`);
    const copy = path.join(workspaceDir(), `release-${process.pid}-republished.txt`);
    fs.writeFileSync(original, TEXT);
    fs.writeFileSync(copy, TEXT);
    const sidecar = {
      version: 1,
      article: { file: path.basename(copy), sha256: createHash('sha256').update(TEXT).digest('hex'), length: [...TEXT].length },
      annotations: [],
      duplicateOf: path.basename(original),
    };
    fs.writeFileSync(copy + '.annotations.json', JSON.stringify(sidecar, null, 2) + '\n');
    const copyUri = vscode.Uri.file(copy);
    await until(v.corpus.onDidUpdate, () => v.corpus.entry(copyUri)?.duplicateOf !== undefined && !!v.corpus.entry(vscode.Uri.file(original)), 'the near copy to be read');
    const originalEntry = v.corpus.entry(vscode.Uri.file(original))!;
    const copyEntry = v.corpus.entry(copyUri)!;
    assert.deepEqual(v.corpus.getChildren(originalEntry), [copyEntry]);
    assert.ok(!v.corpus.getChildren().includes(copyEntry), 'not also at the top');
    assert.equal(v.corpus.getParent(copyEntry), originalEntry);
    const item = v.corpus.getTreeItem(originalEntry);
    assert.equal(item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(item.description), /1 near copy$/);
    assert.match(String(v.corpus.getTreeItem(copyEntry).description), new RegExp(`near copy of release-${process.pid}\\.txt`));
    // the progress counts every listed article, the copy too (other suites' files come and go: no totals here)
    assert.ok(v.corpus.all().includes(copyEntry) && v.corpus.all().includes(originalEntry), 'both listed and counted');

    for (const f of [copy + '.annotations.json', copy, original]) fs.rmSync(f);
    await until(v.corpus.onDidUpdate, () => !v.corpus.entry(copyUri) && !v.corpus.entry(vscode.Uri.file(original)), 'both to go');
  });

  it('marks a closed article done by writing status into its sidecar, and toggles back', async () => {
    const v = await views();
    await v.corpus.ready();
    const file = path.join(workspaceDir(), `closed-${process.pid}.txt`);
    fs.writeFileSync(file, TEXT);
    const uri = vscode.Uri.file(file);
    await until(v.corpus.onDidUpdate, () => !!v.corpus.entry(uri)?.loaded, 'the new article to be listed');
    const entry = v.corpus.entry(uri)!;
    assert.equal(entry.status, 'not_started');
    const doneBefore = v.corpus.progress().done;

    assert.equal(await vscode.commands.executeCommand('misconduct.markDone', entry), 'done');
    assert.equal(readSidecar(file).status, 'done');
    assert.deepEqual(readSidecar(file).annotations, []);
    assert.equal(entry.status, 'done');
    assert.equal(v.corpus.getTreeItem(entry).contextValue, 'misconduct.article.done');
    assert.equal(v.corpus.progress().done, doneBefore + 1);

    assert.equal(await vscode.commands.executeCommand('misconduct.markDone', entry), 'in_progress');
    assert.equal(readSidecar(file).status, 'in_progress');
    assert.equal(await vscode.commands.executeCommand('misconduct.markDone', uri), 'done');
    assert.equal(await vscode.commands.executeCommand('misconduct.markInProgress', entry), 'in_progress');
    assert.equal(readSidecar(file).status, 'in_progress');
  });

  it('marks the active article done through its session', async () => {
    const { file, session } = await newArticle(TEXT);
    await vscode.commands.executeCommand('misconduct.tagSelection', { uri: file, start: 0, end: 11, label: 'force' });
    await nextWrite(session);
    const written = nextWrite(session);
    assert.equal(await vscode.commands.executeCommand('misconduct.markDone'), 'done');
    await written;
    assert.equal(session.doc.status, 'done');
    const sidecar = readSidecar(file);
    assert.equal(sidecar.status, 'done');
    assert.equal(sidecar.annotations.length, 1);
    const v = await views();
    await v.corpus.ready();
    await until(v.corpus.onDidUpdate, () => v.corpus.entry(session.uri)?.status === 'done', 'the corpus to show it done');
  });

  it('flags an invalid sidecar and never writes the status over it', async () => {
    const v = await views();
    await v.corpus.ready();
    const file = path.join(workspaceDir(), `invalid-${process.pid}.txt`);
    fs.writeFileSync(file, TEXT);
    const broken = '{ "version": 1, "annotations": [ oops\n';
    fs.writeFileSync(file + '.annotations.json', broken);
    const uri = vscode.Uri.file(file);
    await until(v.corpus.onDidUpdate, () => !!v.corpus.entry(uri)?.problem, 'the invalid sidecar to be flagged');
    const entry = v.corpus.entry(uri)!;
    assert.match(entry.problem!, /Invalid annotations file: is not valid JSON/);
    const item = v.corpus.getTreeItem(entry);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');
    // the hover is built when it opens
    const hovered = v.corpus.resolveTreeItem(item, entry);
    assert.match(plain(hovered.tooltip as vscode.MarkdownString), /Invalid annotations file: is not valid JSON/);

    assert.equal(await vscode.commands.executeCommand('misconduct.markDone', entry), undefined);
    assert.equal(fs.readFileSync(file + '.annotations.json', 'utf8'), broken);
  });
});
