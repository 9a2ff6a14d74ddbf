/**
 * What a language model suggested for an article beyond its spans: relations between the spans it
 * suggested, and coding-form values with the quote each was read from. Kept by article (as the
 * model's spans are) until the model is asked again, since asking costs the user.
 *
 * A relation is offered only once both its ends are annotations (accepted, or tagged by hand at
 * the same place with the same label) and the two are not linked so already; a form value only
 * while it would change the form.
 */
import * as vscode from 'vscode';
import type { Span } from '../../core/annotationDocument';
import type { FieldValue } from '../../core/schema';
import type { ArticleSession } from '../store/articleSession';

/** One end of a suggested relation: the model's span, in editor offsets. */
export interface RelationEnd {
  start: number;
  end: number;
  label: string;
  text: string;
}

export interface ModelRelation {
  label: string;
  from: RelationEnd;
  to: RelationEnd;
  /** "vendor/id". */
  model: string;
}

export interface ModelField {
  field: string;
  value: FieldValue;
  model: string;
  /** The words the value was read from, as the model quoted them. */
  quote?: string;
  /** Where the quote was found (editor offsets) when it was. */
  start?: number;
  end?: number;
}

/** A relation on offer: both ends are annotations now. */
export interface OfferedRelation {
  label: string;
  from: Span;
  to: Span;
  model: string;
}

export class ModelResults implements vscode.Disposable {
  private readonly relations = new Map<string, ModelRelation[]>();
  private readonly fields = new Map<string, ModelField[]>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** A model's relations or form values for an article were replaced. */
  readonly onDidChange = this.changed.event;

  /** Replaces what `model` suggested for the article earlier (the other models' stay). */
  set(uri: vscode.Uri, model: string, relations: readonly ModelRelation[], fields: readonly ModelField[]): void {
    const key = uri.toString();
    this.relations.set(key, [...(this.relations.get(key) ?? []).filter((r) => r.model !== model), ...relations]);
    this.fields.set(key, [...(this.fields.get(key) ?? []).filter((f) => f.model !== model), ...fields]);
    this.changed.fire(uri);
  }

  /** The model's form values for an article (every model's, first asked first). */
  fieldsOf(uri: vscode.Uri): readonly ModelField[] {
    return this.fields.get(uri.toString()) ?? [];
  }

  /** The suggested relations whose ends are both annotations and which are not made yet. */
  offeredRelations(session: ArticleSession): OfferedRelation[] {
    const wanted = this.relations.get(session.uri.toString());
    if (!wanted?.length) return [];
    const doc = session.doc;
    const annotationAt = (e: RelationEnd) => doc.inRange(e.start, e.end).find((s) => s.start === e.start && s.end === e.end && s.label === e.label && !s.orphaned);
    const made = new Set(doc.relations().map((r) => `${r.label}\u0000${r.from}\u0000${r.to}`));
    const out: OfferedRelation[] = [];
    for (const r of wanted) {
      const from = annotationAt(r.from);
      const to = annotationAt(r.to);
      if (!from || !to || from.id === to.id) continue;
      const key = `${r.label}\u0000${from.id}\u0000${to.id}`;
      if (made.has(key)) continue;
      made.add(key);
      out.push({ label: r.label, from, to, model: r.model });
    }
    return out;
  }

  /** The offered relations that start or end at an annotation. */
  offeredAt(session: ArticleSession, spanId: string): OfferedRelation[] {
    return this.offeredRelations(session).filter((r) => r.from.id === spanId || r.to.id === spanId);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
