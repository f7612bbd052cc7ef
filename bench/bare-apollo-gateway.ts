/**
 * The baseline contender: @apollo/gateway with its defaults over the same supergraph, in a process of its
 * own. The departments only answer gateway-signed calls, so it signs one per call like GovGraph does —
 * and does nothing else: no app authentication, no access gates, no audit.
 * Run by compare-gateways.ts: PORT, SUPERGRAPH_FILE, SUBGRAPH_URLS, SIGNING_KEY_FILE, APP, PURPOSE, and
 * WORKERS (default 1): more than one runs that many node:cluster workers sharing the port.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';

async function main(): Promise<void> {
  const env = process.env;
  const urls = Object.fromEntries((env['SUBGRAPH_URLS'] ?? '').split(',').map((entry) => entry.split('=') as [string, string]));
  const sign = await createSubgraphTokenSigner({ signingKeyFile: env['SIGNING_KEY_FILE']!, ttlSeconds: 600 });
  const caller = { app: env['APP']!, purpose: env['PURPOSE']!, requestId: 'bench' };
  const gateway = new ApolloGateway({
    supergraphSdl: readFileSync(env['SUPERGRAPH_FILE']!, 'utf8'),
    buildService: ({ name, url }) =>
      new (class extends RemoteGraphQLDataSource {
        override async willSendRequest({ request }: GraphQLDataSourceProcessOptions) {
          request.http?.headers.set('authorization', `Bearer ${await sign(caller, name)}`);
          request.http?.headers.set('x-request-id', caller.requestId);
        }
      })({ url: urls[name] ?? url }),
  });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { port: Number(env['PORT']), host: '127.0.0.1' } });
}

const workers = Number(process.env['WORKERS'] ?? '1');
if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  // A worker that dies would leave the figures to the others: stop the whole gateway instead.
  cluster.on('exit', (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
