/** The departments a supergraph names (its `join__Graph` enum), with their URLs after configured overrides. */
import { Kind, parse, type DocumentNode } from 'graphql';

export interface SubgraphEndpoint {
  name: string;
  url: string;
}

export function subgraphsOf(supergraph: DocumentNode, overrides: Readonly<Record<string, string>>): SubgraphEndpoint[] {
  const graphs = supergraph.definitions.find((d) => d.kind === Kind.ENUM_TYPE_DEFINITION && d.name.value === 'join__Graph');
  if (!graphs || graphs.kind !== Kind.ENUM_TYPE_DEFINITION) throw new Error('The supergraph has no join__Graph enum: is it a composed supergraph?');
  return (graphs.values ?? []).map((value) => {
    const directive = value.directives?.find((d) => d.name.value === 'join__graph');
    const argument = (name: string) => {
      const node = directive?.arguments?.find((a) => a.name.value === name)?.value;
      return node?.kind === Kind.STRING ? node.value : undefined;
    };
    const name = argument('name');
    const url = argument('url');
    if (!name || url === undefined) throw new Error(`The supergraph's graph ${value.name.value} has no name or url`);
    return { name, url: overrides[name] ?? url };
  });
}

export function parseSupergraph(sdl: string): DocumentNode {
  return parse(sdl);
}
