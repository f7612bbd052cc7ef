/**
 * Another deployment's graph, as the generic-gateway tests meet it: subgraph schemas in a fixture folder
 * (`<name>.graphql`), composed with @apollo/composition and served by plain @apollo/subgraph servers on
 * free loopback ports — not the kit: the gateway must work with any department's implementation.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { composeServices } from '@apollo/composition';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type DocumentNode } from 'graphql';

export interface ForeignGraph {
  urls: Record<string, string>;
  supergraph: string;
  /** Stops one subgraph; the others keep serving. */
  stopSubgraph(name: string): Promise<void>;
  stop(): Promise<void>;
}

function typeDefsOf(dir: string, name: string): DocumentNode {
  return parse(readFileSync(join(dir, `${name}.graphql`), 'utf8'));
}

/** The supergraph of the fixture's subgraphs (at the given URLs; placeholders by default). */
export function composeFixture(dir: string, names: readonly string[], urls: Readonly<Record<string, string>> = {}): string {
  const composed = composeServices(names.map((name) => ({ name, typeDefs: typeDefsOf(dir, name), url: urls[name] ?? `http://${name}.invalid/graphql` })));
  if (composed.errors) throw new Error(composed.errors.map((e) => e.message).join('\n'));
  return composed.supergraphSdl;
}

/** Serves each subgraph of the fixture with its resolvers, and composes the supergraph that names them. */
export async function startForeignGraph(dir: string, resolvers: Readonly<Record<string, object>>): Promise<ForeignGraph> {
  const servers = new Map<string, ApolloServer>();
  const urls: Record<string, string> = {};
  for (const [name, ownResolvers] of Object.entries(resolvers)) {
    const schema = buildSubgraphSchema([{ typeDefs: typeDefsOf(dir, name), resolvers: ownResolvers as never }]);
    const server = new ApolloServer({ schema, plugins: [ApolloServerPluginInlineTraceDisabled()] });
    const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
    servers.set(name, server);
    urls[name] = url;
  }
  const stopped = new Set<string>();
  const stopSubgraph = async (name: string) => {
    if (stopped.has(name)) return;
    stopped.add(name);
    await servers.get(name)!.stop();
  };
  return {
    urls,
    supergraph: composeFixture(dir, Object.keys(resolvers), urls),
    stopSubgraph,
    async stop() {
      for (const name of servers.keys()) await stopSubgraph(name);
    },
  };
}

/** A bare @apollo/gateway over the same supergraph: what a federation gateway without the gates answers. */
export async function startBareGateway(supergraph: string): Promise<{ url: string; stop(): Promise<void> }> {
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: supergraph }) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  return { url, stop: () => server.stop() };
}
