/** The trail's filters: apps, purposes, decisions and error codes to choose from, a subject, a Beijing day or time range, and the console's own reads hidden. */
import { ChoiceFilter } from '../components/choice-filter';
import { dayRange, localInputToIso } from '../components/time-range';
import { CONSOLE_CLIENT } from '../graph-client';
import { useI18n } from '../i18n';

export interface TrailChoices {
  apps: Array<{ app: string; name: string; purposes: string[] }>;
  errorCodes: string[];
}

export type TrailFilter = Record<'app' | 'purpose' | 'subject' | 'decision' | 'errorCode' | 'day' | 'from' | 'to', string> & { hideOwnReads: boolean };
export const EMPTY_FILTER: TrailFilter = { app: '', purpose: '', subject: '', decision: '', errorCode: '', day: '', from: '', to: '', hideOwnReads: true };

const DECISIONS = ['PERMIT', 'PARTIAL', 'DENY', 'UNAUTHENTICATED', 'INVALID'];

/** The later of two instants, or whichever is given (ISO strings in UTC compare as text). */
const later = (a?: string, b?: string) => (a && b ? (a > b ? a : b) : (a ?? b));
const earlier = (a?: string, b?: string) => (a && b ? (a < b ? a : b) : (a ?? b));

/** The query's variables: a day and a range narrow each other; "to" includes the whole minute it names. */
export function variablesOf(filter: TrailFilter): Record<string, string> {
  const day = dayRange(filter.day);
  const toMinute = localInputToIso(filter.to);
  const from = later(day?.from, localInputToIso(filter.from));
  const to = earlier(day?.to, toMinute && new Date(new Date(toMinute).getTime() + 59_999).toISOString());
  return {
    ...(filter.app && { app: filter.app }),
    ...(filter.purpose && { purpose: filter.purpose }),
    ...(filter.subject.trim() && { subject: filter.subject.trim().toUpperCase() }),
    ...(filter.decision && { decision: filter.decision }),
    ...(filter.errorCode && { errorCode: filter.errorCode }),
    ...(from && { from }),
    ...(to && { to }),
    ...(filter.hideOwnReads && { hideOwnClient: CONSOLE_CLIENT }),
  };
}

export function TrailFilters({ filter, choices, onChange, onSubmit }: { filter: TrailFilter; choices: TrailChoices | undefined; onChange(filter: TrailFilter): void; onSubmit(): void }) {
  const { t } = useI18n();
  const set = (change: Partial<TrailFilter>) => onChange({ ...filter, ...change });
  const apps = choices?.apps ?? [];
  const chosenApp = apps.find((a) => a.app === filter.app);
  const purposes = [...new Set((chosenApp ? [chosenApp] : apps).flatMap((a) => a.purposes))].sort();
  const input = (key: 'subject' | 'day' | 'from' | 'to') => ({
    name: key,
    value: filter[key],
    onChange: (event: React.ChangeEvent<HTMLInputElement>) => set({ [key]: event.target.value }),
  });
  return (
    <form
      className="filters"
      aria-label={t('filter')}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <ChoiceFilter label="app" name="app" value={filter.app} choices={apps.map((a) => ({ value: a.app, text: `${a.app} · ${a.name}` }))} onChange={(app) => set({ app, purpose: apps.find((a) => a.app === app)?.purposes.includes(filter.purpose) === false ? '' : filter.purpose })} />
      <ChoiceFilter label="purpose" name="recordPurpose" value={filter.purpose} choices={purposes.map((p) => ({ value: p, text: p }))} onChange={(purpose) => set({ purpose })} />
      <label>
        {t('subject')}
        <input {...input('subject')} aria-describedby="subject-hint" autoComplete="off" />
        <span id="subject-hint" className="muted small">
          {t('subjectHint')}
        </span>
      </label>
      <ChoiceFilter label="decision" name="decision" value={filter.decision} choices={DECISIONS.map((d) => ({ value: d, text: d }))} onChange={(decision) => set({ decision })} />
      <ChoiceFilter label="errorCode" name="errorCode" value={filter.errorCode} choices={(choices?.errorCodes ?? []).map((c) => ({ value: c, text: c }))} onChange={(errorCode) => set({ errorCode })} />
      <label>
        {t('beijingDay')}
        <input type="date" {...input('day')} />
      </label>
      <label>
        {t('from')}
        <input type="datetime-local" {...input('from')} />
      </label>
      <label>
        {t('to')}
        <input type="datetime-local" {...input('to')} />
      </label>
      <label className="check">
        <input type="checkbox" name="hideOwnReads" checked={filter.hideOwnReads} onChange={(event) => set({ hideOwnReads: event.target.checked })} />
        {t('hideOwnReads')}
      </label>
      <button type="submit">{t('search')}</button>
    </form>
  );
}
