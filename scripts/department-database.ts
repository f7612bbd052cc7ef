/** Where a department's database is when the launcher runs it: its own PostgreSQL URL, else a SQLite file. */
import type { DatabaseLocation } from '../subgraphs/kit/database';
import { sqliteFileFor } from '../subgraphs/kit/config';
import type { ScriptEnvironment } from './script-environment';

export function departmentDatabase(env: ScriptEnvironment, department: string): DatabaseLocation {
  const url = env.databaseUrls[department];
  return url ? { kind: 'postgres', url } : { kind: 'sqlite', file: sqliteFileFor(env.dataDir, department) };
}
