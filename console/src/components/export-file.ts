/** Exports of a filtered view: CSV (RFC 4180, with a BOM so spreadsheet programs read the Chinese text) and JSON. */
export type ExportRow = Record<string, string | number | boolean | null | readonly string[]>;

function csvCell(value: ExportRow[string]): string {
  const text = Array.isArray(value) ? value.join('; ') : value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function toCsv(rows: readonly ExportRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const lines = [columns.join(','), ...rows.map((row) => columns.map((c) => csvCell(row[c] ?? null)).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function downloadFile(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
