import { CreditCode } from './credit-code';
import { DateScalar, DateTime } from './date';
import { IdNumber } from './id-number';
import { RegionCode } from './region-code';

/** Resolvers for every scalar the kit defines, keyed by GraphQL name; every department spreads them in. */
export const scalarResolvers = { IdNumber, CreditCode, RegionCode, Date: DateScalar, DateTime };
