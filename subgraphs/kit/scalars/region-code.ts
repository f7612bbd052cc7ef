import { regionCodeProblem } from '../identifiers/region-code';
import { identifierScalar } from './identifier-scalar';

export const RegionCode = identifierScalar({
  name: 'RegionCode',
  description:
    '行政区划代码: a 6-digit administrative division code (GB/T 2260), a JSON string; 440000 is a province, 440100 a city, 440106 a district.',
  specifiedByURL: 'https://openstd.samr.gov.cn/bzgk/gb/newGbInfo?hcno=C9C488FD717AFDCD52157F41C3302C6D',
  label: 'division code (GB/T 2260)',
  problem: regionCodeProblem,
});
