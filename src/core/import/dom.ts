/**
 * The little of a DOM the importer uses, typed here because the project compiles without the DOM
 * library. Pages are parsed by linkedom: no layout, no script is run and nothing is fetched (an
 * `<img>`, `<link>` or `<iframe>` is only an element).
 */
import { parseHTML } from 'linkedom';
import { decodeNamedEntities } from './entities';

export interface PageNode {
  readonly nodeType: number;
  readonly textContent: string | null;
  readonly childNodes: ArrayLike<PageNode>;
}

export interface PageElement extends PageNode {
  readonly tagName: string;
  readonly children: ArrayLike<PageElement>;
  readonly parentElement: PageElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  remove(): void;
}

export interface PageDocument {
  readonly documentElement: PageElement | null;
  readonly body: PageElement | null;
  readonly head: PageElement | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}

export const ELEMENT_NODE = 1;
export const TEXT_NODE = 3;

/** Parses a page's text into a document (linkedom: malformed markup is parsed as browsers do, leniently). */
export function parsePage(html: string): PageDocument {
  // linkedom needs an <html> root to build <head> and <body>; a fragment gets one
  const decoded = decodeNamedEntities(html);
  const source = /<html[\s>]/i.test(decoded) ? decoded : `<!DOCTYPE html><html><head></head><body>${decoded}</body></html>`;
  return parseHTML(source).document as unknown as PageDocument;
}

/** Text with every run of white space (NBSP included) one space, trimmed. */
export function squash(text: string | null | undefined): string {
  return (text ?? '').replace(/[\s\u00a0\u200b\ufeff]+/g, ' ').trim();
}
