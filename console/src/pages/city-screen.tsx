/**
 * 一屏: the operations centre's one screen for its region, refreshed by polling the graph. `?kiosk=1` makes it
 * a wall display: no header, larger type.
 */
import { useEffect } from 'react';
import { AlertList, type Alert } from '../components/alert-list';
import { ColumnHeads } from '../components/column-heads';
import { DepartmentRanking, type DepartmentAssessment } from '../components/department-ranking';
import { GraphStatus } from '../components/graph-status';
import { GridMap, type GridCount } from '../components/grid-map';
import { useIndicatorWords } from '../components/indicator-words';
import { TrendChart, type HourCount } from '../components/trend-chart';
import { useGraph } from '../components/use-graph';
import { useI18n } from '../i18n';
import type { Session } from '../session/session';

interface Overview {
  regionCode: string;
  openEvents: number;
  overdueEvents: number;
  resolvedEvents: number;
  byCategory: Array<{ category: string; open: number; overdue: number; resolved: number }>;
  byGrid: GridCount[];
  gridOverdueThreshold: number;
  trend: HourCount[];
  indicators: Array<{ code: string; name: string; unit: string; value: number; threshold: number; alerting: boolean }>;
  alerts: Alert[];
  latestEvents: Array<{
    id: string;
    category: string;
    status: string;
    reportedAt: string;
    description: string;
    overdue: boolean;
    grid: { name: string };
    dispatches: Array<{ department: string; status: string; deadline: string; overdue: boolean }>;
  }>;
}

const OVERVIEW = `query OperationsOverview($regionCode: RegionCode!, $from: Date!, $to: Date!) {
  operationsOverview(regionCode: $regionCode) {
    regionCode openEvents overdueEvents resolvedEvents
    byCategory { category open overdue resolved }
    byGrid { grid { code name regionCode regionName } open overdue alerting }
    gridOverdueThreshold
    trend { hour open overdue }
    indicators { code name unit value threshold alerting }
    alerts { id regionCode regionName indicator value threshold raisedAt acknowledgedAt acknowledgedBy }
    latestEvents { id category status reportedAt description overdue grid { name } dispatches { department status deadline overdue } }
  }
  departmentAssessment(regionCode: $regionCode, from: $from, to: $to) {
    department received onTime overdue onTimeRate meanHandlingHours meanRating rank
  }
}`;

/** The assessment looks back a year, to today, in days as China counts them. */
const ASSESSMENT_DAYS = 365;
const DAY_MS = 86_400_000;
const chinaDay = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

function assessmentPeriod(now = Date.now()): { from: string; to: string } {
  return { from: chinaDay(now - (ASSESSMENT_DAYS - 1) * DAY_MS), to: chinaDay(now) };
}

/** Wall mode, asked for in the address (/console/?kiosk=1#/city): the page drops the console's header and grows its type. */
function useKiosk(): boolean {
  const kiosk = new URLSearchParams(location.search).get('kiosk') === '1';
  useEffect(() => {
    document.body.classList.toggle('kiosk', kiosk);
    return () => document.body.classList.remove('kiosk');
  }, [kiosk]);
  return kiosk;
}

/** How often the screen asks the graph again. */
export const CITY_POLL_MS = 5000;

/** A contract's region is a division-code prefix (4401); the graph takes a full six-digit code (440100). */
export function regionCodeOf(prefix: string): string {
  return prefix.padEnd(6, '0');
}

function Figure({ label, value, tone }: { label: string; value: number; tone?: string }) {
  return (
    <div className={`figure ${tone ?? ''}`}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </div>
  );
}

/** `region` is undefined while the app's contract is still being read, null if the contract names none. */
export function CityScreenPage({ session, region }: { session: Session; region: string | null | undefined }) {
  const { t, label, dateTime } = useI18n();
  const kiosk = useKiosk();
  const words = useIndicatorWords();
  const period = assessmentPeriod();
  const overview = useGraph<{ operationsOverview: Overview; departmentAssessment: DepartmentAssessment[] }>(
    session,
    OVERVIEW,
    region ? { regionCode: regionCodeOf(region), ...period } : undefined,
    CITY_POLL_MS,
  );
  const data = overview.data?.operationsOverview;
  return (
    <section aria-labelledby="city-title" className="city">
      <h1 id="city-title">
        {t('city')} {data && <span className="muted">· {t('region')} {data.regionCode}</span>}{' '}
        <a className="kiosk-switch small" href={kiosk ? `${location.pathname}#/city` : `${location.pathname}?kiosk=1#/city`}>
          {kiosk ? t('wallKioskLeave') : t('wallKioskEnter')}
        </a>
      </h1>
      {region === null && <p role="alert">{t('noRegion')}</p>}
      <GraphStatus loading={overview.loading && !data} error={overview.error} />
      {data && (
        <div>
          <p className="muted small" data-testid="city-updated">
            {t('updatedAt')} {overview.updatedAt && dateTime(overview.updatedAt)}
          </p>
          <div className="figures" data-testid="city-figures" aria-live="polite">
            <Figure label={t('openEvents')} value={data.openEvents} />
            <Figure label={t('overdueEvents')} value={data.overdueEvents} tone="warn" />
            <Figure label={t('resolvedEvents')} value={data.resolvedEvents} tone="good" />
          </div>
          <div className="city-grid">
            <section aria-labelledby="trend-title">
              <h2 id="trend-title">{t('wallTrendTitle')}</h2>
              <TrendChart hours={data.trend} />
            </section>
            <section aria-labelledby="category-title">
              <h2 id="category-title">{t('byCategory')}</h2>
              <table className="data" data-testid="by-category">
                <ColumnHeads columns={['category', 'open', 'overdue', 'resolved']} />
                <tbody>
                  {data.byCategory.map((c) => (
                    <tr key={c.category} data-category={c.category}>
                      <th scope="row">{label(c.category)}</th>
                      <td>{c.open}</td>
                      <td>{c.overdue}</td>
                      <td>{c.resolved}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section aria-labelledby="indicator-title">
              <h2 id="indicator-title">{t('indicators')}</h2>
              <table className="data">
                <ColumnHeads columns={['indicator', 'value', 'threshold', 'status']} />
                <tbody>
                  {data.indicators.map((i) => (
                    <tr key={i.code} className={i.alerting ? 'denied' : undefined}>
                      <th scope="row">{words.name(i)}</th>
                      <td>{words.amount(i.value, i.unit)}</td>
                      <td>{words.amount(i.threshold, i.unit)}</td>
                      <td>{i.alerting ? `⚠ ${t('alerting')}` : t('normal')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>{t('alerts')}</h2>
              <AlertList session={session} alerts={data.alerts} indicators={data.indicators} />
            </section>
          </div>
          <section aria-labelledby="ranking-title">
            <h2 id="ranking-title">{t('wallRanking')}</h2>
            <p className="muted small" data-testid="ranking-period">
              {period.from} – {period.to}
            </p>
            <DepartmentRanking assessment={overview.data?.departmentAssessment ?? []} />
          </section>
          <section aria-labelledby="grid-title">
            <h2 id="grid-title">{t('byGrid')}</h2>
            <GridMap grids={data.byGrid} threshold={data.gridOverdueThreshold} />
          </section>
          <section aria-labelledby="events-title">
            <h2 id="events-title">{t('events')}</h2>
            <div className="table-scroll">
              <table className="data" data-testid="latest-events">
                <ColumnHeads columns={['reportedAt', 'category', 'grid', 'description', 'status', 'dispatches']} />
                <tbody>
                  {data.latestEvents.map((e) => (
                    <tr key={e.id} className={e.overdue ? 'denied' : undefined}>
                      <th scope="row">{dateTime(e.reportedAt)}</th>
                      <td>{label(e.category)}</td>
                      <td>{e.grid.name}</td>
                      <td>{e.description}</td>
                      <td>
                        {label(e.status)}
                        {e.overdue && <strong className="badge">{t('overdue')}</strong>}
                      </td>
                      <td className="small">
                        <ul className="fields">
                          {e.dispatches.map((d) => (
                            <li key={d.department}>
                              {d.department}: {label(d.status)} · {dateTime(d.deadline)}
                              {d.overdue && ` · ${t('overdue')}`}
                            </li>
                          ))}
                        </ul>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
        </div>
      )}
    </section>
  );
}
