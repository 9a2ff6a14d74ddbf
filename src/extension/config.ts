/**
 * Every setting, read through one typed wrapper with defaults, so no other file calls
 * `getConfiguration` or knows a setting's key.
 */
import * as vscode from 'vscode';
import { DEFAULT_LABEL_DEFINITIONS, EXTRA_LABEL_COLORS, LabelDefinition, labelColorId, labelForCategory, labelIconColorId } from '../core/labels';
import { LABEL_PATTERN } from '../core/schema';
import { DEFAULT_CASES_FOLDER, normaliseCasesFolder } from '../core/corpus';
import { DEFAULT_RELATION_TYPES, defaultDocumentFields, FieldDefinition, fieldDefinitionProblem, RelationType, relationTypeProblem } from '../core/codebook';

export interface ResolvedLabel extends LabelDefinition {
  /** Theme colour id of the highlight fill when the label is a default one (themes can restyle it). */
  themeColor?: string;
  /** Theme colour id of the label's solid icon colour (default labels). */
  iconColor?: string;
}

const SECTION = 'misconduct';

export interface ModelSelector {
  vendor?: string;
  family?: string;
  id?: string;
}

export type GroupBy = 'label' | 'position';

export class Config implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.ConfigurationChangeEvent>();
  /** Fires with the change event when any `misconduct.*` setting changes. */
  readonly onDidChange = this.emitter.event;
  private readonly listener: vscode.Disposable;
  private cachedLabels: ResolvedLabel[] | undefined;
  private cachedRelations: RelationType[] | undefined;
  private cachedFields: FieldDefinition[] | undefined;

  /**
   * The name `setAuthor` wrote, until VS Code reports the change: in a remote window the new value
   * reaches the extension host only after the settings file is written, and a tag made meanwhile
   * must carry the new name.
   */
  private writtenAuthor: string | undefined;

  constructor() {
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration(SECTION)) return;
      if (e.affectsConfiguration(`${SECTION}.author`)) this.writtenAuthor = undefined;
      this.cachedLabels = undefined;
      this.cachedRelations = undefined;
      this.cachedFields = undefined;
      this.emitter.fire(e);
    });
  }

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** The configured labels; malformed entries are skipped (and reported once by `labelProblems`). */
  get labels(): ResolvedLabel[] {
    if (this.cachedLabels) return this.cachedLabels;
    const raw = this.section.get<unknown>('labels');
    const list = Array.isArray(raw) ? raw : DEFAULT_LABEL_DEFINITIONS;
    const defaults = new Map(DEFAULT_LABEL_DEFINITIONS.map((l) => [l.name, l]));
    const seen = new Set<string>();
    const out: ResolvedLabel[] = [];
    let extra = 0;
    for (const entry of list) {
      const name = typeof entry === 'string' ? entry : (entry as { name?: unknown })?.name;
      if (typeof name !== 'string' || !LABEL_PATTERN.test(name) || seen.has(name)) continue;
      seen.add(name);
      const given = typeof entry === 'object' ? (entry as Partial<LabelDefinition>) : {};
      const fallback = defaults.get(name);
      const color = typeof given.color === 'string' && /^#[0-9a-f]{3,8}$/i.test(given.color) ? given.color : (fallback?.color ?? EXTRA_LABEL_COLORS[extra++ % EXTRA_LABEL_COLORS.length]);
      const categories = Array.isArray(given.categories) ? given.categories.filter((c): c is string => typeof c === 'string') : undefined;
      out.push({
        name,
        color,
        description: typeof given.description === 'string' ? given.description : fallback?.description,
        ...(categories ? { categories } : {}),
        // a user-chosen colour wins over the theme colour
        themeColor: fallback && (!given.color || given.color.toLowerCase() === fallback.color.toLowerCase()) ? labelColorId(name) : undefined,
        iconColor: fallback && (!given.color || given.color.toLowerCase() === fallback.color.toLowerCase()) ? labelIconColorId(name) : undefined,
      });
    }
    return (this.cachedLabels = out);
  }

  /**
   * `misconduct.model`: which language model "Suggest with Language Model…" asks, as a selector
   * for `vscode.lm.selectChatModels`; undefined when unset or empty (the user picks one).
   */
  get modelSelector(): ModelSelector | undefined {
    const raw = this.section.get<unknown>('model');
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
    const out: ModelSelector = {};
    for (const key of ['vendor', 'family', 'id'] as const) {
      const v = (raw as Record<string, unknown>)[key];
      if (typeof v === 'string' && v.trim()) out[key] = v.trim();
    }
    return Object.keys(out).length ? out : undefined;
  }

  label(name: string): ResolvedLabel | undefined {
    return this.labels.find((l) => l.name === name);
  }

  /** The label that takes suggestions of a category (see `labelForCategory`); undefined: highlight only. */
  labelForCategory(category: string): ResolvedLabel | undefined {
    const name = labelForCategory(this.labels, category);
    return name === undefined ? undefined : this.label(name);
  }

  /** Relation types (`misconduct.relations`); malformed entries are skipped. */
  get relationTypes(): RelationType[] {
    if (this.cachedRelations) return this.cachedRelations;
    const raw = this.section.get<unknown>('relations');
    const list = Array.isArray(raw) ? raw : DEFAULT_RELATION_TYPES;
    const seen = new Set<string>();
    const out: RelationType[] = [];
    for (const entry of list) {
      if (relationTypeProblem(entry)) continue;
      const e = entry as RelationType;
      if (seen.has(e.name)) continue;
      seen.add(e.name);
      out.push({ name: e.name, from: [...(e.from ?? [])], to: [...(e.to ?? [])], ...(typeof e.description === 'string' ? { description: e.description } : {}) });
    }
    return (this.cachedRelations = out);
  }

  /**
   * The cases folder relative to the workspace folder (`misconduct.casesFolder`, `/` separators);
   * the default when unset, empty or climbing out of the folder.
   */
  get casesFolder(): string {
    const raw = this.section.get<unknown>('casesFolder');
    const folder = typeof raw === 'string' ? normaliseCasesFolder(raw) : '';
    return folder && !folder.startsWith('/') && !folder.split('/').includes('..') ? folder : DEFAULT_CASES_FOLDER;
  }

  /** The coding form's fields (`misconduct.documentFields`); malformed entries are skipped. */
  get documentFields(): FieldDefinition[] {
    if (this.cachedFields) return this.cachedFields;
    const raw = this.section.get<unknown>('documentFields');
    const list = Array.isArray(raw) ? raw : defaultDocumentFields();
    const seen = new Set<string>();
    const out: FieldDefinition[] = [];
    for (const entry of list) {
      if (fieldDefinitionProblem(entry)) continue;
      const e = entry as FieldDefinition;
      if (seen.has(e.name)) continue;
      seen.add(e.name);
      out.push({ name: e.name, type: e.type, ...(e.options ? { options: [...e.options] } : {}), ...(typeof e.description === 'string' ? { description: e.description } : {}) });
    }
    return (this.cachedFields = out);
  }

  get articleGlobs(): string[] {
    const raw = this.section.get<string | string[]>('articles', '**/*.{txt,md}');
    return (Array.isArray(raw) ? raw : [raw]).filter((g) => typeof g === 'string' && g.trim());
  }

  get author(): string | undefined {
    return this.writtenAuthor ?? (this.section.get<string>('author')?.trim() || undefined);
  }

  get suggestionsEnabled(): boolean {
    return this.section.get<boolean>('suggestions.enabled', true);
  }

  get suggestionCategories(): string[] {
    return this.section.get<string[]>('suggestions.categories', ['force', 'body', 'rank', 'allegation', 'sanction']);
  }

  get groupBy(): GroupBy {
    return this.section.get<string>('annotations.groupBy') === 'position' ? 'position' : 'label';
  }

  /**
   * Writes `misconduct.labels` where it is set now: the workspace's settings when the workspace
   * sets it (a team's shared label set), else the user's.
   */
  async updateLabels(labels: readonly LabelDefinition[]): Promise<void> {
    await this.section.update('labels', labels, this.targetOf('labels'));
  }

  /** Writes `misconduct.author` (the user's settings unless the workspace sets it). */
  async setAuthor(name: string): Promise<void> {
    const target = this.targetOf('author');
    // in effect at once, before the write: the workbench writes the settings file and only then
    // tells the extension host, and a tag made meanwhile carried no author (VS Code's change event
    // says it again when it comes; listeners read `author`, which is the same)
    this.writtenAuthor = name.trim();
    this.fireAuthorChanged();
    try {
      await this.section.update('author', name.trim(), target);
    } catch (err) {
      this.writtenAuthor = undefined;
      this.fireAuthorChanged();
      throw err;
    }
  }

  private fireAuthorChanged(): void {
    this.emitter.fire({ affectsConfiguration: (section: string) => section === SECTION || section === `${SECTION}.author` });
  }

  private targetOf(key: string): vscode.ConfigurationTarget {
    const found = this.section.inspect(key);
    if (found?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
    return vscode.ConfigurationTarget.Global;
  }

  async setGroupBy(value: GroupBy): Promise<void> {
    await this.section.update('annotations.groupBy', value, vscode.ConfigurationTarget.Global);
  }

  dispose(): void {
    this.listener.dispose();
    this.emitter.dispose();
  }
}
