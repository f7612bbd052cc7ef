/** The console's pages, addressed by the URL's hash (#/trail) so a page can be bookmarked and the back button works. */
import { useEffect, useState } from 'react';
import type { LabelKey } from './i18n';

export const PAGES = ['home', 'matrix', 'history', 'trail', 'charts', 'city'] as const satisfies readonly LabelKey[];
export type Page = (typeof PAGES)[number];

/**
 * The read each page starts from: the page needs a purpose of the app's contract that grants it, and is
 * offered (and read) only under one. Home reads nothing.
 */
export const PAGE_READS: Readonly<Record<Page, string | null>> = {
  home: null,
  matrix: 'Query.accessMatrix',
  history: 'Query.contractRevisions',
  trail: 'Query.auditRecords',
  charts: 'Query.auditStatistics',
  city: 'Query.operationsOverview',
};

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
