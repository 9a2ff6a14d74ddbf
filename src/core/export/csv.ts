/**
 * CSV, RFC 4180: a header row, then one row per annotation
 * (`file,start,end,label,text,note,author,source`), CRLF line ends, every field that holds a
 * comma, quote, CR or LF quoted with inner quotes doubled. A span's text keeps its own line
 * breaks inside the quotes.
 *
 * A text cell that would start a spreadsheet formula gets a leading `'` (see ../csvCell.ts), so
 * `text` is the article's slice, or that slice after a `'`.
 *
 * No byte-order mark: RFC 4180 has none and Python's csv/pandas would read it into the first
 * header. (Excel then guesses the encoding; import the file as UTF-8 there.)
 */
import { csvRow } from '../csvCell';
import { FormatDefinition } from './types';

const CSV_HEADER = ['file', 'start', 'end', 'label', 'text', 'note', 'author', 'source'] as const;

export const csvFormat: FormatDefinition = {
  kind: 'file',
  name: 'csv',
  extension: '.csv',
  create: () => ({
    start: () => [csvRow(CSV_HEADER)],
    // an article without annotations has no rows: CSV is a table of annotations
    article: (a) => [a.spans.map((s) => csvRow([a.id, s.start, s.end, s.label, s.text, s.note, s.author, s.source])).join('')],
    finish: () => [],
  }),
};
