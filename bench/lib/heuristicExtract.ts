/**
 * The alternative the importer's extraction was chosen against (see the import-pages bench case):
 * a plain heuristic over the same linkedom document, with no library. The headline is the first
 * `<h1>`; the body is the `<p>` children of the one element whose direct `<p>` children hold the
 * most text (where a page's article usually is).
 */
import { parsePage, PageElement, squash } from '../../src/core/import/dom';

export function heuristicArticle(html: string): string | undefined {
  const doc = parsePage(html);
  for (const el of Array.from(doc.querySelectorAll('script, style, noscript, template'))) el.remove();
  const headline = squash(doc.querySelector('h1')?.textContent);
  const weight = new Map<PageElement, number>();
  for (const p of Array.from(doc.querySelectorAll('p'))) {
    const parent = p.parentElement;
    if (parent) weight.set(parent, (weight.get(parent) ?? 0) + squash(p.textContent).length);
  }
  let best: PageElement | undefined;
  for (const [el, w] of weight) if (!best || w > weight.get(best)!) best = el;
  const paragraphs = best ? Array.from(best.children).filter((c) => c.tagName === 'P').map((p) => squash(p.textContent)).filter(Boolean) : [];
  if (!headline && !paragraphs.length) return undefined;
  return [headline, ...paragraphs.filter((p) => p !== headline)].filter(Boolean).join('\n\n') + '\n';
}
