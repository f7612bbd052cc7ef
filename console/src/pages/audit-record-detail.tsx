/** One audit record in full: who asked (operator as HMAC), where, for what and which case, what was released, masked or refused and why. */
import { useEffect, useRef } from 'react';
import { formatTime } from '../components/time-range';
import { useI18n } from '../i18n';

export interface AuditRecord {
  seq: number;
  time: string;
  requestId: string;
  parentRequestId: string | null;
  app: string | null;
  client: string | null;
  operator: string | null;
  region: string | null;
  purpose: string | null;
  caseId: string | null;
  operationName: string | null;
  operationHash: string | null;
  fields: string[];
  released: string[] | null;
  masked: Array<{ field: string; mask: string }> | null;
  refused: Array<{ field: string; code: string; reason: string }> | null;
  subjects: string[];
  decision: string;
  rule: string;
  outcome: string;
  errorCodes: string[];
  latencyMs: number;
  hash: string;
}

/** The record's fields, as the trail query asks for them. */
export const AUDIT_RECORD_FIELDS =
  'seq time requestId parentRequestId app client operator region purpose caseId operationName operationHash fields released masked { field mask } refused { field code reason } subjects decision rule outcome errorCodes latencyMs hash';

const REFUSED_WHOLE = new Set(['DENY', 'UNAUTHENTICATED', 'INVALID']);

function FieldList({ fields, masks }: { fields: readonly string[]; masks?: ReadonlyMap<string, string> }) {
  const { t } = useI18n();
  if (fields.length === 0) return <>{t('none')}</>;
  return (
    <ul className="fields">
      {fields.map((field) => (
        <li key={field}>
          <code>{field}</code>
          {masks?.has(field) && (
            <span className="badge">
              {' '}
              {t('maskedWith')} {masks.get(field)}
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}

export function RecordDetail({ record, onClose }: { record: AuditRecord; onClose(): void }) {
  const { t, language } = useI18n();
  const heading = useRef<HTMLHeadingElement>(null);
  // Focus moves to the detail for keyboard and screen-reader users, without scrolling the row away.
  useEffect(() => heading.current?.focus({ preventScroll: true }), [record.seq]);
  const masks = record.masked ? new Map(record.masked.map((m) => [m.field, m.mask])) : undefined;
  const refusedWhole = REFUSED_WHOLE.has(record.decision);
  const notRecorded = <span className="muted">{t('notRecorded')}</span>;
  const dash = (value: string | null) => value ?? '—';
  return (
    <section aria-labelledby={`record-title-${record.seq}`} className="panel detail" data-testid="record-detail">
      <h2 id={`record-title-${record.seq}`} tabIndex={-1} ref={heading}>
        {t('recordDetail')} #{record.seq}
      </h2>
      <dl>
        <dt>{t('time')}</dt>
        <dd>
          <time dateTime={record.time}>{formatTime(record.time, language)}</time>
        </dd>
        <dt>{t('app')}</dt>
        <dd>{dash(record.app)}</dd>
        <dt>{t('operatorHmac')}</dt>
        <dd className="small" data-testid="detail-operator">
          {dash(record.operator)}
        </dd>
        <dt>{t('region')}</dt>
        <dd data-testid="detail-region">{dash(record.region)}</dd>
        <dt>{t('purpose')}</dt>
        <dd>{dash(record.purpose)}</dd>
        <dt>{t('caseId')}</dt>
        <dd data-testid="detail-case">{dash(record.caseId)}</dd>
        <dt>{t('decision')}</dt>
        <dd>
          {record.decision} ({record.outcome})
        </dd>
        <dt>{t('rule')}</dt>
        <dd>{record.rule}</dd>
        <dt>{t('errorCodes')}</dt>
        <dd>{record.errorCodes.join(', ') || '—'}</dd>
        <dt>{t('latency')}</dt>
        <dd data-testid="detail-latency">{record.latencyMs.toFixed(1)} ms</dd>
        <dt>{t('fieldsReleased')}</dt>
        <dd data-testid="detail-released">{record.released === null ? notRecorded : <FieldList fields={record.released} {...(masks && { masks })} />}</dd>
        <dt>{t('fieldsMasked')}</dt>
        <dd data-testid="detail-masked">{record.masked === null ? notRecorded : <FieldList fields={record.masked.filter((m) => record.released?.includes(m.field) ?? true).map((m) => `${m.field} · ${m.mask}`)} />}</dd>
        {/* A permitted request refused nothing; a partial or refused one says what, or that it was not recorded then. */}
        {(refusedWhole || record.decision === 'PARTIAL' || (record.refused?.length ?? 0) > 0) && (
          <>
            <dt>{t('fieldsRefused')}</dt>
            <dd data-testid="detail-refused">
              {refusedWhole && (
                <p>
                  {t('refusedWhole')}: {record.rule}
                </p>
              )}
              {record.refused === null
                ? notRecorded
                : record.refused.length > 0 && (
                    <ul className="fields">
                      {record.refused.map((r) => (
                        <li key={r.field}>
                          <code>{r.field}</code> <strong>{r.code}</strong>: {r.reason}
                        </li>
                      ))}
                    </ul>
                  )}
            </dd>
          </>
        )}
        {refusedWhole && (
          <>
            <dt>{t('fieldsAsked')}</dt>
            <dd data-testid="detail-asked">
              <FieldList fields={record.fields} />
            </dd>
          </>
        )}
        <dt>{t('subjects')}</dt>
        <dd className="small">{record.subjects.join(', ') || '—'}</dd>
        <dt>{t('operation')}</dt>
        <dd className="small">
          {dash(record.operationName)} <code>{record.operationHash ?? ''}</code>
        </dd>
        <dt>{t('client')}</dt>
        <dd className="small">{dash(record.client)}</dd>
        <dt>Request ID</dt>
        <dd className="small">
          {record.requestId}
          {record.parentRequestId && ` ← ${record.parentRequestId}`}
        </dd>
        <dt>Hash</dt>
        <dd className="small">
          <code>{record.hash}</code>
        </dd>
      </dl>
      <button type="button" onClick={onClose}>
        {t('close')}
      </button>
    </section>
  );
}
