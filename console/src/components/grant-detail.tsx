/** Every grant one app holds on one field: purpose, legal basis, conditions, mask, validity, and a mask it defeats. */
import { useI18n } from '../i18n';
import { STATE_LABELS, grantState } from './grant-state';
import type { MatrixGrant } from './matrix-grid';

export function GrantDetail({ grants, today, onClose }: { grants: readonly MatrixGrant[]; today: string; onClose(): void }) {
  const { t, label, code } = useI18n();
  const first = grants[0];
  if (!first) return null;
  return (
    <section className="panel detail" aria-labelledby="grant-detail-title" data-testid="grant-detail">
      <h2 id="grant-detail-title">
        {t('grantDetail')}: {first.app} · <code>{first.field}</code>
      </h2>
      <p className="small">{[first.appName, first.description].filter(Boolean).join(' · ')}</p>
      {grants.map((g) => (
        <dl key={g.purpose}>
          <dt>{t('purpose')}</dt>
          <dd>
            <code>{g.purpose}</code> {g.purposeDescription}
          </dd>
          <dt>{t('sharingClass')}</dt>
          <dd>
            {label(g.sharingClass)} · {t('sensitivity')}: {code('sensitivity', g.sensitivity)}
          </dd>
          <dt>{t('legalBasis')}</dt>
          <dd>{g.legalBasis}</dd>
          <dt>{t('condition')}</dt>
          <dd>{g.conditions.length === 0 ? '—' : g.conditions.map((c) => (c === 'REGION' ? `${code('condition', c)} (${g.region})` : code('condition', c))).join('；')}</dd>
          <dt>{t('mask')}</dt>
          <dd>
            {g.maskProfile ? code('mask', g.maskProfile) : t('raw')}
            {g.unmasks.length > 0 && (
              <strong className="badge unmask" title={t('unmasksExplained')}>
                ⚑ {t('unmasksFlag')}: {g.unmasks.map((m) => code('mask', m)).join('；')}
              </strong>
            )}
          </dd>
          <dt>{t('validity')}</dt>
          <dd>
            {g.validFrom} – {g.validUntil} · {t(STATE_LABELS[grantState(g.validFrom, g.validUntil, today)])}
          </dd>
        </dl>
      ))}
      <button type="button" onClick={onClose}>
        {t('close')}
      </button>
    </section>
  );
}
