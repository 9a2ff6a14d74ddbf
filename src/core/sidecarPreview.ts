/**
 * The first spans of a sidecar, read without parsing the whole file: what the editor paints at the
 * top of a long article while the full load (parse, check, index: half a second for 50,000
 * annotations) runs. It is only a preview; the full load then draws what it holds, whatever the
 * preview said.
 *
 * It reads the layout `serializeSidecar` writes (two-space indent, annotations sorted by start, one
 * object per `    {` … `    }` block; JSON strings cannot hold a raw newline, so those lines can
 * only be structure) and gives up quietly on anything else — a file written by another tool gets no
 * preview, not a wrong one. A span is previewed only when its quote is exactly at its offsets in
 * the live text, so an article changed since the sidecar was written shows nothing misplaced.
 */

export interface PreviewSpan {
  label: string;
  /** UTF-16 offsets in the live text. */
  start: number;
  end: number;
}

const OPEN = '\n  "annotations": [';

/**
 * The head of a sidecar's bytes as text, for `previewSpans`: decoding 15 MB to preview a screenful
 * would cost more than the preview saves. A character cut in two at the end only spoils the last
 * object, which the preview then stops before.
 */
export function sidecarHead(bytes: Uint8Array, length = 1 << 20): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, length));
}
const ITEM = '\n    {';
const ITEM_END = '\n    }';

/**
 * Spans of `json` (a sidecar's text) starting before `upTo` (a UTF-16 offset), checked against
 * `text` (the live text, or a prefix of it reaching past `upTo`). At most `limit` annotations are read.
 */
export function previewSpans(json: string, text: string, upTo: number, limit = 2000): PreviewSpan[] {
  const out: PreviewSpan[] = [];
  const open = json.indexOf(OPEN);
  if (open < 0) return out;
  let at = open + OPEN.length;
  // code point → UTF-16, walking forward (starts are sorted; a step back restarts the walk)
  let cp = 0;
  let u = 0;
  const walk = (fromCp: number, fromU: number, target: number): number => {
    while (fromCp < target && fromU < text.length) {
      const c = text.charCodeAt(fromU);
      fromU += c >= 0xd800 && c <= 0xdbff && fromU + 1 < text.length && (text.charCodeAt(fromU + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
      fromCp++;
    }
    return fromCp === target ? fromU : -1;
  };
  for (let read = 0; read < limit && json.startsWith(ITEM, at); read++) {
    const close = json.indexOf(ITEM_END, at + ITEM.length);
    if (close < 0) break;
    let a: unknown;
    try {
      a = JSON.parse(json.slice(at + ITEM.length - 1, close + ITEM_END.length));
    } catch {
      break;
    }
    at = close + ITEM_END.length + (json[close + ITEM_END.length] === ',' ? 1 : 0);
    if (!a || typeof a !== 'object') break;
    const { start, end, label, text: quote, orphaned } = a as Record<string, unknown>;
    if (!Number.isInteger(start) || !Number.isInteger(end) || typeof label !== 'string' || typeof quote !== 'string') break;
    const s = start as number;
    const e = end as number;
    if (s >= upTo) break; // a code point offset is never past its UTF-16 offset: the rest start later
    if (orphaned || s < 0 || e <= s) continue;
    if (s < cp) cp = u = 0;
    const s16 = walk(cp, u, s);
    if (s16 < 0 || s16 >= upTo) break;
    cp = s;
    u = s16;
    const e16 = walk(s, s16, e);
    if (e16 < 0 || text.slice(s16, e16) !== quote) continue;
    out.push({ label, start: s16, end: e16 });
  }
  return out;
}
