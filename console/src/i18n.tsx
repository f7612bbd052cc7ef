/** Chinese and English labels; the user switches between them and the choice is remembered. */
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { codeLabel, type CodeKind } from './code-labels';
import { formatTime } from './components/time-range';

export type Language = 'zh' | 'en';

const LABELS = {
  appTitle: ['GovGraph 控制台', 'GovGraph console'],
  skipToContent: ['跳到主要内容', 'Skip to main content'],
  language: ['English', '中文'],
  languageName: ['切换到英文', 'Switch to Chinese'],
  signIn: ['登录', 'Sign in'],
  signOut: ['退出', 'Sign out'],
  signInIntro: ['粘贴应用令牌。开发环境可用 npm run token -- --app auditor 生成。', 'Paste an app token. In development, mint one with npm run token -- --app auditor.'],
  token: ['应用令牌', 'App token'],
  notAToken: ['这不是有效的应用令牌（JWT）。', 'That is not an app token (a JWT).'],
  expired: ['令牌已过期，请重新生成。', 'The token has expired: mint a new one.'],
  signedInAs: ['应用', 'App'],
  expiresAt: ['令牌到期', 'Token expires'],
  purpose: ['用途 (X-Purpose)', 'Purpose (X-Purpose)'],
  noPurpose: ['（不声明用途）', '(no purpose stated)'],
  navigation: ['页面', 'Pages'],
  home: ['首页', 'Home'],
  matrix: ['访问矩阵', 'Access matrix'],
  history: ['合同历史', 'Contract history'],
  trail: ['审计记录', 'Audit trail'],
  charts: ['统计图表', 'Charts'],
  city: ['一屏 城市运行', 'One screen: city operations'],
  explorer: ['查询浏览器', 'Explorer'],
  homeIntro: ['控制台通过网关读取数据，以登录应用的合同为准，每次读取都会记入审计记录。', 'The console reads through the gateway under the signed-in app’s contract; every read is audited.'],
  loading: ['加载中…', 'Loading…'],
  error: ['出错', 'Error'],
  filter: ['筛选', 'Filter'],
  search: ['查询', 'Search'],
  all: ['全部', 'All'],
  app: ['应用', 'App'],
  department: ['部门', 'Department'],
  sharingClass: ['共享类型', 'Sharing class'],
  field: ['字段', 'Field'],
  sensitivity: ['敏感级别', 'Sensitivity'],
  legalBasis: ['法律依据', 'Legal basis'],
  condition: ['条件', 'Condition'],
  mask: ['脱敏', 'Mask'],
  expiringSoon: ['30 天内到期', 'expires within 30 days'],
  rows: ['行', 'rows'],
  exportCsv: ['导出 CSV', 'Export CSV'],
  exportJson: ['导出 JSON', 'Export JSON'],
  UNCONDITIONAL: ['无条件共享', 'Unconditional'],
  CONDITIONAL: ['有条件共享', 'Conditional'],
  NONE: ['不予共享', 'Not shared'],
  revisions: ['合同修订', 'Contract revisions'],
  fromRevision: ['从修订', 'From revision'],
  toRevision: ['到修订', 'To revision'],
  compare: ['比较', 'Compare'],
  noChanges: ['两个修订之间没有授权变化。', 'No grants changed between these revisions.'],
  recordedAt: ['记录时间', 'Recorded'],
  change: ['变化', 'Change'],
  ADDED: ['新增', 'added'],
  WIDENED: ['放宽', 'widened'],
  REMOVED: ['撤销', 'removed'],
  detail: ['说明', 'Detail'],
  subject: ['当事人证件号', 'Subject ID number'],
  subjectHint: ['身份证号或统一社会信用代码，按密钥哈希匹配', 'ID number or credit code, matched by its keyed hash'],
  decision: ['决定', 'Decision'],
  from: ['开始时间', 'From'],
  to: ['结束时间', 'To'],
  time: ['时间', 'Time'],
  operation: ['操作', 'Operation'],
  outcome: ['结果', 'Outcome'],
  records: ['条记录', 'records'],
  showDetail: ['详情', 'Details'],
  recordDetail: ['记录详情', 'Record detail'],
  fieldsRead: ['读取的字段', 'Fields read'],
  rule: ['决定依据', 'Rule'],
  errorCodes: ['错误码', 'Error codes'],
  subjects: ['当事人（HMAC）', 'Subjects (HMAC)'],
  close: ['关闭', 'Close'],
  chain: ['审计链', 'Audit chain'],
  chainVerified: ['校验通过', 'verified'],
  chainBroken: ['校验失败', 'NOT verified'],
  lastCheckpoint: ['最近签名检查点', 'Last signed checkpoint'],
  unsignedRecords: ['条记录在签名链头之后', 'records after the signed head'],
  noCheckpoint: ['尚无', 'none yet'],
  accessesPerAppDay: ['每个应用每天的访问量', 'Accesses per app per day'],
  denialsByReason: ['拒绝原因', 'Denials by reason'],
  topPurposes: ['最常用的用途', 'Top purposes'],
  noData: ['该时间范围内没有数据。', 'No data in this range.'],
  dataTable: ['数据表', 'Data table'],
  count: ['次数', 'Count'],
  day: ['日期', 'Day'],
  region: ['区域', 'Region'],
  noRegion: ['此应用的合同未限定区域：一屏需要一个区域。', 'This app’s contract names no region: the one screen needs one.'],
  openEvents: ['未办结事件', 'Open events'],
  overdueEvents: ['超期事件', 'Overdue events'],
  resolvedEvents: ['已办结事件', 'Resolved events'],
  byCategory: ['按类别', 'By category'],
  byGrid: ['按网格', 'By grid'],
  category: ['类别', 'Category'],
  grid: ['网格', 'Grid'],
  open: ['未办结', 'Open'],
  overdue: ['超期', 'Overdue'],
  resolved: ['已办结', 'Resolved'],
  indicators: ['城市体征', 'Indicators'],
  indicator: ['指标', 'Indicator'],
  value: ['当前值', 'Value'],
  threshold: ['阈值', 'Threshold'],
  alerting: ['预警中', 'Alerting'],
  normal: ['正常', 'Normal'],
  alerts: ['实时预警', 'Live alerts'],
  noAlerts: ['当前没有预警。', 'No active alerts.'],
  raisedAt: ['发出时间', 'Raised'],
  events: ['最新事件', 'Latest events'],
  status: ['状态', 'Status'],
  dispatches: ['派遣与时限', 'Dispatches and deadlines'],
  reportedAt: ['上报时间', 'Reported'],
  description: ['描述', 'Description'],
  updatedAt: ['更新于', 'Updated'],
  gridMap: ['网格示意图', 'Grid map'],
  gridMapNote: ['事件不带坐标：按区排列网格示意，格内为未办结事件数和超期事件数。', 'Events carry no coordinates: grids drawn schematically by district, each with its open and overdue events.'],
  CITY_APPEARANCE: ['市容环境', 'City appearance'],
  WORK_SAFETY: ['安全生产', 'Work safety'],
  MARKET_ORDER: ['市场秩序', 'Market order'],
  TRAFFIC: ['道路交通', 'Traffic'],
  PUBLIC_FACILITIES: ['公共设施', 'Public facilities'],
  NOISE: ['噪声扰民', 'Noise'],
  REPORTED: ['已上报', 'reported'],
  DISPATCHED: ['已派遣', 'dispatched'],
  IN_PROGRESS: ['处置中', 'in progress'],
  ACCEPTED: ['已受理', 'accepted'],
  RESOLVED: ['已办结', 'resolved'],
  CLOSED: ['已结案', 'closed'],
  explorerOff: ['查询浏览器未开启（CONSOLE_EXPLORER）。', 'The explorer is turned off (CONSOLE_EXPLORER).'],
  // The audit trail: paging, whole exports, filters and a record's detail.
  exportJsonLines: ['导出 JSON Lines', 'Export JSON lines'],
  exporting: ['正在导出', 'Exporting'],
  exported: ['已导出', 'Exported'],
  exportFailed: ['导出失败：', 'Export failed:'],
  pager: ['翻页', 'Pages of records'],
  previousPage: ['上一页', 'Previous page'],
  nextPage: ['下一页', 'Next page'],
  errorCode: ['错误码', 'Error code'],
  beijingDay: ['日期（北京时间）', 'Day (Beijing time)'],
  hideOwnReads: ['隐藏本控制台自己的读取', 'Hide this console’s own reads'],
  beijingTimeNote: ['时间均为北京时间（Asia/Shanghai）。', 'Times are Beijing time (Asia/Shanghai).'],
  fieldsAskedCount: ['请求字段数', 'Fields asked'],
  operatorHmac: ['操作人员（HMAC）', 'Operator (HMAC)'],
  caseId: ['案件', 'Case'],
  latency: ['耗时', 'Latency'],
  client: ['客户端', 'Client'],
  fieldsReleased: ['提供的字段', 'Fields released'],
  fieldsMasked: ['脱敏提供的字段', 'Fields released masked'],
  fieldsRefused: ['拒绝的字段及原因', 'Fields refused, and why'],
  fieldsAsked: ['请求的字段（均未提供）', 'Fields asked for (none released)'],
  refusedWhole: ['整个请求被拒绝', 'The whole request was refused'],
  maskedWith: ['脱敏：', 'masked:'],
  notRecorded: ['（此记录写入时尚未记录此项）', '(not recorded when this record was written)'],
  none: ['无', 'none'],
  purposeRefused: ['所选用途不允许此读取，请换用提示中的用途。', 'The chosen purpose does not allow this read: choose one the message names.'],
  // The one screen on a wall: trend, legend, alerts acknowledged, departments ranked, kiosk mode.
  wallTrendTitle: ['近 24 小时', 'Last 24 hours'],
  wallTrend: ['每小时末的未办结与超期事件（北京时间）', 'Open and overdue events at the end of each hour (China Standard Time)'],
  wallHour: ['小时', 'Hour'],
  wallShadeLegend: ['颜色越深，未办结事件越多', 'darker: more open events'],
  wallOutlineLegend: ['红框：超期事件多于 {n} 件', 'red outline: more than {n} overdue events'],
  wallAlertWords: ['{district}：{indicator} {value}，阈值 {threshold}', '{district}: {indicator} {value}, threshold {threshold}'],
  wallAcknowledge: ['确认', 'Acknowledge'],
  wallAcknowledged: ['已确认', 'Acknowledged'],
  wallRanking: ['监督评价考核：部门排名', 'Department assessment'],
  wallRank: ['名次', 'Rank'],
  wallReceived: ['收到派遣', 'Received'],
  wallOnTime: ['按时办结', 'On time'],
  wallOnTimeRate: ['按时率', 'On-time rate'],
  wallMeanHours: ['平均处置时长（小时）', 'Mean handling (hours)'],
  wallMeanRating: ['平均评价', 'Mean rating'],
  wallKioskEnter: ['大屏模式', 'Wall display'],
  wallKioskLeave: ['退出大屏', 'Leave wall display'],
  // Pages, their purposes and the token's expiry (issue 23, items 2 and 3).
  pagePurpose: ['本页用途', 'Purpose of this page'],
  noPurposeServes: ['此应用的合同中没有可用于本页的用途：本页不可用。', 'This app’s contract has no purpose that serves this page: it is not available.'],
  pagesForApp: ['此应用可用的页面', 'Pages this app can use'],
  pagesNotForApp: ['此应用的合同不支持的页面', 'Pages this app’s contract does not serve'],
  tokenLeft: ['令牌剩余', 'Token left'],
  tokenExpired: ['令牌已到期', 'Token expired'],
  dataStale: ['数据已过期', 'Data is stale'],
  staleSince: ['停止更新于', 'stale since'],
  staleExplained: ['令牌已到期：页面上的数据不再更新，不代表当前情况。请重新登录。', 'The token has expired: what this page shows is no longer current. Sign in again.'],
  signInAgain: ['重新登录', 'Sign in again'],
  serverMessage: ['服务器原文', 'Server message'],
  signInWithProvider: ['通过统一身份认证登录：转到身份提供方，登录后回到控制台。令牌到期前自动续期。', 'Sign in with the identity provider: you return here signed in, and the token is renewed before it expires.'],
  signInRefused: ['身份提供方未能完成登录，请重试。', 'The identity provider did not complete the sign-in: try again.'],
  // The access matrix as auditors read it (item 4).
  fieldSearch: ['字段坐标', 'Field coordinate'],
  fieldSearchHint: ['例如 Person.idNumber：谁可以读取它', 'e.g. Person.idNumber: who can read it'],
  grantState: ['有效状态', 'Validity'],
  expiredGrant: ['已过期', 'expired'],
  notYetInForce: ['尚未生效', 'not yet in force'],
  inForce: ['有效', 'in force'],
  unmasksFlag: ['解除他人脱敏', 'defeats a mask'],
  unmasksExplained: ['此授权读取原文，而其他授权对该字段脱敏', 'This grant reads the field raw where other grants mask it'],
  onlyUnmasking: ['仅显示解除他人脱敏的授权', 'Only grants that defeat a mask'],
  readableBy: ['可读取的应用', 'Apps that can read it'],
  noGrant: ['无授权', 'no grant'],
  raw: ['原文', 'raw'],
  grants: ['项授权', 'grants'],
  fields: ['个字段', 'fields'],
  grantDetail: ['授权详情', 'Grant detail'],
  // Contract history (item 6).
  approvedBy: ['批准单位', 'Approved by'],
  approvedOn: ['批准日期', 'Approved on'],
  validity: ['有效期', 'Validity'],
  validityChanged: ['有效期变更', 'validity changed'],
  revisionContracts: ['本次修订涉及的合同', 'Contracts in this revision'],
  anyRegion: ['不限区域', 'any region'],
} as const satisfies Record<string, readonly [string, string]>;

export type LabelKey = keyof typeof LABELS;

const LANGUAGE_KEY = 'govgraph.console.language';

interface I18n {
  language: Language;
  setLanguage(language: Language): void;
  t(key: LabelKey): string;
  /** A label for a value that may have one (a sharing class, a change kind), or the value itself. */
  label(value: string): string;
  /** A code the graph answers with (an error code, a mask, an indicator…) named in this language. */
  code(kind: CodeKind, value: string): string;
  /** A time as the console shows it: this language, China Standard Time (the platform's day). */
  dateTime(value: Date | string): string;
}

const I18nContext = createContext<I18n | undefined>(undefined);

function isLabel(value: string): value is LabelKey {
  return Object.hasOwn(LABELS, value);
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguage] = useState<Language>(() => (localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh'));
  useEffect(() => {
    localStorage.setItem(LANGUAGE_KEY, language);
    document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en';
  }, [language]);
  const index = language === 'zh' ? 0 : 1;
  const t = (key: LabelKey) => LABELS[key][index];
  const label = (value: string) => (isLabel(value) ? LABELS[value][index] : value);
  const code = (kind: CodeKind, value: string) => codeLabel(kind, value, language);
  const dateTime = (value: Date | string) => formatTime(typeof value === 'string' ? value : value.toISOString(), language);
  return <I18nContext.Provider value={{ language, setLanguage, t, label, code, dateTime }}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error('useI18n outside I18nProvider');
  return context;
}
