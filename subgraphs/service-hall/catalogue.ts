/**
 * The service catalogue 事项清单 the service hall publishes (a selection of real national items): for each,
 * the competent department, the modes it may be handled in, the data it needs from other departments
 * (field coordinates, read through the graph at submission) and its legal basis.
 */
export type ServiceMode = 'FULL_ONLINE' | 'PROXY' | 'MULTI_SITE';

export interface ServiceItemRow {
  code: string;
  name: string;
  department: string;
  modes: ServiceMode[];
  legalBasis: string;
  /** Whether an application for this item concerns an enterprise. */
  concernsEnterprise: boolean;
  /** What the item reads from other departments to prefill and pre-review, as field coordinates. */
  requiredData: string[];
}

const PERSON = ['Query.person', 'Person.name', 'Person.gender', 'Person.birthDate', 'Person.household', 'Household.address', 'Household.regionCode'];

export const SERVICE_ITEMS: readonly ServiceItemRow[] = [
  {
    code: 'SC-QYKB-001', name: '企业开办', department: '市场监管', modes: ['FULL_ONLINE', 'PROXY'], concernsEnterprise: false,
    legalBasis: '《中华人民共和国市场主体登记管理条例》第三条',
    requiredData: [...PERSON, 'Person.enterprises', 'Enterprise.status', 'Query.enterpriseByName'],
  },
  {
    code: 'SC-GTDJ-002', name: '个体工商户登记', department: '市场监管', modes: ['FULL_ONLINE', 'PROXY'], concernsEnterprise: false,
    legalBasis: '《促进个体工商户发展条例》第十条',
    requiredData: [...PERSON, 'Person.enterprises', 'Enterprise.status'],
  },
  {
    code: 'SC-ZZBG-003', name: '营业执照变更登记', department: '市场监管', modes: ['FULL_ONLINE', 'PROXY'], concernsEnterprise: true,
    legalBasis: '《中华人民共和国市场主体登记管理条例》第二十四条',
    requiredData: [...PERSON, 'Person.enterprises', 'Enterprise.creditCode', 'Enterprise.status'],
  },
  {
    code: 'MZ-DBSQ-004', name: '最低生活保障申请', department: '民政', modes: ['PROXY', 'MULTI_SITE'], concernsEnterprise: false,
    legalBasis: '《社会救助暂行办法》第十一条',
    requiredData: [...PERSON, 'Person.enterprises', 'Enterprise.status', 'Enterprise.registeredCapital'],
  },
  {
    code: 'MZ-HYYY-005', name: '婚姻登记预约', department: '民政', modes: ['FULL_ONLINE'], concernsEnterprise: false,
    legalBasis: '《婚姻登记条例》第四条',
    requiredData: [...PERSON, 'Person.maritalStatus'],
  },
  {
    code: 'GA-HKQY-006', name: '户口迁移', department: '公安', modes: ['PROXY', 'MULTI_SITE'], concernsEnterprise: false,
    legalBasis: '《中华人民共和国户口登记条例》第十条',
    requiredData: [...PERSON, 'Person.registrationStatus'],
  },
  {
    code: 'ZW-DZZZ-007', name: '电子证照签发', department: '政务服务', modes: ['FULL_ONLINE'], concernsEnterprise: false,
    legalBasis: '《国务院关于在线政务服务的若干规定》第九条',
    requiredData: [...PERSON],
  },
  {
    code: 'CY-SJSB-008', name: '城市事件上报', department: '城市运行', modes: ['FULL_ONLINE'], concernsEnterprise: false,
    legalBasis: '《国务院关于加强数字政府建设的指导意见》',
    requiredData: ['Query.person', 'Person.name'],
  },
];

export function serviceItem(code: string): ServiceItemRow | undefined {
  return SERVICE_ITEMS.find((item) => item.code === code);
}
