/**
 * 访问矩阵: every grant of the contracts the platform holds, as an app × field grid grouped by department.
 * Searched by field coordinate ("who can read Person.idNumber"), sensitivity, sharing class and validity;
 * expired and not-yet-valid grants say so, and grants that release raw what others read masked are flagged.
 */
import { useState } from 'react';
import { ChoiceFilter } from '../components/choice-filter';
import { ExportButtons } from '../components/export-buttons';
import { GrantDetail } from '../components/grant-detail';
import { STATE_LABELS, chinaToday, grantState, type GrantState } from '../components/grant-state';
import { GraphStatus } from '../components/graph-status';
import { MatrixGrid, type MatrixGrant } from '../components/matrix-grid';
import { useGraph } from '../components/use-graph';
import { useI18n } from '../i18n';
import type { Session } from '../session/session';

const MATRIX = `{
  accessMatrix {
    app appName purpose purposeDescription field description departments sharingClass sensitivity legalBasis
    conditions region maskProfile unmasks validFrom validUntil
  }
}`;

const SHARING_CLASSES = ['UNCONDITIONAL', 'CONDITIONAL', 'NONE'];
const SENSITIVITIES = ['PUBLIC', 'INTERNAL', 'PERSONAL', 'SENSITIVE'];
const STATES: GrantState[] = ['expired', 'expiring', 'notYet', 'inForce'];

interface Filter {
  app: string;
  department: string;
  sharingClass: string;
  sensitivity: string;
  state: string;
  field: string;
  onlyUnmasking: boolean;
}

function matches(grant: MatrixGrant, filter: Filter, today: string): boolean {
  const field = filter.field.trim().toLowerCase();
  return (
    (!filter.app || grant.app === filter.app) &&
    (!filter.department || grant.departments.includes(filter.department)) &&
    (!filter.sharingClass || grant.sharingClass === filter.sharingClass) &&
    (!filter.sensitivity || grant.sensitivity === filter.sensitivity) &&
    (!filter.state || grantState(grant.validFrom, grant.validUntil, today) === filter.state) &&
    (!field || grant.field.toLowerCase().includes(field)) &&
    (!filter.onlyUnmasking || grant.unmasks.length > 0)
  );
}

/** "Who can read Person.idNumber": when the search names one field, the apps that hold it and how. */
function Answer({ grants, today }: { grants: readonly MatrixGrant[]; today: string }) {
  const { t, code } = useI18n();
  const fields = new Set(grants.map((g) => g.field));
  if (fields.size !== 1) return null;
  const apps = [...new Set(grants.map((g) => g.app))].sort();
  return (
    <p className="answer" data-testid="matrix-answer">
      <code>{[...fields][0]}</code> — {t('readableBy')} ({apps.length}):{' '}
      {apps
        .map((app) => {
          const held = grants.filter((g) => g.app === app);
          const masks = [...new Set(held.map((g) => (g.maskProfile ? code('mask', g.maskProfile) : t('raw'))))];
          const expired = held.every((g) => grantState(g.validFrom, g.validUntil, today) === 'expired');
          return `${app} (${masks.join('／')}${expired ? ` · ${t('expiredGrant')}` : ''})`;
        })
        .join('，')}
    </p>
  );
}

export function AccessMatrixPage({ session }: { session: Session }) {
  const { t, label, code } = useI18n();
  const [filter, setFilter] = useState<Filter>({ app: '', department: '', sharingClass: '', sensitivity: '', state: '', field: '', onlyUnmasking: false });
  const [selected, setSelected] = useState<{ app: string; field: string }>();
  const matrix = useGraph<{ accessMatrix: MatrixGrant[] }>(session, MATRIX, {});
  const today = chinaToday();
  const all = matrix.data?.accessMatrix ?? [];
  const apps = [...new Set(all.map((g) => g.app))].sort();
  const departments = [...new Set(all.flatMap((g) => g.departments))].sort();
  const grants = all.filter((g) => matches(g, filter, today));
  const choose = (key: keyof Filter) => (value: string) => setFilter({ ...filter, [key]: value });
  const detail = selected && all.filter((g) => g.app === selected.app && g.field === selected.field);
  return (
    <section aria-labelledby="matrix-title">
      <h1 id="matrix-title">{t('matrix')}</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()} aria-label={t('filter')}>
        <label>
          {t('fieldSearch')}
          <input name="field" type="search" value={filter.field} placeholder="Person.idNumber" aria-describedby="field-search-hint" onChange={(e) => choose('field')(e.target.value)} />
          <span id="field-search-hint" className="muted small">
            {t('fieldSearchHint')}
          </span>
        </label>
        <ChoiceFilter label="app" name="app" value={filter.app} choices={apps.map((app) => ({ value: app, text: app }))} onChange={choose('app')} />
        <ChoiceFilter label="department" name="department" value={filter.department} choices={departments.map((d) => ({ value: d, text: d }))} onChange={choose('department')} />
        <ChoiceFilter label="sharingClass" name="sharingClass" value={filter.sharingClass} choices={SHARING_CLASSES.map((c) => ({ value: c, text: label(c) }))} onChange={choose('sharingClass')} />
        <ChoiceFilter label="sensitivity" name="sensitivity" value={filter.sensitivity} choices={SENSITIVITIES.map((s) => ({ value: s, text: code('sensitivity', s) }))} onChange={choose('sensitivity')} />
        <ChoiceFilter label="grantState" name="state" value={filter.state} choices={STATES.map((s) => ({ value: s, text: t(STATE_LABELS[s]) }))} onChange={choose('state')} />
        <label className="checkbox">
          <input type="checkbox" name="onlyUnmasking" checked={filter.onlyUnmasking} onChange={(e) => setFilter({ ...filter, onlyUnmasking: e.target.checked })} />
          {t('onlyUnmasking')}
        </label>
        <ExportButtons name="access-matrix" rows={grants.map((g) => ({ ...g, state: grantState(g.validFrom, g.validUntil, today) }))} />
      </form>
      <GraphStatus loading={matrix.loading && !matrix.data} error={matrix.error} />
      <p aria-live="polite" className="muted" data-testid="matrix-count">
        {grants.length} {t('grants')} · {new Set(grants.map((g) => g.field)).size} {t('fields')}
      </p>
      <Answer grants={grants} today={today} />
      {detail && detail.length > 0 && <GrantDetail grants={detail} today={today} onClose={() => setSelected(undefined)} />}
      <MatrixGrid grants={grants} apps={filter.app ? [filter.app] : apps} today={today} onSelect={(app, field) => setSelected({ app, field })} />
    </section>
  );
}
