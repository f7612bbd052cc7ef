/** The reference deployment: the five departments and the audit service this repository ships, in port order. */
import { audit } from '../subgraphs/audit';
import { cityOperations } from '../subgraphs/city-operations';
import { civilAffairs } from '../subgraphs/civil-affairs';
import type { Department } from '../subgraphs/kit/department';
import { marketRegulation } from '../subgraphs/market-regulation';
import { publicSecurity } from '../subgraphs/public-security';
import { serviceHall } from '../subgraphs/service-hall';

// Each department has its own database, store and loader types; the launcher drives only what they share.
export type AnyDepartment = Department<any, any, any>;

export const DEPARTMENTS: readonly AnyDepartment[] = [publicSecurity, marketRegulation, civilAffairs, serviceHall, cityOperations, audit];

export function departmentUrl(department: AnyDepartment, host = '127.0.0.1', port = department.defaultPort): string {
  return `http://${host}:${port}/graphql`;
}
