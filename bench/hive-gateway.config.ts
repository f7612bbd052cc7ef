/**
 * The Hive Gateway contender's configuration, read by its own CLI (`hive-gateway supergraph -c <this file>`),
 * run by compare-gateways.ts: SUBGRAPH_URLS, SIGNING_KEY_FILE, APP, PURPOSE. Like bare @apollo/gateway it
 * signs a department token per subgraph call, through GovGraph's own signer, bound to the request id it
 * sends, and does nothing else. Nothing is fetched from outside:
 * the supergraph is the local file given on the command line (which Hive watches rather than polls), and
 * no Hive registry, CDN or usage reporting is configured.
 */
import { createSubgraphTokenSigner } from '../gateway/subgraph-token-signer';

const env = process.env;
const urls = Object.fromEntries((env['SUBGRAPH_URLS'] ?? '').split(',').map((entry) => entry.split('=') as [string, string]));
const signer = createSubgraphTokenSigner({ signingKeyFile: env['SIGNING_KEY_FILE']!, ttlSeconds: 600 });
const caller = { app: env['APP']!, purpose: env['PURPOSE']!, requestId: 'bench' };

// A plain object rather than defineConfig(): importing Hive's types would make the repository's strict
// type check (skipLibCheck off) read Hive's whole dependency tree, whose declarations do not check.
export const gatewayConfig = {
  transportEntries: {
    ...Object.fromEntries(Object.entries(urls).map(([name, url]) => [name, { location: url }])),
    // Hive merges identical department calls in flight by default. Every client of a benchmark sends the
    // same query, so ten clients would be answered with one department call: no other contender does that,
    // and real traffic (different citizens, different enterprises) rarely allows it.
    '*.http': { options: { deduplicateInflightRequests: false } },
  },
  propagateHeaders: {
    fromClientToSubgraphs: async ({ subgraphName }: { subgraphName: string }) => ({ authorization: `Bearer ${await (await signer)(caller, subgraphName)}`, 'x-request-id': caller.requestId }),
  },
  // Hive would otherwise send each request's own id as X-Request-Id, over the propagated one the token is
  // bound to, and the departments would refuse every call.
  requestId: false,
  graphiql: false,
  landingPage: false,
};
