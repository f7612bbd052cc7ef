/** CSV and JSON-lines downloads of a whole filtered result, read page by page through the graph. */
import { useState } from 'react';
import { GraphError } from '../graph-client';
import { useI18n } from '../i18n';
import { downloadFile } from './export-file';
import { exportPages, type ExportFormat, type ExportPage } from './export-pages';

type Progress = { state: 'idle' } | { state: 'running'; rows: number; totalCount?: number } | { state: 'done'; rows: number } | { state: 'failed'; message: string };

const TYPES: Record<ExportFormat, string> = { csv: 'text/csv;charset=utf-8', jsonl: 'application/jsonl;charset=utf-8' };

export function PagedExport({ name, columns, readPage, disabled }: { name: string; columns: readonly string[]; readPage(after: string | undefined): Promise<ExportPage>; disabled: boolean }) {
  const { t } = useI18n();
  const [progress, setProgress] = useState<Progress>({ state: 'idle' });
  const run = async (format: ExportFormat) => {
    setProgress({ state: 'running', rows: 0 });
    try {
      const file = await exportPages(readPage, format, columns, (rows, totalCount) => setProgress({ state: 'running', rows, totalCount }));
      downloadFile(`${name}.${format}`, TYPES[format], file.parts);
      setProgress({ state: 'done', rows: file.rows });
    } catch (error) {
      setProgress({ state: 'failed', message: error instanceof GraphError ? `${error.code}: ${error.message}` : String(error) });
    }
  };
  const busy = progress.state === 'running';
  return (
    <span className="export">
      <button type="button" disabled={disabled || busy} onClick={() => void run('csv')}>
        {t('exportCsv')}
      </button>
      <button type="button" disabled={disabled || busy} onClick={() => void run('jsonl')}>
        {t('exportJsonLines')}
      </button>
      <span role="status" className="small" data-testid="export-progress">
        {progress.state === 'running' && `${t('exporting')} ${progress.rows}${progress.totalCount === undefined ? '' : ` / ${progress.totalCount}`}`}
        {progress.state === 'done' && `${t('exported')} ${progress.rows} ${t('records')}`}
        {progress.state === 'failed' && `${t('exportFailed')} ${progress.message}`}
      </span>
    </span>
  );
}
