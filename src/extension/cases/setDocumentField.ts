/**
 * `misconduct.setDocumentField`: sets one field of an article's coding form.
 *
 * With arguments `{ "uri"?, "field", "value"? }` it runs without UI: `value` is the new value (a
 * string, a list of strings, a number, a boolean, or null, which is stored as null); leaving
 * `value` out removes the field from the form. Without arguments it asks on the active article:
 * a Quick Pick of the fields, then the value by the field's type. Either way one undo step.
 */
import * as vscode from 'vscode';
import { displayValue, FieldDefinition, optionName } from '../../core/codebook';
import type { FieldValue } from '../../core/schema';
import { ArticleCommand } from '../commands/articleCommand';
import type { AnnotationArgs } from '../commands/command';
import type { Targets } from '../commands/target';
import type { Config } from '../config';
import type { ArticleSession } from '../store/articleSession';
import { isFieldValue, openSuggestions, parseTyped } from './caseModel';
import { notEditable, prefillSpans } from './caseView';

export interface SetDocumentFieldArgs extends Pick<AnnotationArgs, 'uri'> {
  field?: string;
  value?: FieldValue;
}

const CLEAR = '$(clear-all) Clear this field';

/** Resolves with whether the form changed. Bad arguments reject, so a caller learns why. */
export class SetDocumentFieldCommand extends ArticleCommand<SetDocumentFieldArgs, boolean> {
  readonly id = 'misconduct.setDocumentField';
  protected readonly none = false;
  constructor(
    targets: Targets,
    private readonly config: Config,
  ) {
    super(targets);
  }

  // the Case view's reasons, word for word (a conflicting change of the file on disk stops it too)
  protected override editable(session: ArticleSession): boolean {
    const reason = notEditable(session);
    if (reason) void vscode.window.showErrorMessage(reason);
    return !reason;
  }

  protected run(session: ArticleSession, args: SetDocumentFieldArgs): boolean | Promise<boolean> {
    if (args.field !== undefined) {
      if (typeof args.field !== 'string' || !args.field) throw new Error('misconduct.setDocumentField: "field" is the name of a form field.');
      const hasValue = Object.hasOwn(args, 'value') && args.value !== undefined;
      if (hasValue && !isFieldValue(args.value)) throw new Error(`misconduct.setDocumentField: "value" is a string, a list of strings, a number, a boolean or null (field "${args.field}").`);
      return session.doc.setField(args.field, hasValue ? args.value : undefined);
    }
    return this.ask(session);
  }

  private async ask(session: ArticleSession): Promise<boolean> {
    const fields = this.config.documentFields;
    const form = session.doc.documentForm();
    const known = new Set(fields.map((f) => f.name));
    const suggestions = openSuggestions(fields, form, prefillSpans(session));
    type FieldItem = vscode.QuickPickItem & { def?: FieldDefinition; name: string };
    const items: FieldItem[] = [
      ...fields.map((def) => ({
        label: def.name,
        description: displayValue(Object.hasOwn(form, def.name) ? form[def.name] : undefined, def) + (suggestions.has(def.name) ? '  $(lightbulb) suggestion' : ''),
        detail: def.description,
        def,
        name: def.name,
      })),
      ...Object.keys(form)
        .filter((n) => !known.has(n))
        .map((name) => ({ label: name, description: `${displayValue(form[name])} (not in the codebook)`, name })),
    ];
    const picked = await vscode.window.showQuickPick(items, { title: `Case: ${session.uri.path.split('/').pop()}`, placeHolder: 'Set which field?', matchOnDescription: true });
    if (!picked) return false;
    const current = Object.hasOwn(form, picked.name) ? form[picked.name] : undefined;
    const suggested = suggestions.get(picked.name);
    const value = picked.def ? await this.askValue(picked.def, current, suggested && { value: suggested.value, reason: suggested.suggestion.reason }) : await this.askUnknown(picked.name);
    if (value === CANCELLED) return false;
    return session.doc.setField(picked.name, value);
  }

  private async askValue(def: FieldDefinition, current: FieldValue | undefined, suggested?: { value: FieldValue; reason: string }): Promise<FieldValue | undefined | typeof CANCELLED> {
    const title = `${def.name}${def.description ? ` — ${def.description}` : ''}`;
    const suggestionItem = suggested && { label: `$(lightbulb) ${displayValue(suggested.value, def)}`, description: 'suggested', detail: suggested.reason, value: suggested.value as FieldValue | undefined };
    const clearItem = { label: CLEAR, value: undefined as FieldValue | undefined };
    switch (def.type) {
      case 'choice':
      case 'boolean': {
        const options: Array<{ label: string; description?: string; detail?: string; value: FieldValue | undefined }> =
          def.type === 'boolean'
            ? [
                { label: 'Yes', description: 'true', value: true },
                { label: 'No', description: 'false', value: false },
              ]
            : (def.options ?? []).map((o) => ({ label: optionName(def, o), description: o === current ? `${o} (current)` : o, value: o }));
        const picked = await vscode.window.showQuickPick([...(suggestionItem ? [suggestionItem] : []), ...options, clearItem], { title, placeHolder: `Currently: ${displayValue(current, def)}`, matchOnDescription: true });
        return picked ? picked.value : CANCELLED;
      }
      case 'multi': {
        const ticked = new Set(Array.isArray(current) ? current : []);
        const all = [...(def.options ?? []), ...[...ticked].filter((v) => !def.options?.includes(v))];
        const picked = await vscode.window.showQuickPick(
          all.map((o) => ({ label: optionName(def, o), description: def.options?.includes(o) ? o : `${o} (not an option)`, picked: ticked.has(o), value: o })),
          { title, canPickMany: true, placeHolder: 'Tick every option that applies (none clears the field)' },
        );
        if (!picked) return CANCELLED;
        return picked.length ? picked.map((p) => p.value) : undefined;
      }
      default: {
        const text = await vscode.window.showInputBox({
          title,
          value: current === undefined || current === null ? '' : String(current),
          prompt: def.type === 'date' ? 'YYYY-MM-DD; empty clears the field' : 'Empty clears the field',
          validateInput: (t) => {
            const r = parseTyped(def, t);
            return 'error' in r ? r.error : undefined;
          },
        });
        if (text === undefined) return CANCELLED;
        const r = parseTyped(def, text);
        return 'error' in r ? CANCELLED : r.value;
      }
    }
  }

  private async askUnknown(name: string): Promise<FieldValue | undefined | typeof CANCELLED> {
    const picked = await vscode.window.showQuickPick([{ label: CLEAR, value: undefined }], { title: `${name} is not a field of the codebook (misconduct.documentFields)` });
    return picked ? picked.value : CANCELLED;
  }
}

const CANCELLED = Symbol('cancelled');
