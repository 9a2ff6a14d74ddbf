/**
 * 32-bit FNV-1a of a string's UTF-16 units: a fast, fixed hash for shingles, which are then kept
 * as numbers (a tenth of the memory of strings). Fixed, so hashes compare across runs.
 */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
