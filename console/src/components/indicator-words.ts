/** How an indicator reads in the current language: its name, and an amount in its unit (45 件, 100%, 77.3 小时). */
import { useI18n } from '../i18n';

export interface IndicatorTerms {
  code: string;
  name: string;
  unit: string;
}

export function useIndicatorWords() {
  const { code } = useI18n();
  return {
    /** The console's own label for the code where it has one, else the graph's name. */
    name: (indicator: IndicatorTerms) => {
      const named = code('indicator', indicator.code);
      return named !== indicator.code ? named : indicator.name;
    },
    amount: (value: number, unit: string) => (unit === '%' ? `${value}%` : `${value} ${code('unit', unit)}`),
  };
}
