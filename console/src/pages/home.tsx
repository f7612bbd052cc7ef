/** 首页: what the console is, and which pages the signed-in app's contract serves (the navigation links them), each with its purpose. */
import { useI18n } from '../i18n';
import { PAGES } from '../routes';
import { purposeForPage, type Purpose } from '../session/page-purpose';

/** `purposes` is undefined when the app's contract could not be read (it does not grant callerContract). */
export function HomePage({ purposes }: { purposes: readonly Purpose[] | undefined }) {
  const { t } = useI18n();
  const pages = PAGES.filter((page) => page !== 'home');
  const served = purposes && pages.flatMap((page) => {
    const purpose = purposeForPage(page, purposes);
    return purpose ? [{ page, purpose }] : [];
  });
  const unserved = purposes && pages.filter((page) => purposeForPage(page, purposes) === undefined);
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t('appTitle')}</h1>
      <p>{t('homeIntro')}</p>
      {served && served.length > 0 && (
        <>
          <h2>{t('pagesForApp')}</h2>
          <ul data-testid="pages-served">
            {served.map(({ page, purpose }) => (
              <li key={page}>
                <strong>{t(page)}</strong> — {t('pagePurpose')}: <code title={purpose.description}>{purpose.code}</code>
              </li>
            ))}
          </ul>
        </>
      )}
      {unserved && unserved.length > 0 && (
        <>
          <h2>{t('pagesNotForApp')}</h2>
          <ul className="muted" data-testid="pages-not-served">
            {unserved.map((page) => (
              <li key={page}>{t(page)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
