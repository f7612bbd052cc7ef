/**
 * Live alerts in words — the district, the indicator and its value against its threshold in its unit
 * (天河区：超期率 100%，阈值 20%) — each acknowledged with one click through the graph (acknowledgeAlert,
 * audited like every request).
 */
import { useState } from 'react';
import { GraphError, queryGraph } from '../graph-client';
import { useI18n } from '../i18n';
import type { Session } from '../session/session';
import { useIndicatorWords, type IndicatorTerms } from './indicator-words';

export interface Alert {
  id: string;
  regionCode: string;
  regionName: string;
  indicator: string;
  value: number;
  threshold: number;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}

const ACKNOWLEDGE = `mutation AcknowledgeAlert($id: ID!) { acknowledgeAlert(id: $id) { id acknowledgedAt acknowledgedBy } }`;

type Acknowledgement = Pick<Alert, 'acknowledgedAt' | 'acknowledgedBy'>;

export function AlertList({ session, alerts, indicators }: { session: Session; alerts: readonly Alert[]; indicators: readonly IndicatorTerms[] }) {
  const { t, dateTime } = useI18n();
  const words = useIndicatorWords();
  // What this screen acknowledged shows at once, before the next poll brings it back from the graph.
  const [acknowledged, setAcknowledged] = useState<Record<string, Acknowledgement>>({});
  const [failure, setFailure] = useState<GraphError>();
  const acknowledge = async (id: string) => {
    try {
      const { acknowledgeAlert } = await queryGraph<{ acknowledgeAlert: Acknowledgement }>(session, ACKNOWLEDGE, { id });
      setAcknowledged((previous) => ({ ...previous, [id]: acknowledgeAlert }));
      setFailure(undefined);
    } catch (error) {
      setFailure(error instanceof GraphError ? error : new GraphError(String(error), 'INTERNAL_SERVER_ERROR'));
    }
  };
  if (alerts.length === 0) return <p>{t('noAlerts')}</p>;
  return (
    <>
      {failure && (
        <p role="alert" className="error">
          {t('error')} <code>{failure.code}</code>: {failure.message}
        </p>
      )}
      <ul className="alerts" aria-live="polite" data-testid="alerts">
        {alerts.map((alert) => {
          const indicator = indicators.find((i) => i.code === alert.indicator) ?? { code: alert.indicator, name: alert.indicator, unit: '' };
          const amount = (value: number) => words.amount(value, indicator.unit);
          const done = acknowledged[alert.id] ?? (alert.acknowledgedAt ? alert : undefined);
          return (
            <li key={alert.id} className={done ? 'acknowledged' : undefined} data-alert={alert.id}>
              <span>
                ⚠{' '}
                {t('wallAlertWords')
                  .replace('{district}', alert.regionName)
                  .replace('{indicator}', words.name(indicator))
                  .replace('{value}', amount(alert.value))
                  .replace('{threshold}', amount(alert.threshold))}{' '}
                · {t('raisedAt')} {dateTime(alert.raisedAt)}
              </span>{' '}
              {done ? (
                <span className="muted">
                  ✔ {t('wallAcknowledged')} {dateTime(done.acknowledgedAt!)} · {done.acknowledgedBy}
                </span>
              ) : (
                <button type="button" onClick={() => void acknowledge(alert.id)}>
                  {t('wallAcknowledge')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
