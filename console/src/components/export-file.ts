/**
 * Exports of a filtered view: CSV (RFC 4180, with a BOM so spreadsheet programs read the Chinese text),
 * JSON, and JSON lines (one record per line, for sets too large to hold as one document).
 */
export type ExportRow = Record<string, string | number | boolean | null | readonly string[]>;

function csvCell(value: ExportRow[string]): string {
  const text = Array.isArray(value) ? value.join('; ') : value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** The CSV header line of these columns (with the BOM: it starts the file). */
export function csvHeader(columns: readonly string[]): string {
  return `\uFEFF${columns.join(',')}\r\n`;
}

/** CSV lines of rows, in the columns given. */
export function csvLines(rows: readonly ExportRow[], columns: readonly string[]): string {
  return rows.map((row) => `${columns.map((c) => csvCell(row[c] ?? null)).join(',')}\r\n`).join('');
}

/** JSON lines: one row per line. */
export function jsonLines(rows: readonly ExportRow[]): string {
  return rows.map((row) => `${JSON.stringify(row)}\n`).join('');
}

export function toCsv(rows: readonly ExportRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return csvHeader(columns) + csvLines(rows, columns);
}

/** Offers a file made of parts (a page of rows each) for download, without joining them into one string. */
export function downloadFile(name: string, type: string, content: BlobPart | readonly BlobPart[]): void {
  const url = URL.createObjectURL(new Blob(Array.isArray(content) ? content : [content as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
