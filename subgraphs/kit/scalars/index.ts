export { CreditCode } from './credit-code';
export { DateScalar, DateTime } from './date';
export { IdNumber } from './id-number';
export { RegionCode } from './region-code';
export { scalarResolvers } from './scalar-resolvers';
