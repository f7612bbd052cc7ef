/**
 * 审计记录: the whole trail, a page at a time by cursor, filtered by choices taken from the contracts and
 * the trail; a record's detail opens under its row; the whole filtered set exports page by page; the
 * chain's verification status. Times are Beijing time.
 */
import { Fragment, useCallback, useEffect, useState } from 'react';
import { ColumnHeads } from '../components/column-heads';
import type { ExportPage } from '../components/export-pages';
import { GraphStatus } from '../components/graph-status';
import { PagedExport } from '../components/paged-export';
import { formatTime, isoInShanghai } from '../components/time-range';
import { useGraph } from '../components/use-graph';
import { queryGraph } from '../graph-client';
import { useI18n } from '../i18n';
import type { Session } from '../session/session';
import { AUDIT_RECORD_FIELDS, RecordDetail, type AuditRecord } from './audit-record-detail';
import { EMPTY_FILTER, TrailFilters, variablesOf, type TrailChoices, type TrailFilter } from './audit-trail-filters';

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

interface RecordPage {
  auditRecords: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: AuditRecord[] };
}

const PAGE_SIZE = 50;
/** The most the audit service serves in one page (the department kit's limit). */
const EXPORT_PAGE_SIZE = 100;
const RECORDS = `query AuditRecords($app: String, $purpose: String, $subject: String, $decision: AuditDecision, $errorCode: String, $hideOwnClient: String, $from: DateTime, $to: DateTime, $first: Int, $after: String) {
  auditRecords(app: $app, purpose: $purpose, subject: $subject, decision: $decision, errorCode: $errorCode, hideOwnClient: $hideOwnClient, from: $from, to: $to, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes { ${AUDIT_RECORD_FIELDS} }
  }
}`;
const CHOICES = `query AuditTrailChoices { auditTrailChoices { apps { app name purposes } errorCodes } }`;
const CHAIN = `query AuditChainStatus { auditChainStatus { verified records checkpoints lastCheckpointSeq lastCheckpointAt unsignedRecords problem checkedAt } }`;

const EXPORT_COLUMNS = [
  'seq', 'time', 'requestId', 'app', 'operator', 'region', 'purpose', 'caseId', 'decision', 'outcome', 'rule', 'errorCodes', 'latencyMs',
  'fields', 'released', 'masked', 'refused', 'subjects', 'operationName', 'operationHash', 'client', 'parentRequestId', 'hash',
] as const;

/** A record as an export row: times in Beijing time with their offset, lists as lists. */
function exportRow(r: AuditRecord) {
  return {
    ...r,
    time: isoInShanghai(r.time),
    released: r.released,
    masked: r.masked?.map((m) => `${m.field}:${m.mask}`) ?? null,
    refused: r.refused?.map((x) => `${x.field}:${x.code}:${x.reason}`) ?? null,
  };
}

function ChainStatusPanel({ session }: { session: Session }) {
  const { t, language } = useI18n();
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
          {status.lastCheckpointAt ? `#${status.lastCheckpointSeq} ${formatTime(status.lastCheckpointAt, language)}` : t('noCheckpoint')}
          {status.unsignedRecords > 0 && ` · ${status.unsignedRecords} ${t('unsignedRecords')}`}
        </p>
      )}
    </section>
  );
}

export function AuditTrailPage({ session }: { session: Session }) {
  const { t, language } = useI18n();
  const [form, setForm] = useState<TrailFilter>(EMPTY_FILTER);
  const [search, setSearch] = useState<Record<string, string>>(() => variablesOf(EMPTY_FILTER));
  // The cursors of the pages before the current one: going back pops one.
  const [cursors, setCursors] = useState<Array<string | undefined>>([]);
  const [after, setAfter] = useState<string>();
  const [selected, setSelected] = useState<number>();
  const choices = useGraph<{ auditTrailChoices: TrailChoices }>(session, CHOICES, {});
  const result = useGraph<RecordPage>(session, RECORDS, { ...search, first: PAGE_SIZE, ...(after && { after }) });
  const connection = result.data?.auditRecords;
  const records = connection?.nodes ?? [];
  // The range names the records on screen: it moves when the page asked for has arrived, not when asked.
  const [firstShown, setFirstShown] = useState(1);
  const pagesBefore = cursors.length;
  useEffect(() => setFirstShown(pagesBefore * PAGE_SIZE + 1), [result.data]);
  const go = (next: string | undefined, back: Array<string | undefined>) => {
    setSelected(undefined);
    setCursors(back);
    setAfter(next);
  };
  const { token, purpose } = session;
  const readExportPage = useCallback(
    async (cursor: string | undefined): Promise<ExportPage> => {
      const page = await queryGraph<RecordPage>({ token, purpose }, RECORDS, { ...search, first: EXPORT_PAGE_SIZE, ...(cursor && { after: cursor }) });
      const { nodes, totalCount, pageInfo } = page.auditRecords;
      return { rows: nodes.map(exportRow), totalCount, ...pageInfo };
    },
    [token, purpose, search],
  );
  return (
    <section aria-labelledby="trail-title">
      <h1 id="trail-title">{t('trail')}</h1>
      <ChainStatusPanel session={session} />
      <TrailFilters
        filter={form}
        choices={choices.data?.auditTrailChoices}
        onChange={setForm}
        onSubmit={() => {
          go(undefined, []);
          setSearch(variablesOf(form));
        }}
      />
      <GraphStatus loading={choices.loading && !choices.data} error={choices.error} />
      <p className="muted small">{t('beijingTimeNote')}</p>
      <div className="trail-bar">
        <p aria-live="polite" aria-busy={result.loading} data-testid="trail-count">
          {connection ? `${connection.totalCount} ${t('records')}` : ''}
        </p>
        <PagedExport name="audit-records" columns={EXPORT_COLUMNS} readPage={readExportPage} disabled={!connection || connection.totalCount === 0} />
      </div>
      <GraphStatus loading={result.loading} error={result.error} />
      <div className="table-scroll">
        <table className="data">
          <caption className="visually-hidden">{t('trail')}</caption>
          <ColumnHeads columns={[{ text: '#' }, 'time', 'app', 'purpose', 'decision', 'errorCodes', 'fieldsAskedCount', { text: t('showDetail'), hidden: true }]} />
          <tbody>
            {records.map((r) => (
              <Fragment key={r.seq}>
                <tr className={r.decision === 'PERMIT' ? undefined : 'denied'} data-seq={r.seq}>
                  <th scope="row">{r.seq}</th>
                  <td>
                    <time dateTime={r.time}>{formatTime(r.time, language)}</time>
                  </td>
                  <td>{r.app ?? '—'}</td>
                  <td>{r.purpose ?? '—'}</td>
                  <td>{r.decision}</td>
                  <td className="small">{r.errorCodes.join(', ')}</td>
                  <td className="small">{r.fields.length}</td>
                  <td>
                    <button type="button" aria-expanded={selected === r.seq} onClick={() => setSelected(selected === r.seq ? undefined : r.seq)} aria-label={`${t('showDetail')} #${r.seq}`}>
                      {t('showDetail')}
                    </button>
                  </td>
                </tr>
                {selected === r.seq && (
                  <tr className="detail-row">
                    <td colSpan={8}>
                      <RecordDetail record={r} onClose={() => setSelected(undefined)} />
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {connection && connection.totalCount > 0 && (
        <nav className="pager" aria-label={t('pager')}>
          <button type="button" disabled={cursors.length === 0 || result.loading} onClick={() => go(cursors.at(-1), cursors.slice(0, -1))}>
            {t('previousPage')}
          </button>
          <span data-testid="trail-range" aria-busy={result.loading}>
            {firstShown}–{firstShown + records.length - 1} / {connection.totalCount}
          </span>
          <button type="button" disabled={!connection.pageInfo.hasNextPage || result.loading} onClick={() => go(connection.pageInfo.endCursor ?? undefined, [...cursors, after])}>
            {t('nextPage')}
          </button>
        </nav>
      )}
    </section>
  );
}
