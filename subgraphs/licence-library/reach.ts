/**
 * Where a write in the library may land: the one reach every issue, status change and replacement is
 * held to. A write for an issuing department lands only in the caller's regions and the department's
 * jurisdiction (issuers.ts JURISDICTION) together; a caller whose contract and token name no region
 * writes in the department's jurisdiction, never everywhere (as a service hall desk acts only for the
 * region it serves). Both the issuing district and the holder's registration must lie there.
 */
import { withinRegions } from '@govgraph/department-kit';
import { JURISDICTION, type IssuingDepartment } from './issuers';

/**
 * The registering authority's division of an enterprise holder: characters 3–8 of its credit code
 * (GB 32100). A person holder has none that binds the write: an ID number's first six characters are
 * where the person was first registered, which stays with them when they move, so the issuing district
 * alone places a person's certificate.
 */
export function holderRegistration(holderType: 'Person' | 'Enterprise', holderKey: string): string | null {
  return holderType === 'Enterprise' ? holderKey.slice(2, 8) : null;
}

/** The region prefixes a write for the department must satisfy, every one of them: its jurisdiction and the caller's. */
function writeRegions(department: IssuingDepartment, callerRegions: readonly string[] | undefined): string[] {
  return [JURISDICTION[department], ...(callerRegions ?? [])];
}

/** Whether a write for the department may touch a certificate issued in `issuerRegion` to a holder registered in `registration`. */
export function writeReaches(department: IssuingDepartment, callerRegions: readonly string[] | undefined, issuerRegion: string, registration: string | null): boolean {
  const regions = writeRegions(department, callerRegions);
  return withinRegions(issuerRegion, regions) && (registration === null || withinRegions(registration, regions));
}
