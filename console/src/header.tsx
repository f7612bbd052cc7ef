/** The signed-in app, the token's time left, the purpose stated on every request, the language switch and sign-out. */
import { useI18n } from './i18n';
import type { Purpose } from './session/page-purpose';
import type { Session } from './session/session';
import { TokenCountdown } from './session/token-countdown';

export function SessionBar({ session, appName, purposes, onPurpose, onSignOut }: { session: Session; appName: string | undefined; purposes: readonly Purpose[]; onPurpose(code: string): void; onSignOut(): void }) {
  const { t } = useI18n();
  return (
    <div className="session-bar">
      <span>
        {t('signedInAs')}: <strong data-testid="signed-in-app">{session.app}</strong>
        {appName && <span className="muted"> · {appName}</span>}
      </span>
      <TokenCountdown expiresAt={session.expiresAt} />
      <label>
        {t('purpose')}
        {purposes.length > 0 ? (
          <select name="purpose" value={session.purpose} onChange={(e) => onPurpose(e.target.value)}>
            <option value="">{t('noPurpose')}</option>
            {purposes.map((p) => (
              <option key={p.code} value={p.code} title={p.description}>
                {p.code}
              </option>
            ))}
          </select>
        ) : (
          // An app whose contract does not grant callerContract states its purpose by hand.
          <input name="purpose" defaultValue={session.purpose} onBlur={(e) => onPurpose(e.target.value.trim())} />
        )}
      </label>
      <button type="button" onClick={onSignOut}>
        {t('signOut')}
      </button>
    </div>
  );
}

export function LanguageSwitch() {
  const { t, language, setLanguage } = useI18n();
  return (
    <button type="button" className="language" lang={language === 'zh' ? 'en' : 'zh-CN'} title={t('languageName')} onClick={() => setLanguage(language === 'zh' ? 'en' : 'zh')}>
      {t('language')}
    </button>
  );
}
