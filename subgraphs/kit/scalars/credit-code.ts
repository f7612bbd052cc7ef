import { creditCodeProblem } from '../identifiers/credit-code';
import { identifierScalar } from './identifier-scalar';

export const CreditCode = identifierScalar({
  name: 'CreditCode',
  description:
    '统一社会信用代码: an 18-character unified social credit code (GB 32100), a JSON string, validated with its check characters when given. ' +
    'A value a contract masks is served with `*` in place of the hidden characters, so it need not pass the check.',
  specifiedByURL: 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=24691C25985C1073D3A7C85629378AC0',
  label: 'unified social credit code (GB 32100)',
  problem: creditCodeProblem,
});
