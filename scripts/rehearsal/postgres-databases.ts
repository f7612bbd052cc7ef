/** Fresh PostgreSQL databases on a server the rehearsal administers, one per name, dropped afterwards. */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TemporaryDatabases {
  urlOf(name: string): string;
  /** Drops them all, closing whatever connections a killed process left behind. */
  drop(): Promise<void>;
}

export async function createDatabases(adminUrl: string, names: readonly string[]): Promise<TemporaryDatabases> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect().catch((error: Error) => {
    throw new Error(`PostgreSQL is not reachable at ${adminUrl} (${error.message}): start it as .ci/run does, or name another server with --postgres`);
  });
  const suffix = randomBytes(4).toString('hex');
  const databaseOf = (name: string) => `govgraph_rehearsal_${name.replaceAll('-', '_')}_${suffix}`;
  const created: string[] = [];
  const drop = async () => {
    for (const name of created.splice(0)) await admin.query(`DROP DATABASE IF EXISTS ${databaseOf(name)} WITH (FORCE)`);
    await admin.end();
  };
  try {
    for (const name of names) {
      await admin.query(`CREATE DATABASE ${databaseOf(name)}`);
      created.push(name);
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return {
    urlOf(name) {
      const url = new URL(adminUrl);
      url.pathname = `/${databaseOf(name)}`;
      return url.href;
    },
    drop,
  };
}
