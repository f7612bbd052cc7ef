/**
 * What the platform must know about a deployment's graph to enforce row rules, kept beside the contracts
 * (`contracts/platform.yaml`) so the gateway itself names no type or field.
 */
import { z } from 'zod';
import { SHARING_CLASSES } from './sharing-class';

const fieldPath = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'must be a field path such as household.regionCode');
const typeName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/);
/** One path, or a list of them; always read as a list. */
const fieldPaths = z.union([fieldPath, z.array(fieldPath).min(1)]).transform((p) => (Array.isArray(p) ? p : [p]));

const characters = z
  .string()
  .regex(/^\d+(-\d+)?$/, 'must be a character position or range such as 7-14')
  .transform((range) => {
    const [from, to = from] = range.split('-').map(Number) as [number, number?];
    return Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
  });

/**
 * What the characters of an identifier encode, and where the graph carries the same fact: a path from the
 * identifier's type (`birthDate`, `household.regionCode`). A mask that hides those characters hides
 * nothing from an app also granted that path (`contracts check` refuses such a contract).
 */
const identifierParts = z
  .object({
    length: z.number().int().positive(),
    /** A character computed from all the others (a check digit): one unknown character besides it is recovered from it. */
    checkCharacter: z.number().int().positive().optional(),
    parts: z.array(z.object({ characters, field: fieldPath }).strict()).min(1),
  })
  .strict();

const coordinate = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'must be a field coordinate such as Person.idNumber');

/**
 * Fields computed from all of a row's sealed fields (a signature over their digests, the sealed file): with
 * the issuer's public key, whoever reads one can test a guess of any sealed field against it offline. Paths
 * from the sealed type; a field of an object or union type stands for every field under it.
 */
const seal = z
  .object({
    /** The fields computed from the sealed ones: `seal.signature`, `document`. */
    sealedIn: z.array(fieldPath).min(1),
    /** The sealed fields an app must be granted beside them (`data`: every field of every kind). */
    fields: z.array(fieldPath).min(1),
    /** The subject keys the seal also covers (the holder's): no mask on them can stand beside the seal. */
    keys: z.array(coordinate).default([]),
  })
  .strict();

export const platformSchema = z
  .object({
    /** How a field whose department declared no sharing class is treated: never as open by default. */
    undeclaredSharingClass: z.enum(SHARING_CLASSES).default('CONDITIONAL'),
    /**
     * Where each region-bound type keeps its division code, e.g. Person: household.regionCode; a list when a
     * row belongs to several regions (an application: where it was accepted and where it is handled).
     */
    regionOf: z.record(typeName, fieldPaths).default({}),
    /** What identifiers encode, by field coordinate (e.g. Person.idNumber: its birth date in characters 7–14). */
    identifierParts: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'must be a field coordinate'), identifierParts).default({}),
    /** What each sealed type's seal is computed from, by type (e.g. Certificate). */
    seals: z.record(typeName, seal).default({}),
    /**
     * Fields that carry a datum held natively elsewhere (a certificate's data copies the registers), each with
     * the path to where it is held natively from the type that holds it, e.g.
     * BusinessLicenceData.legalRepresentativeName: Enterprise.legalRepresentative.name. The datum is the
     * path's last field; an edge on the way to a subject type makes it that other row's datum.
     */
    sameDatum: z
      .record(coordinate, z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/, 'must be a type and a path from it, such as Enterprise.legalRepresentative.name'))
      .default({}),
    /** The key that identifies a data subject of each type, e.g. Person: idNumber. */
    subjectKeys: z.record(typeName, z.string()).default({}),
    /**
     * Arguments and input fields typed `String` that carry a subject's key all the same (one that takes an ID
     * number or a credit code can be typed as neither), with the subject types whose keys they take. Each is
     * a subject argument like one typed as a key: granted by its coordinate, bound to the operator or the
     * case, and recorded as a read of the subject it names.
     */
    subjectArguments: z
      .record(
        z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*(\([A-Za-z_][A-Za-z0-9_]*:\))?$/, 'must be an argument or input field coordinate such as Query.auditRecords(subject:)'),
        z.array(typeName).min(1),
      )
      .default({}),
    /**
     * How often one operation may ask for a field (THREATS G4, G6): e.g. Query.person: 5 stops enumerating
     * identities with aliases in a single request.
     */
    perOperation: z.record(z.string(), z.number().int().positive()).default({}),
    /** Rate limits for apps whose contract sets none. */
    defaultLimits: z
      .object({ requestsPerMinute: z.number().int().positive(), costPerMinute: z.number().int().positive() })
      .strict()
      .default({ requestsPerMinute: 600, costPerMinute: 60_000 }),
    /** The subject type whose key an app's token names as its operator (the citizen a portal acts for). */
    operatorSubject: typeName.optional(),
    /**
     * Rows that belong to an operator subject without being one, with the path to that subject's key (an
     * application: its applicant's idNumber); a list when a row belongs to several (an enterprise's licence:
     * its holder and its legal representative). The operator rule ("the citizen's own data") lets such a row
     * through when any of them is the operator, and every one is a subject of the row in the audit, wherever
     * it is read: under the subject, at the root of a query or in a mutation's result.
     */
    ownerOf: z.record(typeName, fieldPaths).default({}),
    /** How to look up a case (X-Case-Id) and whom it concerns. */
    cases: z
      .object({
        app: z.string().min(1),
        purpose: z.string().min(1),
        query: z.string().min(1),
        type: typeName,
        key: z.string().min(1),
        statusField: z.string().min(1),
        openStatuses: z.array(z.string()).min(1),
        /** The types whose rows a case-bound grant limits to the case (default: every subject type and the case type). */
        binds: z.array(typeName).optional(),
        /** The fields that open a case (a mutation that creates one): no contract with a case-bound purpose may hold them. */
        openedBy: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$/, 'must be a field coordinate such as Mutation.submitApplication')).default([]),
      })
      .strict()
      .optional(),
  })
  .strict()
  // The operator rule compares a row's subject key with the token's operator: a type with no subject key would get no operator rule at all.
  .refine((platform) => platform.operatorSubject === undefined || platform.operatorSubject in platform.subjectKeys, {
    message: 'operatorSubject must be one of the types in subjectKeys',
    path: ['operatorSubject'],
  })
  .refine((platform) => Object.values(platform.subjectArguments).every((types) => types.every((type) => type in platform.subjectKeys)), {
    message: 'subjectArguments may name only types in subjectKeys',
    path: ['subjectArguments'],
  })
  .refine((platform) => Object.values(platform.seals).every((s) => s.keys.every((key) => platform.subjectKeys[key.split('.')[0]!] === key.split('.')[1])), {
    message: 'seals: keys may name only the subject keys in subjectKeys (Person.idNumber)',
    path: ['seals'],
  });

export type Platform = z.infer<typeof platformSchema>;

/** The types whose rows a case-bound grant limits to the case: as listed, else every subject type and the case itself. */
export function caseBinds(platform: Pick<Platform, 'cases' | 'subjectKeys'>): ReadonlySet<string> {
  return new Set(platform.cases?.binds ?? [...Object.keys(platform.subjectKeys), ...(platform.cases ? [platform.cases.type] : [])]);
}
