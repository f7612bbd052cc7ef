/** The console's pages, addressed by the URL's hash (#/trail) so a page can be bookmarked and the back button works. */
import { useEffect, useState } from 'react';
import type { LabelKey } from './i18n';

export const PAGES = ['home', 'matrix', 'history', 'trail', 'charts', 'city'] as const satisfies readonly LabelKey[];
export type Page = (typeof PAGES)[number];

function pageOf(hash: string): Page {
  const name = hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'home';
}

export function useCurrentPage(): Page {
  const [page, setPage] = useState<Page>(() => pageOf(location.hash));
  useEffect(() => {
    const follow = () => setPage(pageOf(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return page;
}
