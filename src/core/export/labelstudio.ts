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
 * The matching labeling config is `labelStudioConfig(labels)`.
 */
import { FormatDefinition } from './types';

export function labelStudioConfig(labels: Iterable<string>): string {
  const items = [...new Set(labels)].sort().map((l) => `    <Label value="${l}"/>`);
  return ['<View>', '  <Labels name="label" toName="text">', ...items, '  </Labels>', '  <Text name="text" value="$text"/>', '</View>'].join('\n');
}

export const labelStudioFormat: FormatDefinition = {
  kind: 'file',
  name: 'labelstudio',
  extension: '.json',
  create: () => {
    let count = 0;
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
