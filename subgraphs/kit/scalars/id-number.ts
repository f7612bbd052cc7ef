import { idNumberProblem } from '../identifiers/id-number';
import { identifierScalar } from './identifier-scalar';

export const IdNumber = identifierScalar({
  name: 'IdNumber',
  description: '公民身份号码: an 18-character resident ID number (GB 11643), validated with its check character.',
  label: 'ID number (GB 11643)',
  problem: idNumberProblem,
});
