/** 访问矩阵: every grant of the contracts in force, filtered by app, department and sharing class; grants expiring within 30 days stand out. */
import { useState } from 'react';
import { ExportButtons } from '../components/export-buttons';
import { ChoiceFilter } from '../components/choice-filter';
import { ColumnHeads } from '../components/column-heads';
import { GraphStatus } from '../components/graph-status';
import { useGraph } from '../components/use-graph';
import { useI18n } from '../i18n';
import type { Session } from '../session/session';

interface MatrixRow {
  app: string;
  appName: string;
  purpose: string;
  field: string;
  departments: string[];
  sharingClass: string;
  sensitivity: string;
  legalBasis: string;
  condition: string;
  mask: string;
  validUntil: string;
}

const MATRIX = `query AccessMatrix($app: String, $department: String, $sharingClass: String) {
  accessMatrix(app: $app, department: $department, sharingClass: $sharingClass) {
    app appName purpose field departments sharingClass sensitivity legalBasis condition mask validUntil
  }
}`;

const CHOICES = `{ accessMatrix { app departments } }`;

const EXPIRY_WINDOW_DAYS = 30;
const SHARING_CLASSES = ['UNCONDITIONAL', 'CONDITIONAL', 'NONE'];

export function expiresSoon(validUntil: string, now = new Date()): boolean {
  const end = new Date(`${validUntil}T23:59:59Z`);
  return end.getTime() - now.getTime() <= EXPIRY_WINDOW_DAYS * 86_400_000;
}

export function AccessMatrixPage({ session }: { session: Session }) {
  const { t, label } = useI18n();
  const [filter, setFilter] = useState({ app: '', department: '', sharingClass: '' });
  const everything = useGraph<{ accessMatrix: Array<Pick<MatrixRow, 'app' | 'departments'>> }>(session, CHOICES, {});
  const filtered = useGraph<{ accessMatrix: MatrixRow[] }>(session, MATRIX, {
    ...(filter.app && { app: filter.app }),
    ...(filter.department && { department: filter.department }),
    ...(filter.sharingClass && { sharingClass: filter.sharingClass }),
  });
  const all = everything.data?.accessMatrix ?? [];
  const apps = [...new Set(all.map((r) => r.app))].sort();
  const departments = [...new Set(all.flatMap((r) => r.departments))].sort();
  const rows = filtered.data?.accessMatrix ?? [];
  const choose = (key: keyof typeof filter) => (value: string) => setFilter({ ...filter, [key]: value });
  return (
    <section aria-labelledby="matrix-title">
      <h1 id="matrix-title">{t('matrix')}</h1>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label={t('filter')}>
        <ChoiceFilter label="app" name="app" value={filter.app} choices={apps.map((app) => ({ value: app, text: app }))} onChange={choose('app')} />
        <ChoiceFilter label="department" name="department" value={filter.department} choices={departments.map((d) => ({ value: d, text: d }))} onChange={choose('department')} />
        <ChoiceFilter label="sharingClass" name="sharingClass" value={filter.sharingClass} choices={SHARING_CLASSES.map((c) => ({ value: c, text: label(c) }))} onChange={choose('sharingClass')} />
        <ExportButtons name="access-matrix" rows={rows.map((r) => ({ ...r }))} />
      </form>
      <GraphStatus loading={filtered.loading && !filtered.data} error={filtered.error} />
      <p aria-live="polite" className="muted" data-testid="matrix-count">
        {rows.length} {t('rows')}
      </p>
      <div className="table-scroll">
        <table className="data">
          <caption className="visually-hidden">{t('matrix')}</caption>
          <ColumnHeads columns={['app', 'purpose', 'field', 'department', 'sharingClass', 'sensitivity', 'legalBasis', 'condition', 'mask', 'validUntil']} />
          <tbody>
            {rows.map((row) => {
              const soon = expiresSoon(row.validUntil);
              return (
                <tr key={`${row.app}/${row.purpose}/${row.field}`} className={soon ? 'expiring' : undefined}>
                  <th scope="row">
                    {row.app}
                    <div className="muted small">{row.appName}</div>
                  </th>
                  <td>{row.purpose}</td>
                  <td>
                    <code>{row.field}</code>
                  </td>
                  <td>{row.departments.join(', ')}</td>
                  <td>{label(row.sharingClass)}</td>
                  <td>{row.sensitivity}</td>
                  <td className="small">{row.legalBasis}</td>
                  <td className="small">{row.condition}</td>
                  <td>{row.mask}</td>
                  <td>
                    {row.validUntil}
                    {soon && <strong className="badge">{t('expiringSoon')}</strong>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
