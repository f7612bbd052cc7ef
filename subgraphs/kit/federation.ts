/**
 * What every department's schema starts with: the Federation 2 link, the `@sharing` directive that carries
 * the department's sharing classes into the supergraph, and the kit's scalars. A department's
 * `schema.graphql` holds only its own types; this header is added when the schema is loaded, so the
 * declarations exist once. The scalars are declared from the kit's own scalar types, so their
 * descriptions and `@specifiedBy` URLs reach the supergraph (and every app's introspection) as written there.
 */
import { readFileSync } from 'node:fs';
import { GraphQLError, Kind, isTypeDefinitionNode, isTypeExtensionNode, parse, printType, type DefinitionNode, type DocumentNode } from 'graphql';
import { SENSITIVITIES, SHARING_CLASSES, SHARING_DIRECTIVE, SHARING_SPEC_URL } from '../../contracts/sharing-class';
import { scalarResolvers } from './scalars/scalar-resolvers';

const FEDERATION_IMPORTS = [
  '@key', '@shareable', '@external', '@requires', '@provides', '@override', '@inaccessible',
  '@interfaceObject', '@composeDirective', '@tag',
];

export const SUBGRAPH_HEADER = `
extend schema
  @link(url: "https://specs.apollo.dev/federation/v2.5", import: ${JSON.stringify(FEDERATION_IMPORTS)})
  @link(url: "${SHARING_SPEC_URL}", import: ["@${SHARING_DIRECTIVE}"])
  @composeDirective(name: "@${SHARING_DIRECTIVE}")

"The owning department's sharing class and sensitivity for a field, or for every field of a type."
directive @${SHARING_DIRECTIVE}(class: SharingClass!, sensitivity: Sensitivity!) on FIELD_DEFINITION | OBJECT

"无条件共享 UNCONDITIONAL · 有条件共享 CONDITIONAL · 不予共享 NONE"
enum SharingClass { ${SHARING_CLASSES.join(' ')} }

enum Sensitivity { ${SENSITIVITIES.join(' ')} }

${Object.values(scalarResolvers).map((scalar) => printType(scalar)).join('\n\n')}
`;

const HEADER = parse(SUBGRAPH_HEADER);
// A schema that declares one of the header's directives again, or names a type with one of the
// supergraph's own prefixes, makes federation fail an internal assertion that names no schema.
const HEADER_DIRECTIVES = new Set(HEADER.definitions.flatMap((d) => (d.kind === Kind.DIRECTIVE_DEFINITION ? [d.name.value] : [])));
const RESERVED_PREFIX = /^(link|join|federation)__/;

/** Why a definition of the department's own schema cannot be composed, if it cannot. */
function reservedName(definition: DefinitionNode): string | undefined {
  if (definition.kind === Kind.DIRECTIVE_DEFINITION && HEADER_DIRECTIVES.has(definition.name.value)) {
    return `declares @${definition.name.value}, which the kit's header declares for every department: remove the declaration`;
  }
  if ((isTypeDefinitionNode(definition) || isTypeExtensionNode(definition)) && RESERVED_PREFIX.test(definition.name.value)) {
    return `names a type ${definition.name.value}: the prefixes link__, join__ and federation__ are the supergraph's own, so give the type a name of your own`;
  }
  return undefined;
}

/**
 * The department's schema file with the kit's header, as a document ready for buildSubgraphSchema. The
 * file is parsed on its own so that a syntax error names the file and its own line.
 */
export function loadSubgraphTypeDefs(schemaFile: string): DocumentNode {
  let own: DocumentNode;
  try {
    own = parse(readFileSync(schemaFile, 'utf8'));
  } catch (error) {
    const where = error instanceof GraphQLError && error.locations?.[0] ? `:${error.locations[0].line}:${error.locations[0].column}` : '';
    throw new Error(`${schemaFile}${where}: ${error instanceof GraphQLError ? error.message : String(error)}`);
  }
  for (const definition of own.definitions) {
    const problem = reservedName(definition);
    if (!problem) continue;
    const at = definition.loc ? `:${definition.loc.startToken.line}:${definition.loc.startToken.column}` : '';
    throw new Error(`${schemaFile}${at}: ${problem}`);
  }
  return { kind: Kind.DOCUMENT, definitions: [...HEADER.definitions, ...own.definitions] };
}
