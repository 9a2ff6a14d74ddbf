import { AnnotationDocument } from '../../core/annotationDocument';

/**
 * Tags, a relabel and their undo on a scratch document that nothing listens to; returns it (empty
 * again). Run before the first tag of a session, so that V8 has compiled the span engine's code
 * before the key's path needs it.
 */
export function rehearseTag(): AnnotationDocument {
  const text = 'Kent Police dismissed PC Jones for gross misconduct.';
  const read = (start: number, end: number) => text.slice(start, end);
  const doc = new AnnotationDocument('rehearsal.txt', '');
  doc.add(read, [{ start: 22, end: 30, label: 'officer' }]);
  doc.all();
  const [span] = doc.add(read, [{ start: 0, end: 11, label: 'force', attributes: { type: 'kent' } }]);
  doc.inRange(0, text.length);
  doc.all();
  if (span) doc.relabel(span.id, 'allegation');
  while (doc.undo());
  return doc;
}
