import { isPastDate } from '../identifiers/id-number';
import { identifierScalar } from './identifier-scalar';

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
  description: 'A calendar date, YYYY-MM-DD (ISO 8601).',
  label: 'date',
  problem: dateProblem,
});

function dateTimeProblem(value: string): string | null {
  const ok = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
  return ok ? null : 'must be an ISO 8601 date-time with an offset';
}

export const DateTime = identifierScalar({
  name: 'DateTime',
  description: 'A moment in time, ISO 8601 with an offset, e.g. 2026-06-30T09:30:00+08:00.',
  label: 'date-time',
  problem: dateTimeProblem,
});
