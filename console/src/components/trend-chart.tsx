/** The last 24 hours of open and overdue events as two lines, hours in China Standard Time as the graph gives them. */
import { ColumnHeads } from './column-heads';
import { useI18n } from '../i18n';

export interface HourCount {
  /** The hour's start, e.g. 2026-12-06T16:00:00+08:00. */
  hour: string;
  open: number;
  overdue: number;
}

const WIDTH = 480;
const HEIGHT = 240;
const LEFT = 44;
const BOTTOM = 24;
const SERIES = [
  { key: 'open', colour: '#1f5fa8', dash: undefined },
  { key: 'overdue', colour: '#b3261e', dash: '6 4' },
] as const;

/** "16" of 2026-12-06T16:00:00+08:00: the hour as written, whatever the browser's own time zone. */
const hourOf = (hour: string) => hour.slice(11, 13);

export function TrendChart({ hours }: { hours: readonly HourCount[] }) {
  const { t } = useI18n();
  if (hours.length === 0) return <p className="muted">{t('noData')}</p>;
  const max = Math.max(...hours.map((h) => Math.max(h.open, h.overdue)), 1);
  const step = (WIDTH - LEFT - 10) / Math.max(hours.length - 1, 1);
  const x = (i: number) => LEFT + i * step;
  const y = (value: number) => HEIGHT - BOTTOM - (value / max) * (HEIGHT - BOTTOM - 12);
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby="trend-caption" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" data-testid="trend-chart">
        <line x1={LEFT} x2={WIDTH - 10} y1={y(0)} y2={y(0)} stroke="#6b7a90" />
        <text x={LEFT - 6} y={y(max) + 4} textAnchor="end" className="chart-label">
          {max}
        </text>
        <text x={LEFT - 6} y={y(0) + 4} textAnchor="end" className="chart-label">
          0
        </text>
        {SERIES.map((series) => (
          <polyline
            key={series.key}
            fill="none"
            stroke={series.colour}
            strokeWidth={3}
            strokeDasharray={series.dash}
            points={hours.map((h, i) => `${x(i)},${y(h[series.key])}`).join(' ')}
          />
        ))}
        {hours.map((h, i) =>
          i % 3 === hours.length % 3 || i === hours.length - 1 ? (
            <text key={h.hour} x={x(i)} y={HEIGHT - 6} textAnchor="middle" className="chart-label">
              {hourOf(h.hour)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption id="trend-caption">{t('wallTrend')}</figcaption>
      <ul className="legend">
        {SERIES.map((series) => (
          <li key={series.key}>
            <svg width="24" height="10" aria-hidden="true">
              <line x1="0" x2="24" y1="5" y2="5" stroke={series.colour} strokeWidth="3" strokeDasharray={series.dash} />
            </svg>{' '}
            {t(series.key)} ({hours[hours.length - 1]![series.key]})
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('dataTable')}</summary>
        <table>
          <ColumnHeads columns={['wallHour', 'open', 'overdue']} />
          <tbody>
            {hours.map((h) => (
              <tr key={h.hour}>
                <th scope="row">{h.hour.slice(0, 16).replace('T', ' ')}</th>
                <td>{h.open}</td>
                <td>{h.overdue}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
