/**
 * Which purpose a page is read under: the first of the app's purposes that grants the page's read
 * (routes.ts, PAGE_READS). Issue 23 item 2: an auditor landing on the trail states AUDIT_REVIEW, not the
 * contract's first purpose; a page no purpose serves is neither offered nor read.
 */
import { PAGE_READS, PAGES, type Page } from '../routes';

export interface Purpose {
  code: string;
  description: string;
  /** The field coordinates the purpose grants. */
  fields: readonly string[];
}

/** `null` when the page reads nothing, `undefined` when no purpose of the app serves it. */
export function purposeForPage(page: Page, purposes: readonly Purpose[]): Purpose | null | undefined {
  const read = PAGE_READS[page];
  if (read === null) return null;
  return purposes.find((p) => p.fields.includes(read));
}

export function servesPage(purpose: string, page: Page, purposes: readonly Purpose[]): boolean {
  const read = PAGE_READS[page];
  return read === null || purposes.some((p) => p.code === purpose && p.fields.includes(read));
}

/** The pages some purpose of the app serves, in navigation order. */
export function pagesServed(purposes: readonly Purpose[]): Page[] {
  return PAGES.filter((page) => purposeForPage(page, purposes) !== undefined);
}
