import { creditCodeProblem } from '../identifiers/credit-code';
import { identifierScalar } from './identifier-scalar';

export const CreditCode = identifierScalar({
  name: 'CreditCode',
  description: '统一社会信用代码: an 18-character unified social credit code (GB 32100), validated with its check characters.',
  label: 'unified social credit code (GB 32100)',
  problem: creditCodeProblem,
});
