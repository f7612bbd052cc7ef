/** Said above every page once its data stopped being current, with the way back: signing in again. */
import { useI18n } from '../i18n';
import { useSessionExpiry } from '../session/session-expiry';

export function StaleBanner({ onSignInAgain }: { onSignInAgain(): void }) {
  const { t, dateTime } = useI18n();
  const { staleSince } = useSessionExpiry();
  if (!staleSince) return null;
  return (
    <div role="alert" className="stale-banner" data-testid="stale-banner">
      <p>
        <strong>{t('dataStale')}</strong> · {t('staleSince')} <time dateTime={staleSince.toISOString()}>{dateTime(staleSince)}</time>
      </p>
      <p>{t('staleExplained')}</p>
      <button type="button" onClick={onSignInAgain}>
        {t('signInAgain')}
      </button>
    </div>
  );
}
