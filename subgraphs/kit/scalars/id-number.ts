import { idNumberProblem } from '../identifiers/id-number';
import { identifierScalar } from './identifier-scalar';

export const IdNumber = identifierScalar({
  name: 'IdNumber',
  description:
    '公民身份号码: an 18-character resident ID number (GB 11643), a JSON string, validated with its check character when given. ' +
    'A value a contract masks is served with `*` in place of the hidden characters (110105********1234), so it need not pass the check.',
  specifiedByURL: 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=080D6FBF2BB468F9007657F26D60013E',
  label: 'ID number (GB 11643)',
  problem: idNumberProblem,
});
