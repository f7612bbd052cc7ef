/** The service catalogue 事项清单 the service hall publishes (a selection of real national items). */
export interface ServiceItemRow {
  code: string;
  name: string;
  department: string;
  modes: Array<'FULLY_ONLINE' | 'COLLECT_AND_FORWARD' | 'JOINT_HANDLING'>;
  legalBasis: string;
  /** Whether an application for this item concerns an enterprise. */
  concernsEnterprise: boolean;
}

export const SERVICE_ITEMS: readonly ServiceItemRow[] = [
  { code: 'SC-QYKB-001', name: '企业开办', department: '市场监管', modes: ['FULLY_ONLINE'], legalBasis: '《中华人民共和国市场主体登记管理条例》第三条', concernsEnterprise: true },
  { code: 'SC-GTDJ-002', name: '个体工商户登记', department: '市场监管', modes: ['FULLY_ONLINE', 'COLLECT_AND_FORWARD'], legalBasis: '《促进个体工商户发展条例》第十条', concernsEnterprise: true },
  { code: 'SC-ZZBG-003', name: '营业执照变更登记', department: '市场监管', modes: ['FULLY_ONLINE', 'COLLECT_AND_FORWARD'], legalBasis: '《中华人民共和国市场主体登记管理条例》第二十四条', concernsEnterprise: true },
  { code: 'MZ-DBSQ-004', name: '最低生活保障申请', department: '民政', modes: ['COLLECT_AND_FORWARD', 'JOINT_HANDLING'], legalBasis: '《社会救助暂行办法》第十一条', concernsEnterprise: false },
  { code: 'MZ-HYYY-005', name: '婚姻登记预约', department: '民政', modes: ['FULLY_ONLINE'], legalBasis: '《婚姻登记条例》第四条', concernsEnterprise: false },
  { code: 'GA-HKQY-006', name: '户口迁移', department: '公安', modes: ['FULLY_ONLINE', 'JOINT_HANDLING'], legalBasis: '《中华人民共和国户口登记条例》第十条', concernsEnterprise: false },
  { code: 'ZW-DZZZ-007', name: '电子证照签发', department: '政务服务', modes: ['FULLY_ONLINE'], legalBasis: '《国务院关于在线政务服务的若干规定》第九条', concernsEnterprise: false },
  { code: 'CY-SJSB-008', name: '城市事件上报', department: '城市运行', modes: ['FULLY_ONLINE'], legalBasis: '《国务院关于加强数字政府建设的指导意见》', concernsEnterprise: false },
];
