/**
 * The service catalogue 事项清单 the service hall publishes (a selection of real national items): for each,
 * the competent department, the modes it may be handled in, the data it needs from other departments
 * (field coordinates, read through the graph at submission), the certificates it relies on, whether its
 * rules may approve it at once (秒批), and its legal basis.
 */
export type ServiceMode = 'FULL_ONLINE' | 'PROXY' | 'MULTI_SITE';

/** The kinds of electronic certificate 电子证照 the certificate library holds (its `CertificateKind`). */
export type CertificateKind = 'RESIDENT_ID_CARD' | 'HOUSEHOLD_REGISTER' | 'MARRIAGE_CERTIFICATE' | 'BUSINESS_LICENCE' | 'SUBSISTENCE_ALLOWANCE_CERTIFICATE';

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
  /**
   * Certificates read from the certificate library instead of uploaded (免提交): a person's kinds held by
   * the applicant, a BUSINESS_LICENCE by the enterprise applied for. A 居民户口簿 is held by the household
   * head, whom another member's case does not open: only items a head files for the household require it.
   */
  requiredCertificates: CertificateKind[];
  /**
   * 秒批: when every pre-review check passes, the rules approve at submission and no person takes the
   * decision, unless the applicant asks for one. Only for items whose conditions the departments' records
   * settle, so that a yes needs no judgement.
   */
  automaticApproval: boolean;
  /** The certificate delivering an approved application issues (颁证送达), if any. */
  issuesCertificate?: CertificateKind;
}

const PERSON = ['Query.person', 'Person.name', 'Person.gender', 'Person.birthDate', 'Person.household', 'Household.address', 'Household.regionCode'];

export const SERVICE_ITEMS: readonly ServiceItemRow[] = [
  {
    code: 'SC-QYKB-001', name: '企业开办', department: '市场监管', modes: ['FULL_ONLINE', 'PROXY'], concernsEnterprise: false,
    legalBasis: '《中华人民共和国市场主体登记管理条例》第三条',
    requiredData: [...PERSON, 'Person.enterprises', 'Enterprise.status', 'Query.enterpriseByName'],
    requiredCertificates: ['RESIDENT_ID_CARD'], automaticApproval: false, issuesCertificate: 'BUSINESS_LICENCE',
  },
  {
    // 秒批: registration is a check of form (《市场主体登记管理条例》第十九条: complete materials in lawful
    // form are registered on the spot); the one bar the records show is a revoked enterprise represented.
    code: 'SC-GTDJ-002', name: '个体工商户登记', department: '市场监管', modes: ['FULL_ONLINE', 'PROXY'], concernsEnterprise: false,
    legalBasis: '《促进个体工商户发展条例》第十条',
    requiredData: [...PERSON, 'Person.enterprises', 'Enterprise.status'],
    requiredCertificates: ['RESIDENT_ID_CARD'], automaticApproval: true,
  },
  {
    code: 'SC-ZZBG-003', name: '营业执照变更登记', department: '市场监管', modes: ['FULL_ONLINE', 'PROXY'], concernsEnterprise: true,
    legalBasis: '《中华人民共和国市场主体登记管理条例》第二十四条',
    requiredData: [...PERSON, 'Person.enterprises', 'Enterprise.creditCode', 'Enterprise.status'],
    requiredCertificates: ['RESIDENT_ID_CARD', 'BUSINESS_LICENCE'], automaticApproval: false, issuesCertificate: 'BUSINESS_LICENCE',
  },
  {
    // Filed for the household by its head (户主), who holds the household register.
    code: 'MZ-DBSQ-004', name: '最低生活保障申请', department: '民政', modes: ['PROXY', 'MULTI_SITE'], concernsEnterprise: false,
    legalBasis: '《社会救助暂行办法》第十一条',
    requiredData: [...PERSON, 'Person.enterprises', 'Enterprise.status', 'Enterprise.registeredCapital'],
    requiredCertificates: ['RESIDENT_ID_CARD', 'HOUSEHOLD_REGISTER'], automaticApproval: false,
  },
  {
    // 秒批: an appointment, settled by the marriage register alone; both parties still appear in person
    // before the registrar on the day (《婚姻登记条例》第四条), who decides the registration itself.
    code: 'MZ-HYYY-005', name: '婚姻登记预约', department: '民政', modes: ['FULL_ONLINE'], concernsEnterprise: false,
    legalBasis: '《婚姻登记条例》第四条',
    requiredData: [...PERSON, 'Person.maritalStatus'],
    requiredCertificates: ['RESIDENT_ID_CARD'], automaticApproval: true,
  },
  {
    code: 'GA-HKQY-006', name: '户口迁移', department: '公安', modes: ['PROXY', 'MULTI_SITE'], concernsEnterprise: false,
    legalBasis: '《中华人民共和国户口登记条例》第十条',
    requiredData: [...PERSON, 'Person.registrationStatus'],
    requiredCertificates: ['RESIDENT_ID_CARD'], automaticApproval: false,
  },
  {
    code: 'ZW-DZZZ-007', name: '电子证照签发', department: '政务服务', modes: ['FULL_ONLINE'], concernsEnterprise: false,
    legalBasis: '《国务院关于在线政务服务的若干规定》第九条',
    requiredData: [...PERSON],
    requiredCertificates: ['RESIDENT_ID_CARD'], automaticApproval: false,
  },
  {
    code: 'CY-SJSB-008', name: '城市事件上报', department: '城市运行', modes: ['FULL_ONLINE'], concernsEnterprise: false,
    legalBasis: '《国务院关于加强数字政府建设的指导意见》',
    requiredData: ['Query.person', 'Person.name'],
    requiredCertificates: [], automaticApproval: false,
  },
];

export function serviceItem(code: string): ServiceItemRow | undefined {
  return SERVICE_ITEMS.find((item) => item.code === code);
}
