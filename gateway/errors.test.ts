import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CATALOGUE } from './errors';

test('the README error table lists exactly the catalogued codes, with their HTTP status and what the client does', () => {
  const readme = readFileSync(join(__dirname, '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Error codes'));
  const rows = [...section.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \| \*\*([a-z -]+)\*\*/gm)].map(([, code, status, action]) => [code, { status: Number(status), action }]);
  expect(Object.fromEntries(rows)).toEqual(Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([code, entry]) => [code, { status: entry.status, action: entry.action }])));
});
