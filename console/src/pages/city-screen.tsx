/** 一屏: the operations centre's one screen for its region, refreshed by polling the graph. */
import { ColumnHeads } from '../components/column-heads';
import { GraphStatus } from '../components/graph-status';
import { GridMap, type GridCount } from '../components/grid-map';
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
  indicators: Array<{ code: string; unit: string; value: number; threshold: number; alerting: boolean }>;
  alerts: Array<{ id: string; regionCode: string; indicator: string; value: number; threshold: number; raisedAt: string }>;
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

const OVERVIEW = `query OperationsOverview($regionCode: RegionCode!) {
  operationsOverview(regionCode: $regionCode) {
    regionCode openEvents overdueEvents resolvedEvents
    byCategory { category open overdue resolved }
    byGrid { grid { code name } open overdue }
    indicators { code unit value threshold alerting }
    alerts { id regionCode indicator value threshold raisedAt }
    latestEvents { id category status reportedAt description overdue grid { name } dispatches { department status deadline overdue } }
  }
}`;

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
  const { t, label, code } = useI18n();
  const overview = useGraph<{ operationsOverview: Overview }>(session, OVERVIEW, region ? { regionCode: regionCodeOf(region) } : undefined, CITY_POLL_MS);
  const data = overview.data?.operationsOverview;
  return (
    <section aria-labelledby="city-title" className="city">
      <h1 id="city-title">
        {t('city')} {data && <span className="muted">· {t('region')} {data.regionCode}</span>}
      </h1>
      {region === null && <p role="alert">{t('noRegion')}</p>}
      <GraphStatus loading={overview.loading && !data} error={overview.error} />
      {data && (
        <div>
          <p className="muted small" data-testid="city-updated">
            {t('updatedAt')} {overview.updatedAt?.toLocaleTimeString()}
          </p>
          <div className="figures" data-testid="city-figures" aria-live="polite">
            <Figure label={t('openEvents')} value={data.openEvents} />
            <Figure label={t('overdueEvents')} value={data.overdueEvents} tone="warn" />
            <Figure label={t('resolvedEvents')} value={data.resolvedEvents} tone="good" />
          </div>
          <div className="city-grid">
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
                      <th scope="row">{code('indicator', i.code)}</th>
                      <td>
                        {i.value} {code('unit', i.unit)}
                      </td>
                      <td>
                        {i.threshold} {code('unit', i.unit)}
                      </td>
                      <td>{i.alerting ? `⚠ ${t('alerting')}` : t('normal')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>{t('alerts')}</h2>
              {data.alerts.length === 0 ? (
                <p>{t('noAlerts')}</p>
              ) : (
                <ul className="alerts" aria-live="polite">
                  {data.alerts.map((a) => (
                    <li key={a.id}>
                      ⚠ {t('region')} {a.regionCode} · {code('indicator', a.indicator)}: {a.value} &gt; {a.threshold} · {t('raisedAt')}{' '}
                      {new Date(a.raisedAt).toLocaleString()}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section aria-labelledby="grid-title">
              <h2 id="grid-title">{t('byGrid')}</h2>
              <GridMap grids={data.byGrid} />
            </section>
          </div>
          <section aria-labelledby="events-title">
            <h2 id="events-title">{t('events')}</h2>
            <div className="table-scroll">
              <table className="data" data-testid="latest-events">
                <ColumnHeads columns={['reportedAt', 'category', 'grid', 'description', 'status', 'dispatches']} />
                <tbody>
                  {data.latestEvents.map((e) => (
                    <tr key={e.id} className={e.overdue ? 'denied' : undefined}>
                      <th scope="row">{new Date(e.reportedAt).toLocaleString()}</th>
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
                              {d.department}: {label(d.status)} · {new Date(d.deadline).toLocaleString()}
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
