/**
 * 网格示意图: city events carry a grid, not coordinates, so the region's grids are drawn as a schematic —
 * one tile per grid, darker with more open events, outlined red when some are overdue. No map tiles.
 */
import { useI18n } from '../i18n';

export interface GridCount {
  grid: { code: string; name: string };
  open: number;
  overdue: number;
}

const TILE = 64;
const GAP = 6;
const SHADES = ['#e8f0fa', '#bcd3ee', '#7fa9dc', '#3d77bf', '#1b4f8f'];

export function GridMap({ grids }: { grids: readonly GridCount[] }) {
  const { t } = useI18n();
  if (grids.length === 0) return <p className="muted">{t('noData')}</p>;
  const sorted = [...grids].sort((a, b) => a.grid.code.localeCompare(b.grid.code));
  const columns = Math.ceil(Math.sqrt(sorted.length * 2));
  const rows = Math.ceil(sorted.length / columns);
  const max = Math.max(...sorted.map((g) => g.open), 1);
  const shade = (open: number) => SHADES[Math.min(SHADES.length - 1, Math.ceil((open / max) * (SHADES.length - 1)))]!;
  return (
    <figure className="chart">
      <svg role="img" aria-labelledby="grid-map-caption" viewBox={`0 0 ${columns * (TILE + GAP)} ${rows * (TILE + GAP)}`} width="100%">
        {sorted.map((g, i) => {
          const x = (i % columns) * (TILE + GAP);
          const y = Math.floor(i / columns) * (TILE + GAP);
          const dark = SHADES.indexOf(shade(g.open)) >= 3;
          return (
            <g key={g.grid.code} transform={`translate(${x}, ${y})`}>
              <rect width={TILE} height={TILE} rx={4} fill={shade(g.open)} stroke={g.overdue > 0 ? '#b3261e' : '#6b7a90'} strokeWidth={g.overdue > 0 ? 4 : 1}>
                <title>{`${g.grid.name}: ${t('open')} ${g.open}, ${t('overdue')} ${g.overdue}`}</title>
              </rect>
              <text x={TILE / 2} y={TILE / 2 + 6} textAnchor="middle" className={dark ? 'tile-label on-dark' : 'tile-label'}>
                {g.open}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption id="grid-map-caption">
        {t('gridMap')} — {t('gridMapNote')}
      </figcaption>
    </figure>
  );
}
