/**
 * 监督评价考核: how each department handled the dispatches it received in a period — on time, overdue, how
 * long it took, how the events were rated — ranked by the share it resolved on time.
 */
import { GraphQLError } from 'graphql';
import type { AssessedDispatch, CityOperationsStore } from './store';

export interface DepartmentAssessment {
  department: string;
  received: number;
  onTime: number;
  overdue: number;
  onTimeRate: number;
  meanHandlingHours: number | null;
  meanRating: number | null;
  rank: number;
}

const HOUR_MS = 3_600_000;

const mean = (values: readonly number[], places: number) =>
  values.length === 0 ? null : Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 10 ** places) / 10 ** places;

/** Resolved by its deadline; overdue when resolved after it or still unresolved once it has passed. */
function assessOne(department: string, dispatches: readonly AssessedDispatch[], now: number): Omit<DepartmentAssessment, 'rank'> {
  const resolved = dispatches.filter((d) => d.resolvedAt !== null);
  const onTime = resolved.filter((d) => Date.parse(d.resolvedAt!) <= Date.parse(d.deadline)).length;
  const overdue = dispatches.filter((d) => Date.parse(d.deadline) < (d.resolvedAt === null ? now : Date.parse(d.resolvedAt))).length;
  return {
    department,
    received: dispatches.length,
    onTime,
    overdue,
    onTimeRate: Math.round((onTime / dispatches.length) * 1000) / 10,
    meanHandlingHours: mean(resolved.map((d) => (Date.parse(d.resolvedAt!) - Date.parse(d.dispatchedAt)) / HOUR_MS), 1),
    meanRating: mean(dispatches.flatMap((d) => (d.rating === null ? [] : [d.rating])), 2),
  };
}

/** Best first: more resolved on time, then better rated, then quicker; ties by name. */
export function rankDepartments(dispatches: readonly AssessedDispatch[], now: number): DepartmentAssessment[] {
  const byDepartment = new Map<string, AssessedDispatch[]>();
  for (const d of dispatches) byDepartment.set(d.department, [...(byDepartment.get(d.department) ?? []), d]);
  const assessed = [...byDepartment].map(([department, rows]) => assessOne(department, rows, now));
  assessed.sort(
    (a, b) =>
      b.onTimeRate - a.onTimeRate ||
      (b.meanRating ?? 0) - (a.meanRating ?? 0) ||
      (a.meanHandlingHours ?? Infinity) - (b.meanHandlingHours ?? Infinity) ||
      a.department.localeCompare(b.department, 'zh-CN'),
  );
  return assessed.map((a, i) => ({ ...a, rank: i + 1 }));
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10);

/** The period is whole days in China Standard Time, `to` included. */
export async function departmentAssessment(store: CityOperationsStore, regionPrefix: string, from: string, to: string): Promise<DepartmentAssessment[]> {
  if (from > to) throw new GraphQLError(`The period must not end (${to}) before it starts (${from}).`, { extensions: { code: 'BAD_USER_INPUT', argument: 'to' } });
  const dispatches = await store.dispatchesReceived(regionPrefix, `${from}T00:00:00+08:00`, `${nextDay(to)}T00:00:00+08:00`);
  return rankDepartments(dispatches, Date.now());
}
