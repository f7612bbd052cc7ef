import { useI18n } from '../i18n';
import { downloadFile, toCsv, type ExportRow } from './export-file';

/** CSV and JSON downloads of exactly the rows on screen. */
export function ExportButtons({ name, rows }: { name: string; rows: readonly ExportRow[] }) {
  const { t } = useI18n();
  return (
    <span className="export">
      <button type="button" disabled={rows.length === 0} onClick={() => downloadFile(`${name}.csv`, 'text/csv;charset=utf-8', toCsv(rows))}>
        {t('exportCsv')}
      </button>
      <button type="button" disabled={rows.length === 0} onClick={() => downloadFile(`${name}.json`, 'application/json', `${JSON.stringify(rows, null, 2)}\n`)}>
        {t('exportJson')}
      </button>
    </span>
  );
}
