/**
 * One CSV cell and row, as every CSV the tool writes has them (the csv export, `cases.csv`,
 * `relations.csv`, the dashboard's Copy as CSV): RFC 4180 quoting (a field holding a comma, quote,
 * CR or LF is quoted, inner quotes doubled), rows ending in CRLF.
 *
 * A text cell that a spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`, a
 * tab or a CR: OWASP's list for CSV injection) gets a leading `'`, because notes, authors, form
 * values and even article text come from people we do not know. Numbers we write (offsets, counts,
 * a form's number field) stay numbers. Outside src/core/export so the dashboard can share it
 * without loading the exporter.
 */

/** What a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: a text that would start a formula is prefixed with `'`, then quoted as RFC 4180 says. */
function csvField(value: string | number | undefined): string {
  if (value === undefined) return '';
  const s = typeof value === 'number' ? String(value) : FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(fields: ReadonlyArray<string | number | undefined>): string {
  return fields.map(csvField).join(',') + '\r\n';
}
