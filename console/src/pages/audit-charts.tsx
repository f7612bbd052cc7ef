/** 统计图表: accesses per app per day, denials by reason and the top purposes over a time range. */
import { useState } from 'react';
import { BarChart } from '../components/bar-chart';
import { DayChart, type AppDayCount } from '../components/day-chart';
import { GraphStatus } from '../components/graph-status';
import { localInputToIso } from '../components/time-range';
import { useGraph } from '../components/use-graph';
import { useI18n } from '../i18n';
import type { Session } from '../session/session';

interface Statistics {
  from: string;
  to: string;
  accessesPerAppDay: AppDayCount[];
  denialsByReason: Array<{ reason: string; count: number }>;
  topPurposes: Array<{ purpose: string; count: number }>;
}

const STATISTICS = `query AuditStatistics($from: DateTime, $to: DateTime, $app: String) {
  auditStatistics(from: $from, to: $to, app: $app) {
    from to
    accessesPerAppDay { app day count }
    denialsByReason { reason count }
    topPurposes { purpose count }
  }
}`;

export function AuditChartsPage({ session }: { session: Session }) {
  const { t, code, dateTime } = useI18n();
  const [form, setForm] = useState({ from: '', to: '', app: '' });
  const [range, setRange] = useState<Record<string, string>>({});
  const statistics = useGraph<{ auditStatistics: Statistics }>(session, STATISTICS, range);
  const data = statistics.data?.auditStatistics;
  return (
    <section aria-labelledby="charts-title">
      <h1 id="charts-title">{t('charts')}</h1>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          const from = localInputToIso(form.from);
          const to = localInputToIso(form.to);
          setRange({ ...(from && { from }), ...(to && { to }), ...(form.app.trim() && { app: form.app.trim() }) });
        }}
      >
        <label>
          {t('from')}
          <input type="datetime-local" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} />
        </label>
        <label>
          {t('to')}
          <input type="datetime-local" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} />
        </label>
        <label>
          {t('app')}
          <input value={form.app} onChange={(e) => setForm({ ...form, app: e.target.value })} />
        </label>
        <button type="submit">{t('filter')}</button>
      </form>
      <GraphStatus loading={statistics.loading && !data} error={statistics.error} />
      {data && (
        <>
          <p className="muted">
            {dateTime(data.from)} – {dateTime(data.to)} · {t('beijingTimeNote')}
          </p>
          <div className="charts">
            <DayChart counts={data.accessesPerAppDay} />
            <BarChart title="denialsByReason" valueLabel="count" bars={data.denialsByReason.map((d) => ({ label: code('error', d.reason), value: d.count }))} />
            <BarChart title="topPurposes" valueLabel="count" bars={data.topPurposes.map((p) => ({ label: p.purpose, value: p.count }))} />
          </div>
        </>
      )}
    </section>
  );
}
