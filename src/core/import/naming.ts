/**
 * An imported article's file name: a slug of its headline (`met-officer-dismissed-for-gross-misconduct.txt`),
 * with `-2`, `-3` … when an article or sidecar of that name is there already: nothing is ever
 * written over.
 */
import type { FileSystem } from '../fileSystem';
import { sidecarPathFor } from '../sidecar';

/** The longest slug kept (at a word boundary): names stay readable in the Corpus view. */
const MAX_SLUG = 60;

/** Names Windows will not create a file under, whatever the extension. */
const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/;

export function slugFor(headline: string): string {
  let slug = headline
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  if (slug.length > MAX_SLUG) {
    const cut = slug.lastIndexOf('-', MAX_SLUG);
    slug = slug.slice(0, cut > MAX_SLUG / 2 ? cut : MAX_SLUG).replace(/-+$/, '');
  }
  if (!slug) return 'article';
  return RESERVED.test(slug) ? `${slug}-article` : slug;
}

/** The first free `<slug>.txt`, `<slug>-2.txt` … in `folder` (neither the article nor its sidecar there). */
export async function articleName(fs: FileSystem, folder: string, headline: string): Promise<string> {
  const slug = slugFor(headline);
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${slug}.txt` : `${slug}-${n}.txt`;
    const path = fs.join(folder, name);
    if (!(await fs.stat(path)) && !(await fs.stat(sidecarPathFor(path)))) return name;
  }
}
