/**
 * A saved page's bytes as text, honouring what the page declares: a byte-order mark first, then a
 * `<meta charset>` or `http-equiv="Content-Type"` in the first 1024 bytes (where browsers look),
 * else UTF-8 when the bytes are UTF-8, else windows-1252 (what browsers assume of an undeclared
 * Western page). Pages saved from older sites are often windows-1252.
 */
import { isUtf8 } from 'node:buffer';

/** A file that is not a web page we can read; the message is one line, without the path. */
export class PageDecodeError extends Error {}

/** How far into the page a charset declaration is looked for (the HTML prescan's limit). */
const PRESCAN_BYTES = 1024;

/** Bytes read to tell a binary file: a NUL among them (outside UTF-16) means it is not a page. */
const BINARY_SNIFF_BYTES = 8192;

/** Labels that mean UTF-16 in a meta tag: a page read by the meta tag is ASCII-compatible, so UTF-8. */
const UTF16_LABELS = new Set(['utf-16', 'utf-16le', 'utf-16be', 'unicode', 'ucs-2']);

function bomEncoding(bytes: Uint8Array): { encoding: string; skip: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', skip: 2 };
  return undefined;
}

/** The charset a page's head declares, lower-cased, or undefined. */
export function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, PRESCAN_BYTES));
  for (const meta of head.match(/<meta\b[^>]*>/gi) ?? []) {
    const direct = /\bcharset\s*=\s*["']?\s*([\w.:-]+)/i.exec(meta);
    if (direct) return direct[1].toLowerCase();
  }
  return undefined;
}

/**
 * windows-1252's 0x80–0x9F (curly quotes, dashes, €): Node 20's TextDecoder decodes the label as
 * ISO-8859-1 there, giving C1 control characters, so those 32 bytes are mapped here.
 */
const WINDOWS_1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeWindows1252(bytes: Uint8Array): string {
  const text = new TextDecoder('latin1').decode(bytes);
  return text.replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_HIGH[c.charCodeAt(0) - 0x80]);
}

function decodeAs(encoding: string, bytes: Uint8Array): string {
  return encoding === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(encoding).decode(bytes);
}

/** Whether TextDecoder knows the label (Node's full-ICU build knows the WHATWG encodings). */
function knownEncoding(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}

/**
 * The page as text. Throws `PageDecodeError` for a binary file (a NUL byte near the start of a
 * page without a UTF-16 byte-order mark).
 */
export function decodePage(bytes: Uint8Array): { text: string; encoding: string } {
  const bom = bomEncoding(bytes);
  if (bom) return { text: new TextDecoder(bom.encoding).decode(bytes.subarray(bom.skip)), encoding: bom.encoding };
  if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) throw new PageDecodeError('is a binary file (it contains NUL bytes), not a saved web page');
  let label = declaredCharset(bytes);
  if (label && UTF16_LABELS.has(label)) label = 'utf-8';
  if (label && knownEncoding(label)) {
    const encoding = new TextDecoder(label).encoding;
    return { text: decodeAs(encoding, bytes), encoding };
  }
  const encoding = isUtf8(bytes) ? 'utf-8' : 'windows-1252';
  return { text: decodeAs(encoding, bytes), encoding };
}
