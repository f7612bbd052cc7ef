/** 审计记录: search the trail by app, purpose, subject, decision and time; a record's detail; the chain's verification status. */
import { useState } from 'react';
import { ExportButtons } from '../components/export-buttons';
import { ChoiceFilter } from '../components/choice-filter';
import { ColumnHeads } from '../components/column-heads';
import { GraphStatus } from '../components/graph-status';
import { localInputToIso } from '../components/time-range';
import { useGraph } from '../components/use-graph';
import { useI18n } from '../i18n';
import type { Session } from '../session/session';

interface AuditRecord {
  seq: number;
  time: string;
  requestId: string;
  app: string | null;
  operator: string | null;
  region: string | null;
  purpose: string | null;
  caseId: string | null;
  operationName: string | null;
  operationHash: string | null;
  fields: string[];
  subjects: string[];
  decision: string;
  rule: string;
  outcome: string;
  errorCodes: string[];
  latencyMs: number;
  hash: string;
}

interface ChainStatus {
  verified: boolean;
  records: number;
  checkpoints: number;
  lastCheckpointSeq: number | null;
  lastCheckpointAt: string | null;
  unsignedRecords: number;
  problem: string | null;
  checkedAt: string;
}

const RECORDS = `query AuditRecords($app: String, $purpose: String, $subject: String, $decision: AuditDecision, $from: DateTime, $to: DateTime) {
  auditRecords(app: $app, purpose: $purpose, subject: $subject, decision: $decision, from: $from, to: $to, first: 100) {
    totalCount
    nodes { seq time requestId app operator region purpose caseId operationName operationHash fields subjects decision rule outcome errorCodes latencyMs hash }
  }
}`;
const CHAIN = `{ auditChainStatus { verified records checkpoints lastCheckpointSeq lastCheckpointAt unsignedRecords problem checkedAt } }`;
const DECISIONS = ['PERMIT', 'PARTIAL', 'DENY', 'UNAUTHENTICATED', 'INVALID'];

type Filter = Record<'app' | 'purpose' | 'subject' | 'decision' | 'from' | 'to', string>;
const EMPTY: Filter = { app: '', purpose: '', subject: '', decision: '', from: '', to: '' };

function variablesOf(filter: Filter): Record<string, string> {
  const from = localInputToIso(filter.from);
  const to = localInputToIso(filter.to);
  return {
    ...(filter.app.trim() && { app: filter.app.trim() }),
    ...(filter.purpose.trim() && { purpose: filter.purpose.trim() }),
    ...(filter.subject.trim() && { subject: filter.subject.trim().toUpperCase() }),
    ...(filter.decision && { decision: filter.decision }),
    ...(from && { from }),
    ...(to && { to }),
  };
}

function ChainStatusPanel({ session }: { session: Session }) {
  const { t } = useI18n();
  const chain = useGraph<{ auditChainStatus: ChainStatus }>(session, CHAIN, {});
  const status = chain.data?.auditChainStatus;
  return (
    <section aria-labelledby="chain-title" className={`panel ${status ? (status.verified ? 'ok' : 'bad') : ''}`} data-testid="chain-status">
      <h2 id="chain-title">{t('chain')}</h2>
      <GraphStatus loading={chain.loading && !status} error={chain.error} />
      {status && (
        <p>
          <strong>{status.verified ? `✔ ${t('chainVerified')}` : `✘ ${t('chainBroken')}`}</strong>
          {status.verified && ` · ${status.records} ${t('records')}`}
          {status.problem && ` · ${status.problem}`} · {t('lastCheckpoint')}:{' '}
          {status.lastCheckpointAt ? `#${status.lastCheckpointSeq} ${new Date(status.lastCheckpointAt).toLocaleString()}` : t('noCheckpoint')}
          {status.unsignedRecords > 0 && ` · ${status.unsignedRecords} ${t('unsignedRecords')}`}
        </p>
      )}
    </section>
  );
}

function RecordDetail({ record, onClose }: { record: AuditRecord; onClose(): void }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="record-title" className="panel detail" data-testid="record-detail">
      <h2 id="record-title" tabIndex={-1} ref={(heading) => heading?.focus()}>
        {t('recordDetail')} #{record.seq}
      </h2>
      <dl>
        <dt>{t('time')}</dt>
        <dd>{new Date(record.time).toLocaleString()}</dd>
        <dt>{t('app')}</dt>
        <dd>{record.app ?? '—'}</dd>
        <dt>{t('purpose')}</dt>
        <dd>{record.purpose ?? '—'}</dd>
        <dt>{t('decision')}</dt>
        <dd>
          {record.decision} ({record.outcome})
        </dd>
        <dt>{t('rule')}</dt>
        <dd>{record.rule}</dd>
        <dt>{t('errorCodes')}</dt>
        <dd>{record.errorCodes.join(', ') || '—'}</dd>
        <dt>{t('fieldsRead')}</dt>
        <dd>
          <ul className="fields">
            {record.fields.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        </dd>
        <dt>{t('subjects')}</dt>
        <dd className="small">{record.subjects.join(', ') || '—'}</dd>
        <dt>{t('operation')}</dt>
        <dd className="small">
          {record.operationName ?? '—'} <code>{record.operationHash ?? ''}</code>
        </dd>
        <dt>Request ID</dt>
        <dd className="small">{record.requestId}</dd>
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

export function AuditTrailPage({ session }: { session: Session }) {
  const { t } = useI18n();
  const [form, setForm] = useState<Filter>(EMPTY);
  const [search, setSearch] = useState<Record<string, string>>({});
  const [selected, setSelected] = useState<AuditRecord>();
  const result = useGraph<{ auditRecords: { totalCount: number; nodes: AuditRecord[] } }>(session, RECORDS, search);
  const records = result.data?.auditRecords.nodes ?? [];
  const input = (key: keyof Filter) => ({
    name: key,
    value: form[key],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => setForm({ ...form, [key]: event.target.value }),
  });
  return (
    <section aria-labelledby="trail-title">
      <h1 id="trail-title">{t('trail')}</h1>
      <ChainStatusPanel session={session} />
      <form
        className="filters"
        aria-label={t('filter')}
        onSubmit={(event) => {
          event.preventDefault();
          setSelected(undefined);
          setSearch(variablesOf(form));
        }}
      >
        <label>
          {t('app')}
          <input {...input('app')} />
        </label>
        <label>
          {t('purpose')}
          <input {...input('purpose')} />
        </label>
        <label>
          {t('subject')}
          <input {...input('subject')} aria-describedby="subject-hint" autoComplete="off" />
          <span id="subject-hint" className="muted small">
            {t('subjectHint')}
          </span>
        </label>
        <ChoiceFilter label="decision" name="decision" value={form.decision} choices={DECISIONS.map((d) => ({ value: d, text: d }))} onChange={(decision) => setForm({ ...form, decision })} />
        <label>
          {t('from')}
          <input type="datetime-local" {...input('from')} />
        </label>
        <label>
          {t('to')}
          <input type="datetime-local" {...input('to')} />
        </label>
        <button type="submit">{t('search')}</button>
        <ExportButtons name="audit-records" rows={records.map((r) => ({ ...r }))} />
      </form>
      <GraphStatus loading={result.loading} error={result.error} />
      <p aria-live="polite" data-testid="trail-count">
        {result.data ? `${result.data.auditRecords.totalCount} ${t('records')}` : ''}
      </p>
      {selected && <RecordDetail record={selected} onClose={() => setSelected(undefined)} />}
      <div className="table-scroll">
        <table className="data">
          <caption className="visually-hidden">{t('trail')}</caption>
          <ColumnHeads columns={[{ text: '#' }, 'time', 'app', 'purpose', 'decision', 'fieldsRead', { text: t('showDetail'), hidden: true }]} />
          <tbody>
            {records.map((r) => (
              <tr key={r.seq} className={r.decision === 'PERMIT' ? undefined : 'denied'}>
                <th scope="row">{r.seq}</th>
                <td>{new Date(r.time).toLocaleString()}</td>
                <td>{r.app ?? '—'}</td>
                <td>{r.purpose ?? '—'}</td>
                <td>{r.decision}</td>
                <td className="small">{r.fields.length}</td>
                <td>
                  <button type="button" onClick={() => setSelected(r)} aria-label={`${t('showDetail')} #${r.seq}`}>
                    {t('showDetail')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
