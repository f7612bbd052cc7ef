/** Accesses per app per day: one stacked column per day, one colour per app, as inline SVG with a table beside it. */
import { ColumnHeads } from './column-heads';
import { useI18n } from '../i18n';

export interface AppDayCount {
  app: string;
  day: string;
  count: number;
}

// Distinguishable colours with at least 3:1 contrast against the white background.
const PALETTE = ['#1f5fa8', '#b3261e', '#2e7d32', '#8a4b08', '#6a3d9a', '#00697a', '#5d4037', '#ad1457'];
const HEIGHT = 200;
const COLUMN = 34;

export function DayChart({ counts }: { counts: readonly AppDayCount[] }) {
  const { t } = useI18n();
  if (counts.length === 0) return <p className="muted">{t('noData')}</p>;
  const days = [...new Set(counts.map((c) => c.day))].sort();
  const apps = [...new Set(counts.map((c) => c.app))].sort();
  const colour = (app: string) => PALETTE[apps.indexOf(app) % PALETTE.length]!;
  const totals = days.map((day) => counts.filter((c) => c.day === day).reduce((sum, c) => sum + c.count, 0));
  const max = Math.max(...totals, 1);
  const width = Math.max(days.length * COLUMN + 40, 200);
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby="per-app-day-caption" viewBox={`0 0 ${width} ${HEIGHT + 40}`} width={Math.min(width, 900)}>
        {days.map((day, i) => {
          let top = HEIGHT;
          return (
            <g key={day} transform={`translate(${20 + i * COLUMN}, 0)`}>
              {apps.map((app) => {
                const count = counts.find((c) => c.day === day && c.app === app)?.count ?? 0;
                if (count === 0) return null;
                const height = (count / max) * (HEIGHT - 10);
                top -= height;
                return (
                  <rect key={app} x={2} y={top} width={COLUMN - 8} height={height} fill={colour(app)}>
                    <title>{`${day} ${app}: ${count}`}</title>
                  </rect>
                );
              })}
              <text x={COLUMN / 2 - 2} y={HEIGHT + 16} textAnchor="middle" className="chart-label">
                {day.slice(5)}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id="per-app-day-caption">{t('accessesPerAppDay')}</figcaption>
      <ul className="legend">
        {apps.map((app) => (
          <li key={app}>
            <span className="swatch" style={{ background: colour(app) }} aria-hidden="true" />
            {app}
          </li>
        ))}
      </ul>
      <details>
        <summary>{t('dataTable')}</summary>
        <table>
          <ColumnHeads columns={['day', 'app', 'count']} />
          <tbody>
            {counts.map((c) => (
              <tr key={`${c.day}-${c.app}`}>
                <td>{c.day}</td>
                <th scope="row">{c.app}</th>
                <td>{c.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
