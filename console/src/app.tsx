/** The console: sign-in, then the pages the signed-in app's contract lets it read. */
import { useEffect, useRef, useState } from 'react';
import { loadConsoleSettings, type ConsoleSettings } from './console-settings';
import { useGraph } from './components/use-graph';
import { LanguageSwitch, SessionBar, type Purpose } from './header';
import { useI18n } from './i18n';
import { AccessMatrixPage } from './pages/access-matrix';
import { AuditChartsPage } from './pages/audit-charts';
import { AuditTrailPage } from './pages/audit-trail';
import { CityScreenPage } from './pages/city-screen';
import { ContractHistoryPage } from './pages/contract-history';
import { PAGES, useCurrentPage, type Page } from './routes';
import { clearSession, loadSession, saveSession, type Session } from './session/session';
import { pastedTokenSource } from './session/token-source';
import { SignIn } from './sign-in';

interface CallerContract {
  app: string;
  name: string;
  region: string | null;
  purposes: Purpose[];
}

const CALLER_CONTRACT = `{ callerContract { app name region purposes { code description } } }`;

/** `contract` is undefined while it is being read, null if the app may not read it. */
function Pages({ session, page, contract }: { session: Session; page: Page; contract: CallerContract | null | undefined }) {
  const { t } = useI18n();
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
      return (
        <section aria-labelledby="home-title">
          <h1 id="home-title">{t('appTitle')}</h1>
          <p>{t('homeIntro')}</p>
        </section>
      );
  }
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
  // The app's own contract is shared unconditionally: it is read without a purpose, to offer its purposes.
  const contract = useGraph<{ callerContract: CallerContract | null }>({ ...session, purpose: '' }, CALLER_CONTRACT, {});
  const purposes = contract.data?.callerContract?.purposes ?? [];
  useEffect(() => {
    if (!session.purpose && purposes.length > 0) onChange({ ...session, purpose: purposes[0]!.code });
  }, [purposes, session, onChange]);
  const main = useRef<HTMLElement>(null);
  useEffect(() => main.current?.focus(), [page]);
  return (
    <>
      <TopBar>
        <SessionBar session={session} appName={contract.data?.callerContract?.name} purposes={purposes} onPurpose={(purpose) => onChange({ ...session, purpose })} onSignOut={onSignOut} />
        <nav aria-label={t('navigation')}>
          <ul>
            {PAGES.map((p) => (
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
      <main id="main" tabIndex={-1} ref={main}>
        {session.purpose || purposes.length === 0 ? <Pages session={session} page={page} contract={contract.loading && !contract.data ? undefined : (contract.data?.callerContract ?? null)} /> : <p>{t('loading')}</p>}
      </main>
    </>
  );
}

export function App() {
  const [session, setSession] = useState<Session | undefined>(loadSession);
  const [settings, setSettings] = useState<ConsoleSettings>({ explorer: false });
  useEffect(() => void loadConsoleSettings().then(setSettings), []);
  const update = (next: Session) => {
    saveSession(next);
    setSession(next);
  };
  if (!session) {
    return (
      <>
        <TopBar />
        <main id="main" tabIndex={-1}>
          <SignIn source={pastedTokenSource} onSignedIn={update} />
        </main>
      </>
    );
  }
  return (
    <SignedIn
      session={session}
      settings={settings}
      onChange={update}
      onSignOut={() => {
        clearSession();
        setSession(undefined);
      }}
    />
  );
}
