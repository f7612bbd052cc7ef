/**
 * The shape of a data-sharing contract: one YAML file per consuming app, what an auditor reads.
 * Structural rules live here; rules that need the supergraph (does the field exist, what is its sharing
 * class) are in check-contracts.ts.
 */
import { z } from 'zod';
import { HEADER_CODE } from './caller';
import { MASK_PROFILES } from './masking';
import { webOrigin } from './web-origin';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a calendar date');

/** A field (`Person.name`), an input field (`SubmitApplicationInput.applicant`) or an argument (`Query.person(idNumber:)`). */
export const COORDINATE = /^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*(\([A-Za-z_][A-Za-z0-9_]*:\))?$/;
const coordinate = z.string().regex(COORDINATE, 'must be a field coordinate such as Person.name, or an argument coordinate such as Query.person(idNumber:)');

const grant = z.union([
  coordinate,
  z.object({ field: coordinate, mask: z.enum(MASK_PROFILES) }).strict(),
]);

export const purposeSchema = z
  .object({
    code: z.string().regex(HEADER_CODE, 'must be a short code of letters, digits and . _ : -'),
    description: z.string().min(1),
    legalBasis: z.string().min(1).optional(),
    /** The request must name (X-Case-Id) an open case whose subject is the data subject. */
    caseRequired: z.boolean().default(false),
    /** Rows of data subjects only when the subject is the operator the app acts for (the citizen's own data). */
    subjectIsOperator: z.boolean().default(false),
    /** False for purposes a data subject is not told about (e.g. an investigation); auditors always see them. */
    discloseToSubject: z.boolean().default(true),
    validFrom: isoDate.optional(),
    validUntil: isoDate.optional(),
    grants: z.array(grant).min(1, 'grants at least one field'),
  })
  .strict();

/** A contract's fields, before the checks across them. */
export const contractFields = z
  .object({
    app: z.string().regex(HEADER_CODE, 'must be an app id of letters, digits and . _ : -'),
    name: z.string().min(1),
    owner: z.string().min(1),
    contact: z.object({ name: z.string().min(1), phone: z.string().optional(), email: z.string().optional() }).strict(),
    /** The legal basis of every purpose that does not state its own. */
    legalBasis: z.string().min(1).optional(),
    /**
     * One of the platform's own apps (the gateway's case lookup, a department reading through the gateway):
     * its identity is usable only from inside — the gateway refuses the public identity provider's tokens
     * for it, and accepts only the platform issuer's (THREATS I4).
     */
    internal: z.boolean().optional(),
    /** Rows limited to a region: a division code prefix such as "44" or "4401". */
    region: z.string().regex(/^\d{2,6}$/, 'must be a division code or its prefix').optional(),
    validFrom: isoDate,
    validUntil: isoDate,
    approvedBy: z.string().min(1),
    approvedOn: isoDate,
    /** How much the app may ask per minute; the platform's default applies when absent. */
    limits: z
      .object({ requestsPerMinute: z.number().int().positive(), costPerMinute: z.number().int().positive() })
      .strict()
      .optional(),
    purposes: z.array(purposeSchema).min(1, 'names at least one purpose'),
    /**
     * Persisted operations (THREATS G24): when `persistedOnly` is set, the app may send only these exact
     * operation texts, each identified by the SHA-256 of its text and tied to a purpose of the contract.
     */
    persistedOnly: z.boolean().default(false),
    operations: z
      .array(z.object({ name: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'), purpose: z.string().min(1) }).strict())
      .default([]),
    /**
     * The exact web origins the app's browser pages are served from (`https://portal.example.gov.cn`): the
     * gateway answers CORS for them (gateway/cors.ts, THREATS G26). None: the app calls from a server.
     */
    origins: z.array(webOrigin).optional(),
  })
  .strict();

export const contractSchema = contractFields
  // The platform's own apps are usable only from inside (THREATS I4): no browser page is inside.
  .refine((contract) => !(contract.internal && contract.origins?.length), { path: ['origins'], message: 'an internal app is called only from inside the platform, never from a browser page' });

export type ContractDocument = z.infer<typeof contractSchema>;
export type PurposeDocument = ContractDocument['purposes'][number];
export type GrantDocument = PurposeDocument['grants'][number];

export function grantCoordinate(grant: GrantDocument): string {
  return typeof grant === 'string' ? grant : grant.field;
}

export function grantMask(grant: GrantDocument): (typeof MASK_PROFILES)[number] | undefined {
  return typeof grant === 'string' ? undefined : grant.mask;
}
