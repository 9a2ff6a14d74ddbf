/**
 * CSV, RFC 4180: a header row, then one row per annotation
 * (`file,start,end,label,text,note,author,source`), CRLF line ends, every field that holds a
 * comma, quote, CR or LF quoted with inner quotes doubled. A span's text keeps its own line
 * breaks inside the quotes, so `text` equals the article's slice exactly.
 *
 * No byte-order mark: RFC 4180 has none and Python's csv/pandas would read it into the first
 * header. (Excel then guesses the encoding; import the file as UTF-8 there.)
 */
import { FormatDefinition } from './types';

export const CSV_HEADER = ['file', 'start', 'end', 'label', 'text', 'note', 'author', 'source'] as const;

export function csvField(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: ReadonlyArray<string | number | undefined>): string {
  return fields.map(csvField).join(',') + '\r\n';
}

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
