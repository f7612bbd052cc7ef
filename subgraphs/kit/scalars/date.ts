import { isPastDate } from '../identifiers/id-number';
import { identifierScalar } from './identifier-scalar';

const RFC_3339 = 'https://www.rfc-editor.org/rfc/rfc3339';

function dateProblem(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'must be written YYYY-MM-DD';
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || !isPastDate('18000101', date)) {
    return 'is not a calendar date';
  }
  return null;
}

export const DateScalar = identifierScalar({
  name: 'Date',
  description: 'A calendar date, an RFC 3339 full-date (YYYY-MM-DD) as a JSON string.',
  specifiedByURL: RFC_3339,
  label: 'date',
  problem: dateProblem,
});

function dateTimeProblem(value: string): string | null {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
  return ok ? null : 'must be an ISO 8601 date-time with an offset';
}

export const DateTime = identifierScalar({
  name: 'DateTime',
  description: 'A moment in time, an RFC 3339 date-time with an offset as a JSON string, e.g. 2026-06-30T09:30:00+08:00 (a value given may leave out the seconds).',
  specifiedByURL: RFC_3339,
  label: 'date-time',
  problem: dateTimeProblem,
});
