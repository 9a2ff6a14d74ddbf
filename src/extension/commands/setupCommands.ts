/**
 * Getting set up without settings.json (issue 18): Configure Labels… edits `misconduct.labels`
 * through Quick Picks, Set Your Name… writes `misconduct.author`, Open Sample Corpus opens a scratch
 * copy of the bundled samples, and a one-time prompt after the first tag asks for the name so
 * hovers and exports say who made each annotation. The walkthrough (package.json) links to them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { addLabel, EXTRA_LABEL_COLORS, LabelDefinition, labelColorProblem, labelNameProblem, labelSetting, removeLabel, SUGGESTION_CATEGORIES, updateLabel } from '../../core/labels';
import { Config } from '../config';
import { ArticleStore } from '../store/articleStore';
import { Command } from './command';
import { inWebWorker, needsDesktopMessage } from '../common/host';

/** Okabe–Ito colours with names (distinct under common colour blindness), then the user's own. */
const NAMED_COLORS: ReadonlyArray<[string, string]> = [
  ['#0072B2', 'blue'],
  ['#D55E00', 'vermilion'],
  ['#009E73', 'bluish green'],
  ['#CC79A7', 'reddish purple'],
  ['#E69F00', 'orange'],
  ['#56B4E9', 'sky blue'],
  ['#F0E442', 'yellow'],
  ['#999999', 'grey'],
];

type Item<T> = vscode.QuickPickItem & { value: T };

export class ConfigureLabelsCommand implements Command {
  readonly id = 'misconduct.configureLabels';
  constructor(private readonly config: Config) {}

  /** Runs until the user closes the list; returns the labels as last written. */
  async execute(): Promise<LabelDefinition[]> {
    for (;;) {
      const labels = this.current();
      const pick = await vscode.window.showQuickPick<Item<string | undefined>>(
        [
          ...labels.map((l) => ({
            label: `$(circle-filled) ${l.name}`,
            description: [l.color, l.categories?.length ? `takes ${l.categories.join(', ')} suggestions` : undefined].filter(Boolean).join(' · '),
            detail: l.description,
            value: l.name,
          })),
          { label: '$(add) Add Label…', value: undefined },
        ],
        { title: 'Configure Labels', placeHolder: 'Choose a label to change, or add one (Escape when done)' },
      );
      if (!pick) return labels;
      if (pick.value === undefined) await this.add(labels);
      else await this.edit(labels, pick.value);
    }
  }

  private current(): LabelDefinition[] {
    return labelSetting(this.config.labels);
  }

  private async add(labels: LabelDefinition[]): Promise<void> {
    const name = await vscode.window.showInputBox({
      title: 'Add Label (1/3): name',
      prompt: 'Lower-case letters, digits, "-" or "_", e.g. officer',
      validateInput: (v) => labelNameProblem(v.trim(), labels),
    });
    if (!name) return;
    const used = new Set(labels.map((l) => l.color.toLowerCase()));
    const color = await this.pickColor(`Add Label (2/3): colour of "${name.trim()}"`, NAMED_COLORS.find(([c]) => !used.has(c.toLowerCase()))?.[0] ?? EXTRA_LABEL_COLORS[0]);
    if (!color) return;
    const categories = await this.pickCategories(`Add Label (3/3): suggestions "${name.trim()}" takes`, [], labels);
    if (!categories) return;
    await this.config.updateLabels(addLabel(labels, { name: name.trim(), color, ...(categories.length ? { categories } : {}) }));
  }

  private async edit(labels: LabelDefinition[], name: string): Promise<void> {
    const label = labels.find((l) => l.name === name);
    if (!label) return;
    const action = await vscode.window.showQuickPick<Item<string>>(
      [
        { label: '$(edit) Rename…', value: 'rename' },
        { label: '$(symbol-color) Change Colour…', description: label.color, value: 'color' },
        { label: '$(note) Edit Description…', description: label.description, value: 'description' },
        { label: '$(lightbulb) Suggestions It Takes…', description: (label.categories ?? [label.name]).filter((c) => (SUGGESTION_CATEGORIES as readonly string[]).includes(c)).join(', ') || 'none', value: 'categories' },
        { label: '$(trash) Remove', description: 'annotations keep the label in their files', value: 'remove' },
      ],
      { title: `Label "${name}"`, placeHolder: 'What do you want to change?' },
    );
    if (!action) return;
    let next: LabelDefinition[] | undefined;
    if (action.value === 'rename') {
      const to = await vscode.window.showInputBox({
        title: `Rename "${name}"`,
        value: name,
        prompt: 'Annotations already tagged keep the old name in their files (shown in a neutral style).',
        validateInput: (v) => labelNameProblem(v.trim(), labels, name),
      });
      if (to && to.trim() !== name) next = updateLabel(labels, name, { name: to.trim() });
    } else if (action.value === 'color') {
      const color = await this.pickColor(`Colour of "${name}"`, label.color);
      if (color) next = updateLabel(labels, name, { color });
    } else if (action.value === 'description') {
      const description = await vscode.window.showInputBox({ title: `Description of "${name}"`, value: label.description ?? '' });
      if (description !== undefined) next = updateLabel(labels, name, { description: description.trim() || undefined });
    } else if (action.value === 'categories') {
      const categories = await this.pickCategories(`Suggestions "${name}" takes`, label.categories ?? [label.name], labels);
      if (categories) next = updateLabel(labels, name, { categories });
    } else if (action.value === 'remove') {
      const ok = await vscode.window.showWarningMessage(`Remove the label "${name}"? Annotations tagged with it stay in their files and are shown in a neutral style.`, { modal: true }, 'Remove');
      if (ok === 'Remove') next = removeLabel(labels, name);
    }
    if (next) await this.config.updateLabels(next);
  }

  private async pickColor(title: string, current: string): Promise<string | undefined> {
    const items: Item<string>[] = [
      ...NAMED_COLORS.map(([hex, name]) => ({ label: `$(circle-filled) ${name}`, description: hex + (hex.toLowerCase() === current.toLowerCase() ? ' (current)' : ''), value: hex })),
      { label: '$(edit) Other colour…', description: 'a hex code', value: '' },
    ];
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Okabe–Ito colours stay distinct under common colour blindness' });
    if (!pick) return undefined;
    if (pick.value) return pick.value;
    return (await vscode.window.showInputBox({ title, value: current, validateInput: (v) => labelColorProblem(v.trim()) }))?.trim();
  }

  private async pickCategories(title: string, current: readonly string[], labels: readonly LabelDefinition[]): Promise<string[] | undefined> {
    const items = SUGGESTION_CATEGORIES.map((c) => {
      const taker = labels.find((l) => (l.categories ?? [l.name]).includes(c));
      return { label: c, description: taker ? `now taken by "${taker.name}"` : 'highlight only now', picked: current.includes(c), value: c };
    });
    const picks = await vscode.window.showQuickPick(items, { title, canPickMany: true, placeHolder: 'Suggestions of these kinds can be accepted as this label (none: it takes no suggestions)' });
    return picks?.map((p) => p.value);
  }
}

export class SetAuthorCommand implements Command {
  readonly id = 'misconduct.setAuthor';
  constructor(private readonly config: Config) {}

  async execute(arg?: unknown): Promise<string | undefined> {
    const given = typeof arg === 'string' ? arg : undefined;
    const name =
      given ??
      (await vscode.window.showInputBox({
        title: 'Your Name or Initials',
        prompt: 'Written as "author" into the annotations you make, and shown in hovers and exports.',
        value: this.config.author ?? '',
        validateInput: (v) => (v.trim() ? undefined : 'Type a name or initials.'),
      }));
    if (!name?.trim()) return undefined;
    await this.config.setAuthor(name);
    return name.trim();
  }
}

/** Opens a fresh copy of the sample corpus shipped with the extension (never the copy in place). */
export class OpenSamplesCommand implements Command {
  readonly id = 'misconduct.openSamples';
  constructor(private readonly extensionUri: vscode.Uri) {}

  async execute(): Promise<string | undefined> {
    // the copy goes to a temp folder on this computer, which a browser does not have
    if (inWebWorker) return void vscode.window.showInformationMessage(needsDesktopMessage('Open Sample Corpus (a fresh copy in a temporary folder)'));
    const samples = path.join(this.extensionUri.fsPath, 'samples', 'corpus');
    if (!fs.existsSync(samples)) {
      void vscode.window.showErrorMessage('The sample corpus is not in this installation of the extension.');
      return undefined;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'misconduct-samples-'));
    const dest = path.join(dir, 'corpus');
    fs.cpSync(samples, dest, { recursive: true });
    await vscode.commands.executeCommand('vscode.openFolder', vscode.Uri.file(dest), { forceNewWindow: false });
    return dest;
  }
}

const PROMPTED = 'misconduct.authorPrompted';

/**
 * After the first annotation of a session, when `misconduct.author` is empty, asks once for the
 * user's name ("Don't Ask Again" remembers the answer across sessions).
 */
export class AuthorPrompt implements vscode.Disposable {
  private readonly sizes = new Map<string, number>();
  private asked = false;
  private readonly subscription: vscode.Disposable;

  constructor(
    store: ArticleStore,
    private readonly config: Config,
    private readonly state: vscode.Memento,
  ) {
    this.subscription = vscode.Disposable.from(
      store.onDidOpen((s) => this.sizes.set(s.uri.toString(), s.doc.size)),
      store.onDidChangeSession((s) => {
        const key = s.uri.toString();
        const before = this.sizes.get(key);
        this.sizes.set(key, s.doc.size);
        // a tag in the article being edited (not a sidecar reloaded from disk in the background)
        const active = vscode.window.activeTextEditor?.document.uri.toString() === key;
        if (active && before !== undefined && s.doc.size > before) void this.maybeAsk();
      }),
    );
    for (const s of store.all()) this.sizes.set(s.uri.toString(), s.doc.size);
  }

  private async maybeAsk(): Promise<void> {
    if (this.asked || this.config.author || this.state.get(PROMPTED)) return;
    this.asked = true;
    const choice = await vscode.window.showInformationMessage('Annotations record who made them. Set your name or initials?', 'Set Name…', "Don't Ask Again");
    if (choice === 'Set Name…') await vscode.commands.executeCommand('misconduct.setAuthor');
    else if (choice === "Don't Ask Again") await this.state.update(PROMPTED, true);
  }

  dispose(): void {
    this.subscription.dispose();
  }
}
