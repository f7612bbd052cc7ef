/**
 * Which departments an event of each category goes to, and how long they have: the dispatch rules of
 * city operations (一网统管 "accept once, dispatch automatically").
 */
export interface CategoryRule {
  departments: string[];
  deadlineHours: number;
  descriptions: string[];
  concernsEnterprise: boolean;
}

export const CATEGORIES: Record<string, CategoryRule> = {
  CITY_APPEARANCE: { departments: ['城管'], deadlineHours: 48, descriptions: ['占道经营，影响行人通行', '建筑垃圾随意堆放', '户外广告牌破损'], concernsEnterprise: false },
  WORK_SAFETY: { departments: ['应急管理', '市场监管'], deadlineHours: 24, descriptions: ['商铺内违规存放液化气钢瓶', '施工现场未设置安全防护', '消防通道被货物堵塞'], concernsEnterprise: true },
  MARKET_ORDER: { departments: ['市场监管'], deadlineHours: 72, descriptions: ['商家无证经营', '销售过期食品被投诉', '价格标示不清引发纠纷'], concernsEnterprise: true },
  TRAFFIC: { departments: ['公安', '交通运输'], deadlineHours: 12, descriptions: ['路口信号灯故障', '车辆违停堵塞消防通道', '路面塌陷'], concernsEnterprise: false },
  PUBLIC_FACILITIES: { departments: ['住房城乡建设', '水务'], deadlineHours: 72, descriptions: ['窨井盖缺失', '路灯不亮', '供水管道渗漏'], concernsEnterprise: false },
  NOISE: { departments: ['生态环境', '公安'], deadlineHours: 48, descriptions: ['夜间施工噪声扰民', '餐饮店油烟和噪声扰民', '广场舞音响过大'], concernsEnterprise: true },
};
