import { useI18n, type LabelKey } from '../i18n';

/** A table's header row: one column header per label, in the current language. */
export function ColumnHeads({ columns }: { columns: ReadonlyArray<LabelKey | { text: string; hidden?: boolean }> }) {
  const { t } = useI18n();
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const text = typeof column === 'string' ? t(column) : column.text;
          return (
            <th scope="col" key={text}>
              {typeof column !== 'string' && column.hidden ? <span className="visually-hidden">{text}</span> : text}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
