/**
 * The departments a supergraph names (its `join__Graph` enum), with their URLs after configured overrides
 * and the health URLs configured for them (gateway/readiness.ts).
 */
import { Kind, parse, type DocumentNode } from 'graphql';

export interface SubgraphEndpoint {
  name: string;
  url: string;
  /** Where its readiness is read instead of asking it a GraphQL question. */
  healthUrl?: string;
}

export function subgraphsOf(supergraph: DocumentNode, overrides: Readonly<Record<string, string>>, healthUrls: Readonly<Record<string, string>> = {}): SubgraphEndpoint[] {
  const graphs = supergraph.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');
  if (!graphs || graphs.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('The supergraph has no join__Graph enum: is it a composed supergraph?');
  const endpoints = (graphs.values ?? []).map((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const argument = (name: string) => {
      const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
      return node?.kind === Kind.STRING ? node.value : undefined;
    };
    const name = argument('name');
    const url = argument('url');
    if (!name || url === undefined) throw new Error(`The supergraph's graph ${value.name.value} has no name or url`);
    const healthUrl = healthUrls[name];
    return { name, url: overrides[name] ?? url, ...(healthUrl !== undefined && { healthUrl }) };
  });
  // A misspelt name would silently leave that subgraph to the GraphQL probe: say so at start-up instead.
  const unknown = Object.keys(healthUrls).filter((name) => !endpoints.some((e) => e.name === name));
  if (unknown.length > 0) {
    throw new Error(`SUBGRAPH_HEALTH_URLS names ${unknown.join(', ')}, which the supergraph does not: its subgraphs are ${endpoints.map((e) => e.name).join(', ')}`);
  }
  return endpoints;
}

export function parseSupergraph(sdl: string): DocumentNode {
  return parse(sdl);
}
