/**
 * `npm run token -- --app <appId> [--operator <id>] [--region <code>] [--ttl <duration>]`
 * Prints a development app token and nothing else, so `TOKEN=$(npm run -s token -- --app …)` works.
 */
import { parseArgs } from 'node:util';
import { ensureDevKeys } from './dev-keys';
import { mintAppToken } from './mint-app-token';
import { scriptEnvironment } from './script-environment';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      app: { type: 'string' },
      operator: { type: 'string' },
      region: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
  });
  if (!values.app) throw new Error('usage: npm run token -- --app <appId> [--operator <id>] [--region <code>] [--ttl <duration>]');
  if (values.region !== undefined && !/^\d{2,6}$/.test(values.region)) throw new Error('--region must be a division code or its prefix, e.g. 44 or 440106');
  const keys = await ensureDevKeys(scriptEnvironment().dataDir);
  process.stdout.write(
    `${await mintAppToken(keys.appIssuerPrivate, {
      app: values.app,
      ttl: values.ttl,
      ...(values.operator !== undefined && { operator: values.operator }),
      ...(values.region !== undefined && { region: values.region }),
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
