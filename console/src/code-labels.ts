/**
 * Codes the graph answers with, named in both languages. The server keeps codes (an error's
 * `extensions.code`, a mask profile, a condition, an indicator, a unit); the console says what they mean
 * in the language the user chose. A code with no label here is shown as the code itself.
 */
type Labels = Readonly<Record<string, readonly [zh: string, en: string]>>;

export const CODE_LABELS = {
  // gateway/errors.ts, the error catalogue.
  error: {
    UNAUTHENTICATED: ['令牌无效或已过期', 'no valid token'],
    FORBIDDEN: ['合同未授权', 'not granted by the contract'],
    PURPOSE_REQUIRED: ['需声明用途', 'purpose required'],
    CASE_REQUIRED: ['需声明在办案件', 'open case required'],
    BAD_USER_INPUT: ['输入有误', 'invalid input'],
    BAD_REQUEST: ['请求格式有误', 'malformed request'],
    GRAPHQL_PARSE_FAILED: ['查询语法有误', 'query syntax error'],
    GRAPHQL_VALIDATION_FAILED: ['查询不符合本应用模式', 'query not in the app’s schema'],
    LIMIT_EXCEEDED: ['查询超出限制', 'query over the limits'],
    PERSISTED_QUERY_NOT_FOUND: ['无此持久化查询', 'persisted query unknown'],
    RATE_LIMITED: ['超出请求额度', 'rate limited'],
    SUBGRAPH_UNAVAILABLE: ['部门未响应', 'department unavailable'],
    AUDIT_UNAVAILABLE: ['审计记录不可写', 'audit trail unavailable'],
    INTERNAL_SERVER_ERROR: ['内部错误', 'internal error'],
    NETWORK: ['无法连接网关', 'gateway unreachable'],
  },
  // contracts/masking.ts, MASK_PROFILES.
  mask: {
    ID_NUMBER: ['身份证号：显示前 6 位和后 4 位', 'ID number: first 6 and last 4 shown'],
    ID_NUMBER_STRICT: ['身份证号：仅显示首尾各 1 位', 'ID number: first and last character shown'],
    PHONE: ['手机号：显示前 3 位和后 4 位', 'Mobile number: first 3 and last 4 digits shown'],
    NAME: ['姓名：仅显示姓', 'Name: surname only'],
    ADDRESS_DISTRICT: ['地址：仅到区县', 'Address: up to the district'],
    CREDIT_CODE: ['信用代码：显示前 8 位和后 2 位', 'Credit code: first 8 and last 2 shown'],
  },
  // contracts/access-matrix.ts, GrantCondition.
  condition: {
    PURPOSE_STATED: ['须声明用途 (X-Purpose)', 'purpose stated (X-Purpose)'],
    CASE_REQUIRED: ['须有关于当事人的在办案件 (X-Case-Id)', 'open case about the data subject (X-Case-Id)'],
    OPERATOR_ONLY: ['仅限操作人本人的数据', 'the operator’s own data only'],
    REGION: ['仅限本区域的数据', 'rows in the contract’s region only'],
  },
  // contracts/sharing-class.ts, SENSITIVITIES.
  sensitivity: {
    PUBLIC: ['公开', 'public'],
    INTERNAL: ['内部', 'internal'],
    PERSONAL: ['个人信息', 'personal'],
    SENSITIVE: ['敏感个人信息', 'sensitive personal'],
  },
  // subgraphs/city-operations/indicators.ts.
  indicator: {
    OPEN_EVENTS: ['在办事件数', 'Open events'],
    OVERDUE_RATE: ['超期率', 'Overdue rate'],
    MEAN_HANDLING_HOURS: ['平均处置时长', 'Mean handling time'],
    EVENTS_PER_10K_RESIDENTS: ['每万人事件数', 'Events per 10,000 residents'],
  },
  unit: {
    events: ['件', 'events'],
    '%': ['%', '%'],
    hours: ['小时', 'hours'],
  },
  // A contract in a revision of the contract set (subgraphs/audit, RevisedContract.change).
  revision: {
    ADDED: ['新增合同', 'contract added'],
    CHANGED: ['合同修改', 'contract changed'],
    REMOVED: ['合同撤销', 'contract removed'],
  },
  // contracts/diff-contracts.ts, ChangeReason: a grant between two revisions.
  change: {
    ADDED_MASKED: ['新增（脱敏）', 'added, masked'],
    ADDED_RAW: ['新增（原文）', 'added, raw'],
    REMOVED: ['撤销', 'removed'],
    MASK_CHANGED: ['脱敏方式改变', 'mask changed'],
    MASK_REMOVED: ['取消脱敏', 'mask removed'],
    CASE_DROPPED: ['不再需要在办案件', 'no longer needs an open case'],
    OPERATOR_DROPPED: ['不再限于操作人本人的数据', 'no longer limited to the operator’s own data'],
    REGION_WIDENED: ['区域放宽', 'region widened'],
    VALIDITY_EXTENDED: ['有效期延长', 'validity extended'],
  },
} as const satisfies Record<string, Labels>;

export type CodeKind = keyof typeof CODE_LABELS;

export function codeLabel(kind: CodeKind, code: string, language: 'zh' | 'en'): string {
  const labels: Labels = CODE_LABELS[kind];
  return Object.hasOwn(labels, code) ? labels[code]![language === 'zh' ? 0 : 1] : code;
}
