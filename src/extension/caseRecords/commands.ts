/**
 * Case record commands (issue 31): `misconduct.newCaseFromAnnotation`,
 * `misconduct.addToCase` and `misconduct.editCaseField`. Each takes arguments so tests and other
 * commands can run it without UI: new `{ uri, id, title }`, add `{ uri, id, caseId }`, edit
 * `{ uri, caseId, field, value }` (value null clears). The work is the core's
 * (src/core/cases/fromAnnotation.ts); these adapters find the span, ask, and write.
 */
import * as vscode from 'vscode';
import { addEvidence, CaseRecord, Chain, ChainSpan, draftFromChain, newCase, perArticleValues, rankCases, relationChain, setCaseField } from '../../core/cases';
import { displayValue } from '../../core/codebook';
import type { FieldValue } from '../../core/schema';
import { ArticleCommand } from '../commands/articleCommand';
import { AnnotationArgs, Command, parseArgs, toUri } from '../commands/command';
import type { Targets } from '../commands/target';
import type { Config } from '../config';
import type { ArticleSession } from '../store/articleSession';
import type { ArticleStore } from '../store/articleStore';
import { articleForms } from './articleForms';
import type { CaseFolders } from './caseFolder';

/** The labels a case can start from: the officer, what is alleged, what came of it. */
const CASE_LABELS = new Set(['officer', 'allegation', 'sanction']);

export interface CaseArgs extends AnnotationArgs {
  title?: string;
  caseId?: string;
}

interface Found {
  root: vscode.WorkspaceFolder;
  file: string;
  start: ChainSpan;
  chain: Chain;
  spans: Map<string, ChainSpan>;
}

/** The span the command starts from (`id`, else the one at the cursor) and its relation chain. */
function findChain(targets: Targets, folders: CaseFolders, session: ArticleSession, args: AnnotationArgs): Found | undefined {
  const root = folders.rootOf(session.uri);
  if (!root) {
    void vscode.window.showInformationMessage('Case records belong to a workspace folder: open the corpus as a folder first.');
    return undefined;
  }
  const doc = session.doc;
  let span = args.id ? doc.get(args.id) : undefined;
  if (!span && !args.id) {
    const editor = targets.editor(session);
    const offset = editor ? session.document.offsetAt(editor.selection.active) : -1;
    span = doc.at(offset).find((s) => CASE_LABELS.has(s.label));
  }
  if (!span || !CASE_LABELS.has(span.label)) {
    void vscode.window.showInformationMessage('Put the cursor in an officer, allegation or sanction span (a case starts from one).');
    return undefined;
  }
  const spans = new Map<string, ChainSpan>(doc.all().filter((s) => !s.orphaned).map((s) => [s.id, { id: s.id, label: s.label, text: s.text, ...(s.meta.attributes?.type ? { type: s.meta.attributes.type } : {}) }]));
  const chain = relationChain(spans, doc.relations(), span.id);
  return { root, file: folders.articlePath(root, session.uri), start: spans.get(span.id)!, chain, spans };
}

/** Whether the article reports one case: at most one officer span is linked to anything. */
function oneCase(session: ArticleSession): boolean {
  const linked = new Set(session.doc.relations().flatMap((r) => [r.from, r.to]));
  return session.doc.all().filter((s) => s.label === 'officer' && linked.has(s.id)).length <= 1;
}

/**
 * A command on an article that reads or writes case records: it changes no annotation (so it runs on
 * a read-only article too) and finds nothing to do without a span or a workspace folder.
 */
export abstract class CaseRecordCommand<A extends AnnotationArgs, R> extends ArticleCommand<A, R | undefined> {
  protected readonly none = undefined;
  protected override readonly edits = false;

  constructor(
    targets: Targets,
    protected readonly config: Config,
    protected readonly folders: CaseFolders,
  ) {
    super(targets);
  }
}

export class NewCaseFromAnnotationCommand extends CaseRecordCommand<CaseArgs, CaseRecord> {
  readonly id = 'misconduct.newCaseFromAnnotation';

  protected async run(session: ArticleSession, args: CaseArgs): Promise<CaseRecord | undefined> {
    const found = findChain(this.targets, this.folders, session, args);
    if (!found) return undefined;
    const draft = draftFromChain(found.file, found.chain, found.spans, this.config.documentFields, session.doc.documentForm(), oneCase(session));
    const officer = found.chain.spans.find((s) => s.label === 'officer');
    const suggested = `${officer?.text ?? found.start.text} (${found.file})`;
    const title =
      args.title ??
      (await vscode.window.showInputBox({
        title: 'New Case from Annotation',
        prompt: `A short name for the case. Pre-filled: ${[...draft.reasons.keys()].join(', ') || 'no field'}; ${draft.evidence.length} piece(s) of evidence.`,
        value: suggested,
      }));
    if (title === undefined) return undefined;
    const record: CaseRecord = { ...newCase(title || suggested, new Date().toISOString(), this.config.author), fields: draft.fields, evidence: draft.evidence };
    const file = await this.folders.edit(found.root, undefined, record, `new case “${record.title}”`);
    if (args.title === undefined) void vscode.window.showInformationMessage(`Case ${record.id} written to ${vscode.workspace.asRelativePath(file)}: ${Object.keys(record.fields).length} field(s), ${record.evidence.length} piece(s) of evidence.`);
    return record;
  }
}

export class AddToCaseCommand extends CaseRecordCommand<CaseArgs, CaseRecord> {
  readonly id = 'misconduct.addToCase';

  protected async run(session: ArticleSession, args: CaseArgs): Promise<CaseRecord | undefined> {
    const found = findChain(this.targets, this.folders, session, args);
    if (!found) return undefined;
    const { cases } = await this.folders.list(found.root);
    if (!cases.length) {
      void vscode.window.showInformationMessage('There are no case records yet: make one with New Case from Annotation….');
      return undefined;
    }
    const draft = draftFromChain(found.file, found.chain, found.spans, this.config.documentFields, session.doc.documentForm(), oneCase(session));
    let record: CaseRecord | undefined;
    if (args.caseId !== undefined) {
      record = cases.find((c) => c.record.id === args.caseId)?.record;
      if (!record) {
        void vscode.window.showErrorMessage(`There is no case ${args.caseId}.`);
        return undefined;
      }
    } else {
      const ranked = rankCases(cases.map((c) => c.record), found.file, draft);
      const pick = await vscode.window.showQuickPick(
        ranked.map((r) => ({ label: r.record.title, description: r.record.id, detail: r.reasons.length ? `matches: ${r.reasons.join('; ')}` : 'nothing in common found', record: r.record })),
        { title: `Add “${found.start.text}” to Case`, placeHolder: 'The likely same case first', matchOnDescription: true, matchOnDetail: true },
      );
      record = pick?.record;
    }
    if (!record) return undefined;
    const updated = addEvidence(record, draft.evidence.filter((e) => e.annotation !== undefined || e.relation !== undefined), new Date().toISOString());
    await this.folders.edit(found.root, record, updated, `add “${found.start.text}” (${found.file})`);
    return updated;
  }
}

export interface EditFieldArgs {
  uri?: vscode.Uri | string;
  caseId?: string;
  field?: string;
  value?: FieldValue;
}

/**
 * Edits one field of a case: the field, then its value, each article's value offered first (from
 * its form), disagreements between them marked. A simple QuickPick editor; the Case view (the
 * article's own form) is unchanged.
 */
export class EditCaseFieldCommand implements Command {
  readonly id = 'misconduct.editCaseField';

  constructor(
    private readonly config: Config,
    private readonly folders: CaseFolders,
    private readonly store: ArticleStore,
  ) {}

  async execute(arg?: unknown): Promise<CaseRecord | undefined> {
    const given = (arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : parseArgs(arg)) as EditFieldArgs & { record?: CaseRecord; root?: vscode.WorkspaceFolder };
    // from the Cases view: its case node (read, never changed)
    const args: EditFieldArgs = given.record && given.caseId === undefined ? { caseId: given.record.id, uri: given.root?.uri } : given;
    const uri = toUri(args.uri) ?? vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const root = uri && this.folders.rootOf(uri);
    if (!root) {
      void vscode.window.showInformationMessage('Open the corpus as a workspace folder to edit its cases.');
      return undefined;
    }
    const { cases } = await this.folders.list(root);
    let record = args.caseId !== undefined ? cases.find((c) => c.record.id === args.caseId)?.record : undefined;
    if (!record && args.caseId === undefined) {
      record = (await vscode.window.showQuickPick(cases.map((c) => ({ label: c.record.title, description: c.record.id, record: c.record })), { title: 'Edit Case Field: which case?' }))?.record;
    }
    if (!record) {
      if (args.caseId !== undefined) void vscode.window.showErrorMessage(`There is no case ${args.caseId}.`);
      return undefined;
    }
    const forms = await articleForms(this.store, root, record);
    const defs = this.config.documentFields;
    let field = args.field;
    if (field === undefined) {
      const items = defs.map((d) => {
        const { values, disagree } = perArticleValues(record!, forms, d.name);
        const perArticle = values.map((v) => `${v.file}: ${displayValue(v.value, d)}`).join('; ');
        return { label: `${disagree ? '$(warning) ' : ''}${d.name}`, description: displayValue(new Map(Object.entries(record!.fields)).get(d.name), d), detail: perArticle ? `${disagree ? 'the articles disagree: ' : ''}${perArticle}` : 'no article form gives it', name: d.name };
      });
      field = (await vscode.window.showQuickPick(items, { title: `Edit Case Field: ${record.title}`, matchOnDetail: true }))?.name;
    }
    if (field === undefined) return undefined;
    let value: FieldValue | undefined = args.value;
    if (!('value' in args)) {
      const def = defs.find((d) => d.name === field);
      const { values } = perArticleValues(record, forms, field);
      const offered = new Map<string, FieldValue>();
      for (const v of values) offered.set(JSON.stringify(v.value), v.value);
      for (const o of def?.options ?? []) if (!offered.has(JSON.stringify(o))) offered.set(JSON.stringify(o), o);
      if (def?.type === 'boolean') for (const b of [true, false]) if (!offered.has(String(b))) offered.set(String(b), b);
      const picks = [...offered.values()].map((v) => ({ label: displayValue(v, def), description: values.filter((x) => JSON.stringify(x.value) === JSON.stringify(v)).map((x) => x.file).join(', '), value: v as FieldValue | null }));
      picks.push({ label: '(clear)', description: '', value: null });
      const pick = await vscode.window.showQuickPick(picks, { title: `${record.title}: ${field}`, placeHolder: 'Values the articles give come first' });
      if (!pick) return undefined;
      value = pick.value;
    }
    const updated = setCaseField(record, field, value, new Date().toISOString());
    await this.folders.edit(root, record, updated, value === null || value === undefined ? `clear ${field}` : `set ${field}`);
    return updated;
  }
}
