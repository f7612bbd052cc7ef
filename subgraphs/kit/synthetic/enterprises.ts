/**
 * The synthetic legal entities (法人库): enterprises and individual businesses with valid GB 32100 codes,
 * each with a legal representative drawn from the synthetic population.
 */
import { CREDIT_CODE_CHARSET, creditCodeCheckCharacter, organisationCodeCheckCharacter } from '../identifiers/credit-code';
import { dayFromReference } from './calendar';
import { INDUSTRIES, tradeName } from './names';
import { ageOnReference, type Population } from './population';
import { Random } from './random';
import { DISTRICTS, districtByCode, districtFullName } from './regions';

export type EnterpriseStatus = 'ACTIVE' | 'REVOKED' | 'CANCELLED';

export interface SyntheticEnterprise {
  creditCode: string;
  name: string;
  kind: string;
  status: EnterpriseStatus;
  /** In units of 10,000 yuan (万元), as registered. */
  registeredCapital: number;
  establishedOn: string;
  address: string;
  regionCode: string;
  businessScope: string;
  industry: string;
  legalRepresentative: string;
}

/** GB 11714 organisation codes for new registrations begin with "MA"; the rest encodes the index. */
function organisationCode(index: number): string {
  let body = '';
  let rest = (index * 7919 + 104729) % 31 ** 6;
  for (let i = 0; i < 6; i++) {
    body = CREDIT_CODE_CHARSET[rest % 31]! + body;
    rest = Math.floor(rest / 31);
  }
  const first8 = `MA${body}`;
  return first8 + organisationCodeCheckCharacter(first8);
}

export function creditCode(entityType: '91' | '92', regionCode: string, index: number): string {
  const first17 = entityType + regionCode + organisationCode(index);
  return first17 + creditCodeCheckCharacter(first17);
}

export function buildEnterprises(population: Population, count: number, seed = 32100): SyntheticEnterprise[] {
  const random = new Random(seed);
  const adults = population.persons.filter((p) => ageOnReference(p.birthDate) >= 25 && ageOnReference(p.birthDate) <= 70);
  if (adults.length === 0) throw new Error('the population has no adults to be legal representatives');
  const usedNames = new Set<string>();
  const enterprises: SyntheticEnterprise[] = [];
  for (let index = 0; index < count; index++) {
    const representative = random.pick(adults);
    const district = random.chance(0.8) ? districtByCode(representative.regionCode) : random.pick(DISTRICTS);
    const [industryWord, scope] = random.pick(INDUSTRIES);
    const individual = random.chance(0.12);
    let name: string;
    do {
      const trade = tradeName(random);
      name = individual
        ? `${district.name}${trade}${industryWord}${random.pick(['店', '经营部', '工作室'])}`
        : `${district.cityShort}${trade}${industryWord}${random.pick(['有限公司', '有限公司', '股份有限公司'])}`;
      if (usedNames.has(name)) name = '';
    } while (!name);
    usedNames.add(name);
    enterprises.push({
      creditCode: creditCode(individual ? '92' : '91', district.code, index),
      name,
      kind: individual ? '个体工商户' : name.endsWith('股份有限公司') ? '股份有限公司' : '有限责任公司',
      status: random.weighted([['ACTIVE', 85], ['REVOKED', 6], ['CANCELLED', 9]] as const),
      registeredCapital: individual ? random.int(1, 50) : random.pick([10, 50, 100, 200, 500, 1000, 3000, 5000, 10000]),
      establishedOn: dayFromReference(-random.int(60, 25 * 365)),
      address: `${districtFullName(district)}${random.pick(district.streets)}${random.int(1, 999)}号`,
      regionCode: district.code,
      businessScope: `${scope}；${random.pick(['技术咨询', '企业管理咨询', '会议及展览服务', '货物进出口'])}（依法须经批准的项目，经相关部门批准后方可开展经营活动）`,
      industry: industryWord,
      legalRepresentative: representative.idNumber,
    });
  }
  return enterprises;
}
