/** Chart colours, shared by the dashboard webview and the tests (no imports: the webview bundles it). */

/**
 * `n` colours, all different: the theme's chart colours first (duplicates dropped), then the
 * Okabe–Ito palette, then hues a golden angle apart, so a legend never shows two series in one
 * colour, however many series a chart has (an allegation × sanction table has many).
 */
export function distinctColours(n: number, base: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const add = (c: string) => {
    const key = c.trim().toLowerCase();
    if (key && !seen.has(key) && out.length < n) {
      seen.add(key);
      out.push(c.trim());
    }
  };
  [...base, ...OKABE_ITO].forEach(add);
  for (let i = 0; out.length < n; i++) add(`hsl(${Math.round((i * 137.508 + 15) % 360)}, 65%, ${[55, 42, 68][i % 3]}%)`);
  return out;
}

const OKABE_ITO = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7', '#999999'];
