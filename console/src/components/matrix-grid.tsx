/**
 * The access matrix as auditors read it: one column per app, one row per field, fields grouped by the
 * department that resolves them; the column and row headers stay in view while the grid scrolls.
 */
import { useI18n } from '../i18n';
import { STATE_LABELS, grantState, type GrantState } from './grant-state';

export interface MatrixGrant {
  app: string;
  appName: string;
  purpose: string;
  purposeDescription: string;
  field: string;
  description: string;
  departments: string[];
  sharingClass: string;
  sensitivity: string;
  legalBasis: string;
  conditions: string[];
  region: string | null;
  maskProfile: string | null;
  unmasks: string[];
  validFrom: string;
  validUntil: string;
}

interface FieldRow {
  field: string;
  sensitivity: string;
  byApp: Map<string, MatrixGrant[]>;
}

/** Fields grouped by their departments (as the graph names them), each group and field in order. */
function groupFields(grants: readonly MatrixGrant[]): Array<[string, FieldRow[]]> {
  const groups = new Map<string, Map<string, FieldRow>>();
  for (const grant of grants) {
    const department = grant.departments.join(', ') || '—';
    const fields = groups.get(department) ?? groups.set(department, new Map()).get(department)!;
    const row = fields.get(grant.field) ?? fields.set(grant.field, { field: grant.field, sensitivity: grant.sensitivity, byApp: new Map() }).get(grant.field)!;
    row.byApp.set(grant.app, [...(row.byApp.get(grant.app) ?? []), grant]);
  }
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([department, fields]) => [department, [...fields.values()].sort((a, b) => a.field.localeCompare(b.field))]);
}

/** The state a cell shows: the most pressing of its grants' (an expired grant beside one in force is in force). */
function cellState(grants: readonly MatrixGrant[], today: string): GrantState {
  const states = grants.map((g) => grantState(g.validFrom, g.validUntil, today));
  return (['inForce', 'expiring', 'notYet', 'expired'] as const).find((s) => states.includes(s))!;
}

function Cell({ grants, today, onSelect }: { grants: readonly MatrixGrant[]; today: string; onSelect(): void }) {
  const { t, code } = useI18n();
  const state = cellState(grants, today);
  const unmasks = grants.some((g) => g.unmasks.length > 0);
  const masks = [...new Set(grants.flatMap((g) => (g.maskProfile ? [g.maskProfile] : [])))];
  const classes = [state === 'expired' ? 'expired' : state === 'expiring' ? 'expiring' : 'granted', unmasks ? 'unmasks' : ''].join(' ');
  return (
    <td className={classes} data-state={state}>
      <button type="button" onClick={onSelect}>
        {/* The cell's app and field, for a screen reader that lands on the button alone. */}
        <span className="visually-hidden">{`${grants[0]!.app} · ${grants[0]!.field}: `}</span>
        {grants.map((g) => g.purpose).join(', ')}
        {masks.map((m) => (
          <span key={m} className="badge mask" title={code('mask', m)}>
            {t('mask')} {m}
          </span>
        ))}
        {state !== 'inForce' && <span className={`badge ${state === 'expired' ? 'expired' : state === 'notYet' ? 'not-yet' : ''}`}>{t(STATE_LABELS[state])}</span>}
        {unmasks && (
          <span className="badge unmask" title={t('unmasksExplained')}>
            ⚑ {t('unmasksFlag')}
          </span>
        )}
      </button>
    </td>
  );
}

export function MatrixGrid({ grants, apps, today, onSelect }: { grants: readonly MatrixGrant[]; apps: readonly string[]; today: string; onSelect(app: string, field: string): void }) {
  const { t, code } = useI18n();
  const groups = groupFields(grants);
  return (
    <div className="matrix-scroll" tabIndex={0} role="region" aria-label={t('matrix')}>
      <table className="grid" data-testid="matrix-grid">
        <caption className="visually-hidden">{t('matrix')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('field')}</th>
            {apps.map((app) => (
              <th scope="col" key={app}>
                {app}
              </th>
            ))}
          </tr>
        </thead>
        {groups.map(([department, fields]) => (
          <tbody key={department} data-department={department}>
            <tr>
              <th scope="rowgroup" colSpan={apps.length + 1}>
                {t('department')}: {department}
              </th>
            </tr>
            {fields.map((row) => (
              <tr key={row.field} data-field={row.field}>
                <th scope="row">
                  <code>{row.field}</code>
                  <div className="muted small">{code('sensitivity', row.sensitivity)}</div>
                </th>
                {apps.map((app) => {
                  const held = row.byApp.get(app);
                  return held ? <Cell key={app} grants={held} today={today} onSelect={() => onSelect(app, row.field)} /> : <td key={app} aria-label={t('noGrant')} />;
                })}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}
