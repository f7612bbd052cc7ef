/**
 * `npm run licence -- <command>`: the certificate library's seals, offline.
 *   verify <certificate.json> [--keys FILE] [--status FILE] [--today YYYY-MM-DD]
 *       checks an exported certificate against the issuers' published keys, without any network call;
 *       exit 1 naming every problem (an altered field, an unknown issuer or key, expired, revoked or
 *       suspended as of the status list given)
 *   export <number>        a certificate as sealed (JSON), from the library's database
 *   status-list            the revoked and suspended certificates, signed by the data bureau (JSON)
 *   rotate <signer>        retires a signer's seal key and makes a new one; the old one stays published
 * The keys are LICENCE_KEYS_DIR, default DATA_DIR/keys/licence (published-keys.json there is what --keys
 * defaults to); the database is the launcher's: LICENCE_LIBRARY_DATABASE_URL, else DATA_DIR/db/licence-library.sqlite.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadSubgraphConfig } from '../subgraphs/kit/config';
import { openDatabase } from '../subgraphs/kit/database';
import { documentOf, todayInChina } from '../subgraphs/licence-library/certificate-view';
import { PUBLISHED_KEYS_FILE, readPublishedKeys, rotateKey, SIGNERS, type Signer } from '../subgraphs/licence-library/keyring';
import { checkCertificate } from '../subgraphs/licence-library/seal';
import { checkStatusList, signStatusList, statusListEntry } from '../subgraphs/licence-library/status-list';
import { createLicenceLibraryStore, sealKeysDir, type LicenceLibraryDatabase, type LicenceLibraryStore } from '../subgraphs/licence-library/store';
import { EXIT_FAILURE, parseCommandLine, runCommandLine, UsageError } from './command-line';
import { departmentDatabase } from './department-database';
import { scriptEnvironment } from './script-environment';

const DEPARTMENT = 'licence-library';

const USAGE = `usage: npm run licence -- verify <certificate.json> [--keys <file>] [--status <status-list.json>] [--today <YYYY-MM-DD>]
       npm run licence -- export <number>
       npm run licence -- status-list
       npm run licence -- rotate <${SIGNERS.join('|')}>

  verify        check an exported certificate offline: its seal against the issuers' published keys, each
                field against the seal, its validity on --today (default: today in China), and the status
                list given; exit 1 naming every problem
  export        print a certificate as sealed, from the library's database (what Certificate.document gives)
  status-list   print the revoked and suspended certificates, signed by the data bureau
  rotate        retire a signer's seal key and make a new one; certificates it sealed still verify

  --keys <file>     the published keys (default: LICENCE_KEYS_DIR or DATA_DIR/keys/licence, ${PUBLISHED_KEYS_FILE})
  --status <file>   a status list, as status-list prints it
  -h, --help        this text`;

function keysDir(): string {
  return sealKeysDir(loadSubgraphConfig(DEPARTMENT, 0));
}

function readJson(file: string, what: string): unknown {
  if (!existsSync(file)) throw new Error(`no ${what} file at ${file}`);
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new Error(`${file} is not JSON: give a ${what} file as npm run licence prints it`);
  }
}

async function withStore<T>(use: (store: LicenceLibraryStore) => Promise<T>): Promise<T> {
  const location = departmentDatabase(scriptEnvironment(), DEPARTMENT);
  if (location.kind === 'sqlite' && !existsSync(location.file)) throw new Error(`${DEPARTMENT} has no database at ${location.file}: start it first (npm start)`);
  const db = openDatabase<LicenceLibraryDatabase>({ location, readOnly: true });
  try {
    return await use(createLicenceLibraryStore(db, loadSubgraphConfig(DEPARTMENT, 0)));
  } finally {
    await db.destroy();
  }
}

function one(positionals: string[], what: string): string {
  if (positionals.length === 0) throw new UsageError(`give ${what}`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]}`);
  return positionals[0]!;
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  const write = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  switch (command) {
    case 'verify': {
      const { values, positionals } = parseCommandLine({ args: rest, allowPositionals: true, options: { keys: { type: 'string' }, status: { type: 'string' }, today: { type: 'string' } } });
      const file = one(positionals, 'the certificate file');
      if (values.today !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.today)) throw new UsageError('--today must be a date such as 2026-12-31');
      const keys = readPublishedKeys(values.keys ?? join(keysDir(), PUBLISHED_KEYS_FILE));
      const statusList = values.status === undefined ? undefined : checkStatusList(readJson(values.status, 'status list'), keys);
      const document = readJson(file, 'certificate');
      const problems = checkCertificate(document, { keys, today: values.today ?? todayInChina(), ...(statusList && { statusList }) });
      if (problems.length > 0) {
        process.stdout.write(`${file} does not verify:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
        process.exitCode = EXIT_FAILURE;
        return;
      }
      const { number, kind, issuer } = document as { number: string; kind: string; issuer: { authority: string } };
      process.stdout.write(`${file}: ${kind} ${number}, sealed by ${issuer.authority}: authentic and valid${statusList ? ` (status list of ${statusList.issuedAt})` : ''}\n`);
      return;
    }
    case 'export': {
      const number = one(parseCommandLine({ args: rest, allowPositionals: true, options: {} }).positionals, 'a certificate number');
      const [row] = await withStore((store) => store.byNumbers([number]));
      if (!row) throw new Error(`no certificate ${number} in the library`);
      write(documentOf(row));
      return;
    }
    case 'status-list': {
      parseCommandLine({ args: rest, options: {} });
      write(await withStore(async (store) => signStatusList((await store.withdrawn()).map(statusListEntry), store.keyring)));
      return;
    }
    case 'rotate': {
      const signer = one(parseCommandLine({ args: rest, allowPositionals: true, options: {} }).positionals, `a signer (${SIGNERS.join(', ')})`);
      if (!(SIGNERS as readonly string[]).includes(signer)) throw new UsageError(`unknown signer ${signer}: one of ${SIGNERS.join(', ')}`);
      const { retired, current } = rotateKey(keysDir(), signer as Signer);
      process.stdout.write(`retired ${retired} (still published); ${signer} seals with ${current.keyId} once the library restarts\n`);
      return;
    }
    case undefined:
      throw new UsageError('give a command');
    default:
      throw new UsageError(`unknown command ${command}`);
  }
}

runCommandLine(USAGE, main);
