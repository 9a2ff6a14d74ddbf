/**
 * The messages between the Case view's webview (src/webview/case.ts) and the extension, and the
 * state they carry. Types only: imported by both sides. Every string here may come from a file
 * (field names, values, span text): the webview writes them with `textContent`, never as HTML.
 */
import type { FieldType } from '../../core/codebook';
import type { FieldValue } from '../../core/schema';

export interface OptionView {
  /** The value stored in the sidecar (an option id). */
  value: string;
  /** Its name for a person (the gazetteer entry's name where options are ids). */
  name: string;
  /** Set for a value the file holds that is not among the configured options. */
  unknown?: true;
}

export interface SuggestionView {
  value: FieldValue;
  /** The value for a person. */
  display: string;
  /** Where it came from: "from 2 sanction spans: “dismissed without notice”". */
  reason: string;
  /** The spans it was read from, to reveal them. */
  from: Array<{ id: string; text: string }>;
}

/** A value a language model read from the article, with the words it quoted (all untrusted text). */
export interface ModelSuggestionView {
  value: FieldValue;
  display: string;
  /** The model, "vendor/id". */
  model: string;
  quote?: string;
  /** The quote was found in the article: "Show" selects it. */
  found: boolean;
}

export interface FieldView {
  name: string;
  /** `unknown`: a field the file has and the settings do not know. */
  type: FieldType | 'unknown';
  description?: string;
  /** choice and multi: the configured options, then any value the file holds outside them. */
  options: OptionView[];
  /** The stored value (absent: the field is not set). */
  value?: FieldValue;
  /** The stored value for a person ("—" when not set). */
  display: string;
  /** Why the stored value does not fit the field (`fieldValueProblem`), shown beside it. */
  problem?: string;
  /** A pre-fill from the article's annotations that differs from the stored value. */
  suggestion?: SuggestionView;
  /** A language model's value that differs from the stored one (Suggest with Language Model…). */
  modelSuggestion?: ModelSuggestionView;
}

/** One field of the article's source (where it came from), shown and edited in the Source section. */
export interface SourceFieldView {
  key: string;
  label: string;
  /** The stored value; '' when not set. */
  value: string;
}

export type CaseState =
  | { kind: 'none'; message: string }
  | {
      kind: 'article';
      /** The article's URI (messages name it, so a late click never lands on another article). */
      uri: string;
      file: string;
      /** False when the sidecar cannot be written (invalid, unreadable, in conflict): `reason` says why. */
      editable: boolean;
      reason?: string;
      /** The configured fields, in the settings' order. */
      fields: FieldView[];
      /** Fields in the file that the settings do not have. */
      unknown: FieldView[];
      /** The article's source, every field (empty ones too), in the sidecar's order. */
      source: SourceFieldView[];
      /** The article this one is a near copy of (`duplicateOf`), shown beside the source. */
      duplicateOf?: string;
    };

export type ToWebview = { type: 'state'; state: CaseState } | { type: 'status'; message: string };

export type FromWebview =
  | { type: 'ready' }
  /** Sets a field; without `value` (clear: true) the field is removed from the form. */
  | { type: 'set'; uri: string; field: string; value?: FieldValue; clear?: true }
  /** Sets a field of the source; an empty value removes it. */
  | { type: 'setSource'; uri: string; key: string; value: string }
  | { type: 'accept'; uri: string; field: string }
  | { type: 'acceptAll'; uri: string }
  /** Accepts the language model's value of a field. */
  | { type: 'acceptModel'; uri: string; field: string }
  /** Selects the words the language model read a field's value from. */
  | { type: 'showQuote'; uri: string; field: string }
  | { type: 'reveal'; uri: string; id: string }
  | { type: 'cspViolation'; directive: string };
