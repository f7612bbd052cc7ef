/** A horizontal bar chart drawn as inline SVG, with the same numbers in a table for screen readers and keyboard users. */
import { ColumnHeads } from './column-heads';
import { useI18n, type LabelKey } from '../i18n';

export interface Bar {
  label: string;
  value: number;
}

const ROW = 26;
const LABEL_WIDTH = 190;
const WIDTH = 560;

export function BarChart({ title, bars, valueLabel }: { title: LabelKey; bars: readonly Bar[]; valueLabel: LabelKey }) {
  const { t } = useI18n();
  if (bars.length === 0) return <p className="muted">{t('noData')}</p>;
  const max = Math.max(...bars.map((b) => b.value), 1);
  const plot = WIDTH - LABEL_WIDTH - 50;
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby={`${title}-caption`} viewBox={`0 0 ${WIDTH} ${bars.length * ROW + 4}`} width="100%">
        {bars.map((bar, i) => (
          <g key={bar.label} transform={`translate(0, ${i * ROW + 2})`}>
            <text x={LABEL_WIDTH - 8} y={ROW / 2 + 4} textAnchor="end" className="chart-label">
              {bar.label}
            </text>
            <rect x={LABEL_WIDTH} y={3} width={Math.max((bar.value / max) * plot, 1)} height={ROW - 8} className="chart-bar">
              <title>{`${bar.label}: ${bar.value}`}</title>
            </rect>
            <text x={LABEL_WIDTH + (bar.value / max) * plot + 6} y={ROW / 2 + 4} className="chart-value">
              {bar.value}
            </text>
          </g>
        ))}
      </svg>
      <figcaption id={`${title}-caption`}>{t(title)}</figcaption>
      <details>
        <summary>{t('dataTable')}</summary>
        <table>
          <ColumnHeads columns={[title, valueLabel]} />
          <tbody>
            {bars.map((bar) => (
              <tr key={bar.label}>
                <th scope="row">{bar.label}</th>
                <td>{bar.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
