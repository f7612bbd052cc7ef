/**
 * What a department needs of the contracts to enforce them itself, and nothing more (docs/departments.md,
 * "What the platform hands back"): for each app granted some of the department's own fields, the app, its
 * region and validity, and the purposes that grant those fields with their conditions (case, operator),
 * validity and masks. No other department's fields, no app granted none of its fields, no names, owners,
 * contacts, legal bases or limits: a department from another organisation learns only who may read what
 * of its own data.
 */
import { getNamedType, isInputObjectType, isInterfaceType, isObjectType, type GraphQLInputObjectType } from 'graphql';
import { z } from 'zod';
import { contractFields, grantCoordinate, purposeSchema, type ContractDocument } from './contract-schema';
import type { Catalog } from './supergraph-catalog';

const enforcedPurpose = purposeSchema.pick({ code: true, caseRequired: true, subjectIsOperator: true, validFrom: true, validUntil: true, grants: true }).strict();
const enforcedContract = contractFields.pick({ app: true, region: true, validFrom: true, validUntil: true }).extend({ purposes: z.array(enforcedPurpose).min(1) }).strict();

export const departmentExtractSchema = z
  .object({
    /** The department the extract was made for: another refuses to load it. */
    department: z.string().min(1),
    contracts: z.array(enforcedContract),
  })
  .strict();

/** The part of a contract a department enforces; a whole contract is one too. */
export type EnforcedContract = z.infer<typeof enforcedContract>;
export type DepartmentExtract = z.infer<typeof departmentExtractSchema>;

/** The file a department finds its extract in, inside its CONTRACTS_DIR. */
export const EXTRACT_FILE = 'contracts-extract.json';

/**
 * The coordinates a department answers for: the fields the supergraph attributes to it (an entity's key
 * to its owner alone: an extender serves it to any caller granted a field of the row, never by its grant),
 * their arguments, and the fields of the input types those arguments take.
 */
export function departmentCoordinates(catalog: Catalog, department: string): Set<string> {
  const own = new Set<string>();
  const addInput = (type: GraphQLInputObjectType): void => {
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (own.has(coordinate)) continue;
      own.add(coordinate);
      const named = getNamedType(field.type);
      if (isInputObjectType(named)) addInput(named);
    }
  };
  for (const facts of catalog.fields.values()) {
    if (!facts.subgraphs.includes(department)) continue;
    own.add(facts.coordinate);
    const type = catalog.apiSchema.getType(facts.type);
    const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[facts.field] : undefined;
    for (const argument of field?.args ?? []) {
      own.add(`${facts.coordinate}(${argument.name}:)`);
      const named = getNamedType(argument.type);
      if (isInputObjectType(named)) addInput(named);
    }
  }
  return own;
}

export function extractForDepartment(contracts: readonly ContractDocument[], catalog: Catalog, department: string): DepartmentExtract {
  if (!catalog.subgraphs.includes(department)) throw new Error(`${department} is not a department of the supergraph (its departments: ${catalog.subgraphs.join(', ')})`);
  const own = departmentCoordinates(catalog, department);
  const extracted: EnforcedContract[] = [];
  for (const contract of [...contracts].sort((a, b) => a.app.localeCompare(b.app))) {
    const purposes = contract.purposes
      .map((p) => ({
        code: p.code,
        caseRequired: p.caseRequired,
        subjectIsOperator: p.subjectIsOperator,
        ...(p.validFrom !== undefined && { validFrom: p.validFrom }),
        ...(p.validUntil !== undefined && { validUntil: p.validUntil }),
        grants: p.grants.filter((g) => own.has(grantCoordinate(g))),
      }))
      .filter((p) => p.grants.length > 0);
    if (purposes.length === 0) continue;
    extracted.push({ app: contract.app, ...(contract.region !== undefined && { region: contract.region }), validFrom: contract.validFrom, validUntil: contract.validUntil, purposes });
  }
  return { department, contracts: extracted };
}
