/** The hourly trend and the assessment's ranking on events whose times are chosen, so every boundary is seen. */
import { rankDepartments } from './assessment';
import { hourlyTrend } from './trend';

const NOW = Date.parse('2026-12-06T16:30:00+08:00');
const at = (time: string) => `2026-12-${time}+08:00`;
const event = (id: string, reportedAt: string, resolvedAt: string | null) => ({ id, category: 'NOISE', status: resolvedAt ? 'RESOLVED' : 'DISPATCHED', gridCode: 'g', reportedAt: at(reportedAt), resolvedAt: resolvedAt && at(resolvedAt) }) as const;

test('each hour counts what was open and overdue at its end, the current hour at now', () => {
  const events = [event('old', '01T08:00:00', null), event('fixed', '05T10:00:00', '06T09:15:00'), event('new', '06T16:10:00', null)];
  const dispatches = [
    // Overdue the whole window.
    { eventId: 'old', dispatchedAt: at('01T09:00:00'), deadline: at('02T09:00:00'), resolvedAt: null },
    // Its deadline is 06:00 and it is resolved at 09:15: overdue at the ends of hours 06, 07 and 08 only.
    { eventId: 'fixed', dispatchedAt: at('05T10:00:00'), deadline: at('06T06:00:00'), resolvedAt: at('06T09:15:00') },
    { eventId: 'new', dispatchedAt: at('06T16:10:00'), deadline: at('07T16:10:00'), resolvedAt: null },
  ];
  const trend = hourlyTrend(events, dispatches, NOW);
  expect(trend).toHaveLength(24);
  expect(trend[0]!.hour).toBe(at('05T17:00:00'));
  expect(trend[23]!.hour).toBe(at('06T16:00:00'));
  const byHour = Object.fromEntries(trend.map((h) => [h.hour.slice(8, 13), [h.open, h.overdue]]));
  expect(byHour['05T17']).toEqual([2, 1]);
  // At 06:00 exactly the deadline has not passed yet.
  expect(byHour['06T05']).toEqual([2, 1]);
  expect(byHour['06T06']).toEqual([2, 2]);
  expect(byHour['06T08']).toEqual([2, 2]);
  expect(byHour['06T09']).toEqual([1, 1]);
  expect(byHour['06T15']).toEqual([1, 1]);
  expect(byHour['06T16']).toEqual([2, 1]);
});

test('departments rank by the share on time, then rating, then speed; late and unresolved-past-deadline are overdue', () => {
  const d = (department: string, hours: number | null, deadlineHours: number, rating: number | null = null) => ({
    department,
    dispatchedAt: '2026-03-01T08:00:00+08:00',
    deadline: new Date(Date.parse('2026-03-01T08:00:00+08:00') + deadlineHours * 3_600_000).toISOString(),
    resolvedAt: hours === null ? null : new Date(Date.parse('2026-03-01T08:00:00+08:00') + hours * 3_600_000).toISOString(),
    rating,
  });
  const ranked = rankDepartments(
    [d('城管', 10, 24, 5), d('城管', 30, 24, 3), d('交通运输', 8, 24, 4), d('交通运输', 40, 24, 4), d('水务', 5, 24, 3), d('水务', null, 24), d('公安', 2, 12), d('公安', 3, 12)],
    NOW,
  );
  expect(ranked).toEqual([
    { department: '公安', received: 2, onTime: 2, overdue: 0, onTimeRate: 100, meanHandlingHours: 2.5, meanRating: null, rank: 1 },
    { department: '城管', received: 2, onTime: 1, overdue: 1, onTimeRate: 50, meanHandlingHours: 20, meanRating: 4, rank: 2 },
    { department: '交通运输', received: 2, onTime: 1, overdue: 1, onTimeRate: 50, meanHandlingHours: 24, meanRating: 4, rank: 3 },
    // Rated lowest, so last though quickest; the one still open is overdue and counts in no mean of hours.
    { department: '水务', received: 2, onTime: 1, overdue: 1, onTimeRate: 50, meanHandlingHours: 5, meanRating: 3, rank: 4 },
  ]);
});
