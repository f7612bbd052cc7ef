/** The console: sign-in, then the pages the signed-in app's contract lets it read. */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { loadConsoleSettings, type ConsoleSettings } from './console-settings';
import { useGraph } from './components/use-graph';
import { StaleBanner } from './components/stale-banner';
import { LanguageSwitch, SessionBar } from './header';
import { useI18n } from './i18n';
import { AccessMatrixPage } from './pages/access-matrix';
import { AuditChartsPage } from './pages/audit-charts';
import { AuditTrailPage } from './pages/audit-trail';
import { CityScreenPage } from './pages/city-screen';
import { ContractHistoryPage } from './pages/contract-history';
import { HomePage } from './pages/home';
import { PAGE_READS, PAGES, useCurrentPage, type Page } from './routes';
import { pagesServed, purposeForPage, servesPage, type Purpose } from './session/page-purpose';
import { oidcTokenSource } from './session/oidc-token-source';
import { clearSession, loadSession, saveSession, sessionFromToken, type Session } from './session/session';
import { SessionExpiryProvider, useSessionExpiry } from './session/session-expiry';
import { useSilentRenewal } from './session/silent-renewal';
import { SignInError, pastedTokenSource } from './session/token-source';
import { SignIn } from './sign-in';

interface CallerContract {
  app: string;
  name: string;
  region: string | null;
  purposes: Purpose[];
}

const CALLER_CONTRACT = `{ callerContract { app name region purposes { code description fields } } }`;

/** `contract` is undefined while it is being read, null if the app may not read it. */
function Pages({ session, page, contract }: { session: Session; page: Page; contract: CallerContract | null | undefined }) {
  switch (page) {
    case 'matrix':
      return <AccessMatrixPage session={session} />;
    case 'history':
      return <ContractHistoryPage session={session} />;
    case 'trail':
      return <AuditTrailPage session={session} />;
    case 'charts':
      return <AuditChartsPage session={session} />;
    case 'city':
      return <CityScreenPage session={session} region={contract === undefined ? undefined : (contract?.region ?? null)} />;
    case 'home':
      return <HomePage purposes={contract?.purposes} />;
  }
}

function Loading() {
  const { t } = useI18n();
  return <p>{t('loading')}</p>;
}

/** A page the app's contract cannot serve: said, and nothing is read. */
function NotServed({ page }: { page: Page }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="not-served-title">
      <h1 id="not-served-title">{t(page)}</h1>
      <p role="alert" data-testid="no-purpose">
        {t('noPurposeServes')}
      </p>
    </section>
  );
}

/** The bar every page starts with: the skip link, the console's name and the language switch, then what the caller adds. */
function TopBar({ children }: { children?: React.ReactNode }) {
  const { t } = useI18n();
  return (
    <header className="top">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <span className="brand">{t('appTitle')}</span>
      <LanguageSwitch />
      {children}
    </header>
  );
}

function SignedIn({ session, settings, onChange, onSignOut }: { session: Session; settings: ConsoleSettings; onChange(session: Session): void; onSignOut(): void }) {
  const { t } = useI18n();
  const page = useCurrentPage();
  const { staleSince } = useSessionExpiry();
  // The app's own contract is shared unconditionally: it is read without a purpose, to offer its purposes and pages.
  const contract = useGraph<{ callerContract: CallerContract | null }>({ ...session, purpose: '' }, CALLER_CONTRACT, {});
  const caller = contract.data?.callerContract;
  const settled = contract.data !== undefined || contract.error !== undefined;
  const purposes = caller?.purposes;
  // Without its contract (the app may not read it) the console cannot tell: every page, purpose typed by hand.
  const pagePurpose = purposes ? purposeForPage(page, purposes) : null;
  useEffect(() => {
    if (purposes && pagePurpose && !servesPage(session.purpose, page, purposes)) onChange({ ...session, purpose: pagePurpose.code });
  }, [purposes, pagePurpose, page, session, onChange]);
  const offered = purposes ? pagesServed(purposes) : settled ? PAGES : (['home'] as const);
  // The purposes the header offers: those that serve this page (all of them where none does).
  const choosable = purposes && pagePurpose !== undefined ? purposes.filter((p) => servesPage(p.code, page, purposes)) : (purposes ?? []);
  const main = useRef<HTMLElement>(null);
  useEffect(() => main.current?.focus(), [page]);
  const waiting = (!settled && PAGE_READS[page] !== null) || (purposes && pagePurpose && !servesPage(session.purpose, page, purposes));
  return (
    <>
      <TopBar>
        <SessionBar session={session} appName={caller?.name} purposes={choosable} onPurpose={(purpose) => onChange({ ...session, purpose })} onSignOut={onSignOut} />
        <nav aria-label={t('navigation')}>
          <ul>
            {offered.map((p) => (
              <li key={p}>
                <a href={`#/${p}`} aria-current={p === page ? 'page' : undefined}>
                  {t(p)}
                </a>
              </li>
            ))}
            {settings.explorer && (
              <li>
                <a href="/console/explorer.html">{t('explorer')}</a>
              </li>
            )}
          </ul>
        </nav>
      </TopBar>
      <main id="main" tabIndex={-1} ref={main} data-stale={staleSince ? 'true' : undefined}>
        <StaleBanner onSignInAgain={onSignOut} />
        <div className={staleSince ? 'page stale' : 'page'}>
          {pagePurpose === undefined ? <NotServed page={page} /> : waiting ? <Loading /> : <Pages session={session} page={page} contract={settled ? (caller ?? null) : undefined} />}
        </div>
      </main>
    </>
  );
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [settings, setSettings] = useState<ConsoleSettings>();
  const [problem, setProblem] = useState<SignInError['reason']>();
  useEffect(() => void loadConsoleSettings().then(setSettings), []);
  const oidc = useMemo(() => settings?.signIn && oidcTokenSource(settings.signIn), [settings]);
  const source = oidc ?? pastedTokenSource;
  const update = useCallback((next: Session) => {
    saveSession(next);
    setSession(next);
  }, []);
  // Back from the identity provider with a code: finish signing in.
  useEffect(() => {
    oidc
      ?.completeSignIn()
      .then((token) => token && update(sessionFromToken(token)))
      .catch((error: unknown) => setProblem(error instanceof SignInError ? error.reason : 'signInRefused'));
  }, [oidc, update]);
  const renewed = useCallback((token: string) => {
    setSession((current) => {
      if (!current) return current;
      const next = { ...sessionFromToken(token), purpose: current.purpose };
      saveSession(next);
      return next;
    });
  }, []);
  useSilentRenewal(session, source, renewed);
  if (!session) {
    return (
      <>
        <TopBar />
        <main id="main" tabIndex={-1}>
          {settings ? <SignIn key={problem ?? ''} source={source} problem={problem} onSignedIn={update} /> : <Loading />}
        </main>
      </>
    );
  }
  return (
    <SessionExpiryProvider expiresAt={session.expiresAt}>
      <SignedIn
        session={session}
        settings={settings ?? { explorer: false }}
        onChange={update}
        onSignOut={() => {
          clearSession();
          source.forget?.();
          setSession(undefined);
        }}
      />
    </SessionExpiryProvider>
  );
}
