/**
 * 合同历史: the contract revisions the platform has enforced — for each, the contracts it added, changed or
 * removed, who approved them and when, and how their validity moved — and the grants added, widened or
 * removed between any two revisions.
 */
import { useEffect, useState } from 'react';
import { ExportButtons } from '../components/export-buttons';
import { ColumnHeads } from '../components/column-heads';
import { GraphStatus } from '../components/graph-status';
import { useGraph } from '../components/use-graph';
import { useI18n } from '../i18n';
import type { Session } from '../session/session';

interface RevisedContract {
  app: string;
  change: string;
  approvedBy: string | null;
  approvedOn: string | null;
  validFrom: string | null;
  validUntil: string | null;
  previousValidFrom: string | null;
  previousValidUntil: string | null;
}

interface Revision {
  id: number;
  hash: string;
  recordedAt: string;
  contracts: RevisedContract[];
}

interface Change {
  kind: 'ADDED' | 'WIDENED' | 'REMOVED';
  app: string;
  purpose: string;
  field: string;
  reason: string;
  before: string | null;
  after: string | null;
}

const REVISIONS = `{
  contractRevisions(first: 100) {
    id hash recordedAt
    contracts { app change approvedBy approvedOn validFrom validUntil previousValidFrom previousValidUntil }
  }
}`;

/** A grant's change in words: the reason's label, and the values before and after (masks by their labels). */
function useChangeText(): (change: Change) => string {
  const { t, code } = useI18n();
  return ({ reason, before, after }) => {
    const label = code('change', reason);
    const mask = (value: string | null) => (value ? code('mask', value) : '—');
    if (reason === 'MASK_CHANGED') return `${label}: ${mask(before)} → ${mask(after)}`;
    if (reason === 'MASK_REMOVED') return `${label}: ${mask(before)}`;
    if (reason === 'ADDED_MASKED') return `${label}: ${mask(after)}`;
    if (reason === 'REGION_WIDENED') return `${label}: ${before} → ${after ?? t('anyRegion')}`;
    if (reason === 'VALIDITY_EXTENDED') return `${label}: ${before} → ${after}`;
    return label;
  };
}

const period = (from: string | null, until: string | null) => (from && until ? `${from} – ${until}` : '—');

/** One contract of a revision: what happened to it, who approved it and when, and its validity (before → after when it moved). */
function RevisedContractLine({ contract: c }: { contract: RevisedContract }) {
  const { t, code } = useI18n();
  const moved = c.change === 'CHANGED' && (c.validFrom !== c.previousValidFrom || c.validUntil !== c.previousValidUntil);
  return (
    <li data-app={c.app}>
      <strong>{c.app}</strong> · {code('revision', c.change)}
      {c.approvedBy && (
        <>
          {' '}
          · {t('approvedBy')}: {c.approvedBy} · {t('approvedOn')}: {c.approvedOn}
        </>
      )}{' '}
      · {t('validity')}: {c.change === 'REMOVED' ? period(c.previousValidFrom, c.previousValidUntil) : moved ? `${period(c.previousValidFrom, c.previousValidUntil)} → ${period(c.validFrom, c.validUntil)}` : period(c.validFrom, c.validUntil)}
      {moved && <strong className="badge">{t('validityChanged')}</strong>}
    </li>
  );
}
const CHANGES = `query ContractChanges($from: Int!, $to: Int!) { contractChanges(from: $from, to: $to) { kind app purpose field reason before after } }`;

export function ContractHistoryPage({ session }: { session: Session }) {
  const { t, label, dateTime } = useI18n();
  const changeText = useChangeText();
  const revisions = useGraph<{ contractRevisions: Revision[] }>(session, REVISIONS, {});
  const list = revisions.data?.contractRevisions ?? [];
  const [pair, setPair] = useState<{ from: number; to: number }>();
  const [chosen, setChosen] = useState<{ from: number; to: number }>();
  useEffect(() => {
    if (pair || list.length === 0) return;
    const newest = list[0]!.id;
    const initial = { from: list[1]?.id ?? newest, to: newest };
    setPair(initial);
    setChosen(initial);
  }, [list, pair]);
  const changes = useGraph<{ contractChanges: Change[] }>(session, CHANGES, chosen);
  const rows = changes.data?.contractChanges ?? [];
  const revisionSelect = (which: 'from' | 'to') => (
    <label>
      {t(which === 'from' ? 'fromRevision' : 'toRevision')}
      <select value={pair?.[which] ?? ''} onChange={(e) => pair && setPair({ ...pair, [which]: Number(e.target.value) })}>
        {list.map((r) => (
          <option key={r.id} value={r.id}>
            #{r.id} · {dateTime(r.recordedAt)} · {r.hash.slice(0, 8)}
          </option>
        ))}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">{t('history')}</h1>
      <GraphStatus loading={revisions.loading && !revisions.data} error={revisions.error} />
      <h2>{t('revisions')}</h2>
      <div className="table-scroll">
        <table className="data" data-testid="revisions">
          <ColumnHeads columns={[{ text: '#' }, 'recordedAt', { text: 'SHA-256' }, 'revisionContracts']} />
          <tbody>
            {list.map((r) => (
              <tr key={r.id} data-revision={r.id}>
                <th scope="row">{r.id}</th>
                <td>{dateTime(r.recordedAt)}</td>
                <td>
                  <code>{r.hash.slice(0, 16)}…</code>
                </td>
                <td className="small">
                  <ul className="fields">
                    {r.contracts.map((c) => (
                      <RevisedContractLine key={c.app} contract={c} />
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form
        className="filters"
        onSubmit={(e) => {
          e.preventDefault();
          setChosen(pair);
        }}
      >
        {revisionSelect('from')}
        {revisionSelect('to')}
        <button type="submit">{t('compare')}</button>
        <ExportButtons name="contract-changes" rows={rows.map((r) => ({ ...r }))} />
      </form>
      <GraphStatus loading={changes.loading && !changes.data} error={changes.error} />
      {changes.data && rows.length === 0 && <p>{t('noChanges')}</p>}
      {rows.length > 0 && (
        <table className="data">
          <ColumnHeads columns={['change', 'app', 'purpose', 'field', 'detail']} />
          <tbody>
            {rows.map((c) => (
              <tr key={`${c.kind}/${c.app}/${c.purpose}/${c.field}/${c.reason}`} className={`change-${c.kind.toLowerCase()}`}>
                <th scope="row">{label(c.kind)}</th>
                <td>{c.app}</td>
                <td>{c.purpose}</td>
                <td>
                  <code>{c.field}</code>
                </td>
                <td>{changeText(c)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
