/** The access gates' typical operation: 30 fields from three departments, as market-supervision reads them. */
import { parse } from 'graphql';

export const TYPICAL = parse(`query Profile {
  enterprises(first: 20) { totalCount pageInfo { hasNextPage endCursor } nodes {
    creditCode name status registeredCapital regionCode
    licences { kind number validUntil status } penalties { decisionNumber amount }
    cityEvents { id category status dispatches { department deadline } }
    legalRepresentative { idNumber name phone } } }
}`);

export const TYPICAL_CALLER = { app: 'market-supervision', purpose: 'LEGAL_REPRESENTATIVE_CHECK', requestId: 'bench', regions: ['44'] };
