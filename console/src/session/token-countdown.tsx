/** The token's time left, counted down every second in the header; the last five minutes stand out. */
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';

const WARN_MS = 5 * 60_000;

function clock(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${two(m)}:${two(s)}`;
}

export function TokenCountdown({ expiresAt }: { expiresAt: Date }) {
  const { t, dateTime } = useI18n();
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = expiresAt.getTime() - now;
  return (
    <span className={left <= WARN_MS ? 'countdown warn' : 'countdown'} title={`${t('expiresAt')}: ${dateTime(expiresAt)}`}>
      {left > 0 ? `${t('tokenLeft')} ` : ''}
      <time role="timer" dateTime={expiresAt.toISOString()} data-testid="token-countdown">
        {left > 0 ? clock(left) : t('tokenExpired')}
      </time>
    </span>
  );
}
