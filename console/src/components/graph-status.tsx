/** What a page shows while its data loads or when the graph refused it. */
import type { GraphError } from '../graph-client';
import { useI18n } from '../i18n';

export function GraphStatus({ loading, error }: { loading: boolean; error?: GraphError | undefined }) {
  const { t } = useI18n();
  if (error) {
    return (
      <p role="alert" className="error">
        {t('error')} <code>{error.code}</code>: {error.message}
        {error.code === 'PURPOSE_REQUIRED' && <> — {t('purposeRefused')}</>}
      </p>
    );
  }
  return loading ? <p className="muted">{t('loading')}</p> : null;
}
