/**
 * A PostgreSQL database of the benchmark's own, created fresh and dropped afterwards, so that its tables
 * never meet those of the tests or of a deployment on the same server.
 */
import { Client } from 'pg';

/** Runs `work` with a client connected to `url`, closing it afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the server of `adminUrl`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.href;
}

function quoted(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`${name} is not a plain database name (lower-case letters, digits, _)`);
  return `"${name}"`;
}

/** Creates database `name` afresh on the server of `adminUrl` (its maintenance database), runs `work` with its URL, and drops it. */
export async function withPrivateDatabase<T>(adminUrl: string, name: string, work: (url: string) => Promise<T>): Promise<T> {
  await withClient(adminUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoted(name)}`);
    await client.query(`CREATE DATABASE ${quoted(name)}`);
  });
  try {
    return await work(databaseUrl(adminUrl, name));
  } finally {
    await withClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoted(name)} WITH (FORCE)`));
  }
}
