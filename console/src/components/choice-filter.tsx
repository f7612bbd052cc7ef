import { useI18n, type LabelKey } from '../i18n';

/** A labelled select whose first choice, "all", sets no filter (the empty value). */
export function ChoiceFilter({ label, name, value, choices, onChange }: { label: LabelKey; name: string; value: string; choices: ReadonlyArray<{ value: string; text: string }>; onChange(value: string): void }) {
  const { t } = useI18n();
  return (
    <label>
      {t(label)}
      <select name={name} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">{t('all')}</option>
        {choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.text}
          </option>
        ))}
      </select>
    </label>
  );
}
