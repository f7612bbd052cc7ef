/**
 * 网格示意图: city events carry a grid, not coordinates, so the region's grids are drawn as a schematic —
 * one row of tiles per district, each tile named, shaded by its open events, with its overdue count; a red
 * outline only where a grid has more overdue events than the threshold the graph gives. No map tiles.
 */
import { useI18n } from '../i18n';

export interface GridCount {
  grid: { code: string; name: string; regionCode: string; regionName: string };
  open: number;
  overdue: number;
  alerting: boolean;
}

const TILE_WIDTH = 116;
const TILE_HEIGHT = 84;
const GAP = 8;
const LABEL_WIDTH = 88;
const SHADES = ['#e8f0fa', '#bcd3ee', '#7fa9dc', '#3d77bf', '#1b4f8f'];
const ALERT_OUTLINE = '#b3261e';
const PLAIN_OUTLINE = '#6b7a90';

/** The tile's own name: the grid's name without its district, split before 第n网格 (天河路第1网格 → 天河路 / 第1网格). */
function tileLines(grid: GridCount['grid']): [string, string] {
  const own = grid.name.startsWith(grid.regionName) ? grid.name.slice(grid.regionName.length) : grid.name;
  const split = own.search(/第\d+网格$/);
  return split > 0 ? [own.slice(0, split), own.slice(split)] : [own, ''];
}

export function GridMap({ grids, threshold }: { grids: readonly GridCount[]; threshold: number }) {
  const { t } = useI18n();
  if (grids.length === 0) return <p className="muted">{t('noData')}</p>;
  const districts = [...new Set(grids.map((g) => g.grid.regionCode))].sort();
  const rows = districts.map((code) => grids.filter((g) => g.grid.regionCode === code).sort((a, b) => a.grid.code.localeCompare(b.grid.code)));
  const columns = Math.max(...rows.map((row) => row.length));
  const max = Math.max(...grids.map((g) => g.open), 1);
  const shadeIndex = (open: number) => Math.min(SHADES.length - 1, Math.ceil((open / max) * (SHADES.length - 1)));
  const width = LABEL_WIDTH + columns * (TILE_WIDTH + GAP);
  const height = rows.length * (TILE_HEIGHT + GAP);
  return (
    <figure className="chart grid-map">
      <div className="grid-map-scroll">
        <svg role="img" aria-labelledby="grid-map-caption" viewBox={`0 0 ${width} ${height}`} width="100%" data-testid="grid-map">
          {rows.map((row, r) => (
            <g key={row[0]!.grid.regionCode} transform={`translate(0, ${r * (TILE_HEIGHT + GAP)})`}>
              <text x={0} y={TILE_HEIGHT / 2 + 6} className="grid-district">
                {row[0]!.grid.regionName}
              </text>
              {row.map((g, i) => {
                const shade = shadeIndex(g.open);
                const [street, number] = tileLines(g.grid);
                const ink = shade >= 3 ? 'tile-text on-dark' : 'tile-text';
                return (
                  <g key={g.grid.code} transform={`translate(${LABEL_WIDTH + i * (TILE_WIDTH + GAP)}, 0)`} data-grid={g.grid.code} data-alerting={g.alerting}>
                    <rect
                      width={TILE_WIDTH}
                      height={TILE_HEIGHT}
                      rx={4}
                      fill={SHADES[shade]}
                      stroke={g.alerting ? ALERT_OUTLINE : PLAIN_OUTLINE}
                      strokeWidth={g.alerting ? 5 : 1}
                    >
                      <title>{`${g.grid.name}: ${t('open')} ${g.open}, ${t('overdue')} ${g.overdue}`}</title>
                    </rect>
                    <text x={8} y={20} className={`${ink} tile-name`}>
                      {street}
                    </text>
                    <text x={8} y={36} className={`${ink} tile-name`}>
                      {number}
                    </text>
                    <text x={8} y={70} className={`${ink} tile-count`}>
                      {g.open}
                    </text>
                    {g.overdue > 0 && (
                      <text x={TILE_WIDTH - 8} y={70} textAnchor="end" className={`${ink} tile-overdue`}>
                        {t('overdue')} {g.overdue}
                      </text>
                    )}
                  </g>
                );
              })}
            </g>
          ))}
        </svg>
      </div>
      <figcaption id="grid-map-caption">
        {t('gridMap')} — {t('gridMapNote')}
      </figcaption>
      <ul className="legend" data-testid="grid-legend">
        <li>
          {SHADES.map((shade) => (
            <svg key={shade} width="14" height="14" aria-hidden="true">
              <rect width="14" height="14" fill={shade} stroke={PLAIN_OUTLINE} />
            </svg>
          ))}{' '}
          {t('wallShadeLegend')}
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true">
            <rect x="1.5" y="1.5" width="11" height="11" fill="#fff" stroke={ALERT_OUTLINE} strokeWidth="3" />
          </svg>{' '}
          {t('wallOutlineLegend').replace('{n}', String(threshold))}
        </li>
      </ul>
    </figure>
  );
}
