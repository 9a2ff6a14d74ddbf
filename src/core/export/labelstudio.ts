/**
 * Label Studio tasks: a JSON array, one task per article,
 * `{"data": {"text", "file", "sha256", "status"}, "annotations": [{"result": [...]}]}`, each result
 * `{"id", "type": "labels", "from_name": "label", "to_name": "text", "value": {"start", "end", "text", "labels": [label]}}`
 * plus the note as region meta (`"meta": {"text": [note]}`, shown in the region's Meta field).
 * An article without spans that is not marked done has `"annotations": []`: a task still to label.
 *
 * Offsets are code points. Label Studio has stored code points since its frontend stopped using
 * JavaScript string lengths for Text regions (label-studio#1559, label-studio-frontend#308, in
 * 1.6); older versions counted UTF-16 units and disagree after an emoji. Its UI still draws some
 * highlights after astral characters in the wrong place (label-studio#4988) though the stored
 * offsets are right.
 *
 * Relations are results `{"type": "relation", "from_id", "to_id", "direction": "right", "labels": [type]}`
 * whose `from_id`/`to_id` are the ids of the two span results (the sidecar's annotation ids).
 * The coding form is one result per answered field, with no region: `from_name` the field's name,
 * `to_name` "text", `{"type": "choices", "value": {"choices": [...]}}` for choice, multi and boolean
 * fields (a boolean as "true"/"false"), `{"type": "textarea", "value": {"text": [value]}}` for text,
 * date and number fields; a field the codebook does not know is a choice when its value is a list or
 * a boolean, else a textarea. Their result ids are `document/<field>`, which no annotation id can be.
 *
 * The matching labeling config is `labelStudioConfig(labels, { relationTypes, fields })`.
 */
import { defaultDocumentFields, FieldDefinition, RelationType } from '../codebook';
import { FieldValue } from '../schema';
import { ExportArticle, FormatDefinition } from './types';

function xmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export interface LabelStudioConfigOptions {
  relationTypes?: readonly Pick<RelationType, 'name'>[];
  fields?: readonly FieldDefinition[];
}

/**
 * The labeling config for the export: the labels, and (when given) a `<Relations>` block with the
 * relation types and one control per form field, named as the field, for the form results.
 */
export function labelStudioConfig(labels: Iterable<string>, options: LabelStudioConfigOptions = {}): string {
  const items = [...new Set(labels)].sort().map((l) => `    <Label value="${xmlAttr(l)}"/>`);
  const lines = ['<View>', '  <Labels name="label" toName="text">', ...items, '  </Labels>', '  <Text name="text" value="$text"/>'];
  if (options.relationTypes?.length) {
    lines.push('  <Relations>', ...options.relationTypes.map((r) => `    <Relation value="${xmlAttr(r.name)}"/>`), '  </Relations>');
  }
  for (const f of options.fields ?? []) {
    const name = xmlAttr(f.name);
    if (resultType(f, undefined) === 'choices') {
      const choices = f.type === 'boolean' ? ['true', 'false'] : (f.options ?? []);
      lines.push(
        `  <Choices name="${name}" toName="text" choice="${f.type === 'multi' ? 'multiple' : 'single'}" showInline="true">`,
        ...choices.map((c) => `    <Choice value="${xmlAttr(c)}"/>`),
        '  </Choices>',
      );
    } else {
      lines.push(`  <TextArea name="${name}" toName="text" maxSubmissions="1"/>`);
    }
  }
  lines.push('</View>');
  return lines.join('\n');
}

function resultType(def: FieldDefinition | undefined, value: FieldValue | undefined): 'choices' | 'textarea' {
  if (def) return def.type === 'choice' || def.type === 'multi' || def.type === 'boolean' ? 'choices' : 'textarea';
  return Array.isArray(value) || typeof value === 'boolean' ? 'choices' : 'textarea';
}

/** The form as region-less results, in field name order; unset (null) fields have none. */
function labelStudioFormResults(a: ExportArticle, fields: ReadonlyMap<string, FieldDefinition>): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const name of Object.keys(a.document).sort()) {
    const value = a.document[name];
    if (value === null || value === undefined) continue;
    const list = Array.isArray(value) ? value : [String(value)];
    const type = resultType(fields.get(name), value);
    out.push({
      id: `document/${name}`,
      type,
      from_name: name,
      to_name: 'text',
      origin: 'manual',
      value: type === 'choices' ? { choices: list } : { text: list.length === 1 ? list : [list.join('; ')] },
    });
  }
  return out;
}

export const labelStudioFormat: FormatDefinition = {
  kind: 'file',
  name: 'labelstudio',
  extension: '.json',
  create: (ctx) => {
    let count = 0;
    let fields: Map<string, FieldDefinition> | undefined;
    return {
      start: () => ['['],
      article(a) {
        const result = a.spans.map((s) => {
          const r: Record<string, unknown> = {
            id: s.id,
            type: 'labels',
            from_name: 'label',
            to_name: 'text',
            origin: s.source === 'suggestion' ? 'prediction' : 'manual',
            value: { start: s.start, end: s.end, text: s.text, labels: [s.label] },
          };
          if (s.note) r.meta = { text: [s.note] };
          return r;
        });
        for (const rel of a.relations) {
          const r: Record<string, unknown> = { from_id: rel.from, to_id: rel.to, type: 'relation', direction: 'right', labels: [rel.label] };
          result.push(r);
        }
        if (Object.keys(a.document).length) {
          fields ??= new Map((ctx.documentFields ?? defaultDocumentFields()).map((f) => [f.name, f]));
          result.push(...labelStudioFormResults(a, fields));
        }
        const task = {
          data: { text: a.text, file: a.id, sha256: a.sha256, status: a.status },
          // a finished article without spans was annotated (it has none): an empty, submitted result
          annotations: result.length || a.status === 'done' ? [{ result }] : [],
        };
        return [(count++ ? ',\n' : '\n') + JSON.stringify(task)];
      },
      finish: () => [count ? '\n]\n' : ']\n'],
    };
  },
};
