/** JSON with sorted keys, so the same record always hashes the same wherever it was written or read. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  // An array of strings (a record's fields, subjects, error codes) has no keys to sort: JSON.stringify
  // writes it exactly as the element-by-element form, at a fraction of the cost (200 subject HMACs a page).
  if (Array.isArray(value)) return value.every((item) => typeof item === 'string') ? JSON.stringify(value) : `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
