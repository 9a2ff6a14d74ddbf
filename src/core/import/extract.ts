/**
 * A saved page's article: its headline and body paragraphs, without the page around them.
 *
 * Mozilla's Readability (what Firefox's Reader View uses) finds the body, over a linkedom document.
 * Before it runs, what is never article text is removed by tag and role (navigation, asides,
 * footers, forms, figures and their credits, hidden elements) and by class or id (comments, cookie
 * notices, share bars, related links, teasers, paywall prompts), because Readability keeps a block
 * it scores as content even when a site names it "comments". The body is then read block by block
 * into paragraphs.
 */
import { Readability } from '@mozilla/readability';
import { ELEMENT_NODE, PageDocument, PageElement, PageNode, squash, TEXT_NODE } from './dom';

export interface ExtractedArticle {
  headline: string;
  paragraphs: string[];
}

/** Elements that never hold the article's text. */
const CLUTTER_SELECTOR = [
  'script', 'style', 'noscript', 'template', 'iframe', 'object', 'embed', 'svg', 'canvas', 'video', 'audio',
  'nav', 'aside', 'footer', 'form', 'button', 'select', 'textarea', 'figure', 'figcaption', 'picture', 'dialog',
  '[hidden]', '[aria-hidden="true"]',
  '[role="navigation"]', '[role="banner"]', '[role="complementary"]', '[role="contentinfo"]', '[role="dialog"]', '[role="alertdialog"]',
].join(',');

/**
 * A class or id naming clutter: a clutter word at the end of a token, optionally followed by a
 * part name ("comments", "article__share-bar", "cookie-notice"); "comments-enabled" is not one.
 */
const CLUTTER_NAME =
  /(?:^|[-_])(?:comments?|comment-list|discussion|disqus|cookies?|consent|gdpr|share|sharing|social|related|recommended|newsletter|promo|teasers?|subscribe|subscription|paywall|piano|advert|advertisement|ads?|sponsored|outbrain|taboola|breadcrumbs?|byline|dateline|timestamp|caption|credits?|most-read|popular|trending|sidebar|tags|topics|masthead|site-header|skip-link|nav|navigation|navbar|menu|topbar|footer|site-footer)(?:[-_](?:bar|block|box|list|links?|section|container|wrapper|banner|notice|area|module|widget|cards?|items?|prompt|message|overlay|panel|strip|rail|text))?$/i;

/** Short lines that are a page's furniture, not its text. */
const FURNITURE_LINE = /^(?:advertisement|share|share this( article| story| page)?|read more|related( articles| stories)?|sign up|subscribe( now)?|image copyright.*|image source.*|getty images|pa media)$/i;

const BLOCK_TAGS = new Set(['P', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'LI', 'PRE', 'DD', 'DT', 'TD', 'TH', 'BLOCKQUOTE', 'DIV', 'SECTION', 'ARTICLE', 'MAIN', 'UL', 'OL', 'DL', 'TABLE', 'TBODY', 'THEAD', 'TR', 'HEADER', 'HR', 'BR']);

function namesClutter(el: PageElement): boolean {
  const tokens = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`.split(/\s+/);
  return tokens.some((t) => t && CLUTTER_NAME.test(t));
}

/** Removes what is never article text (see the module comment); a `<header>` goes unless it holds the `<h1>`. */
export function removeClutter(doc: PageDocument): void {
  const root = doc.body ?? doc.documentElement;
  if (!root) return;
  for (const el of Array.from(root.querySelectorAll(CLUTTER_SELECTOR))) el.remove();
  for (const el of Array.from(root.querySelectorAll('[class], [id]'))) {
    if (namesClutter(el) && !el.querySelector('h1')) el.remove();
  }
  for (const el of Array.from(root.querySelectorAll('header'))) if (!el.querySelector('h1')) el.remove();
}

/** The blocks of an element's text in order: each block element one paragraph, loose inline text joined. */
export function blocksOf(root: PageNode): string[] {
  const out: string[] = [];
  let inline = '';
  const flush = () => {
    const text = squash(inline);
    if (text) out.push(text);
    inline = '';
  };
  const visit = (node: PageNode) => {
    if (node.nodeType === TEXT_NODE) {
      inline += node.textContent ?? '';
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const el = node as PageElement;
    const tag = el.tagName.toUpperCase();
    if (!BLOCK_TAGS.has(tag)) {
      for (const child of Array.from(el.childNodes)) visit(child);
      return;
    }
    flush();
    for (const child of Array.from(el.childNodes)) visit(child);
    flush();
  };
  visit(root);
  flush();
  return out;
}

/** The page's main headline: its first `<h1>` (Readability turns it into a body heading or drops it). */
function pageHeadline(doc: PageDocument): string | undefined {
  const h1 = doc.querySelector('article h1') ?? doc.querySelector('main h1') ?? doc.querySelector('h1');
  return squash(h1?.textContent) || undefined;
}

function titleTag(doc: PageDocument): string | undefined {
  return squash(doc.querySelector('title')?.textContent) || undefined;
}

/**
 * The article of a parsed page, or undefined when it has no text. The document is changed (clutter
 * removed, then Readability's own changes): read its metadata first.
 */
export function extractArticle(doc: PageDocument, metadataHeadline?: string): ExtractedArticle | undefined {
  removeClutter(doc);
  const h1 = pageHeadline(doc);
  const title = titleTag(doc);
  const parsed = new Readability(doc as never, { serializer: (node: unknown) => node as PageNode }).parse();
  const headline = h1 ?? metadataHeadline ?? (squash(parsed?.title) || title) ?? '';
  const content = parsed?.content as PageNode | null | undefined;
  const blocks = content ? blocksOf(content) : [];
  const paragraphs = blocks.filter((b, i) => !FURNITURE_LINE.test(b) && !(i === 0 && b === headline));
  if (!headline && !paragraphs.length) return undefined;
  return { headline: headline || paragraphs[0], paragraphs: headline ? paragraphs : paragraphs.slice(1) };
}

/** The article file's text: the headline, then the paragraphs, each separated by a blank line. */
export function articleText(article: ExtractedArticle): string {
  return [article.headline, ...article.paragraphs].join('\n\n') + '\n';
}
