/** What a page shows while its data loads or when the graph refused it. */
import type { GraphError } from '../graph-client';
import { useI18n } from '../i18n';

export function GraphStatus({ loading, error }: { loading: boolean; error?: GraphError | undefined }) {
  const { t, code } = useI18n();
  if (error) {
    // The label is the console's, in the chosen language; the server's own words (English) stay one click away.
    return (
      <div role="alert" className="error">
        <p>
          {t('error')} <code>{error.code}</code>: {code('error', error.code)}
          {error.code === 'PURPOSE_REQUIRED' && <> — {t('purposeRefused')}</>}
        </p>
        <details className="small">
          <summary>{t('serverMessage')}</summary>
          <span lang="en">{error.message}</span>
        </details>
      </div>
    );
  }
  return loading ? <p className="muted">{t('loading')}</p> : null;
}
