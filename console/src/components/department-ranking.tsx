/** 监督评价考核: the departments ranked by the share of their dispatches resolved on time, as the graph ranks them. */
import { ColumnHeads } from './column-heads';
import { useI18n } from '../i18n';

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

export function DepartmentRanking({ assessment }: { assessment: readonly DepartmentAssessment[] }) {
  const { t } = useI18n();
  if (assessment.length === 0) return <p className="muted">{t('noData')}</p>;
  return (
    <div className="table-scroll">
      <table className="data" data-testid="department-ranking">
        <ColumnHeads columns={['wallRank', 'department', 'wallReceived', 'wallOnTime', 'overdue', 'wallOnTimeRate', 'wallMeanHours', 'wallMeanRating']} />
        <tbody>
          {assessment.map((a) => (
            <tr key={a.department} data-department={a.department}>
              <td>{a.rank}</td>
              <th scope="row">{a.department}</th>
              <td>{a.received}</td>
              <td>{a.onTime}</td>
              <td>{a.overdue}</td>
              <td>
                <meter min={0} max={100} value={a.onTimeRate} aria-hidden="true" /> {a.onTimeRate}%
              </td>
              <td>{a.meanHandlingHours ?? '—'}</td>
              <td>{a.meanRating ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
