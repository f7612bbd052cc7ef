/** How an indicator reads in the current language: its name, and an amount in its unit (45 件, 100%, 77.3 小时). */
import { useI18n, type LabelKey } from '../i18n';

export interface IndicatorTerms {
  code: string;
  name: string;
  unit: string;
}

const UNITS: Record<string, LabelKey> = { events: 'wallUnitEvents', hours: 'wallUnitHours' };

export function useIndicatorWords() {
  const { t, label } = useI18n();
  return {
    /** The console's own label for the code where it has one, else the graph's name. */
    name: (indicator: IndicatorTerms) => (label(indicator.code) !== indicator.code ? label(indicator.code) : indicator.name),
    amount: (value: number, unit: string) => {
      const key = UNITS[unit];
      return key ? `${value} ${t(key)}` : `${value}${unit}`;
    },
  };
}
