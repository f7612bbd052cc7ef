/** City operations' part of the synthetic world: grids in every district, events in them, dispatches. */
import { addHours, dayFromReference, timestampOn } from '../kit/synthetic/calendar';
import type { SyntheticEnterprise } from '../kit/synthetic/enterprises';
import { mobilePhone } from '../kit/synthetic/names';
import { Random } from '../kit/synthetic/random';
import { DISTRICTS } from '../kit/synthetic/regions';
import type { World } from '../kit/synthetic/world';
import type { CityEventRow, CityEventStatus, CityOperationsStore, DispatchRow, GridRow } from './store';

const GRIDS_PER_STREET = 2;

/** What each category of event looks like, and which departments it goes to. */
const CATEGORIES: Record<string, { departments: string[]; descriptions: string[]; concernsEnterprise: boolean }> = {
  CITY_APPEARANCE: { departments: ['城管'], descriptions: ['占道经营，影响行人通行', '建筑垃圾随意堆放', '户外广告牌破损'], concernsEnterprise: false },
  WORK_SAFETY: { departments: ['应急管理', '市场监管'], descriptions: ['商铺内违规存放液化气钢瓶', '施工现场未设置安全防护', '消防通道被货物堵塞'], concernsEnterprise: true },
  MARKET_ORDER: { departments: ['市场监管'], descriptions: ['商家无证经营', '销售过期食品被投诉', '价格标示不清引发纠纷'], concernsEnterprise: true },
  TRAFFIC: { departments: ['公安', '交通运输'], descriptions: ['路口信号灯故障', '车辆违停堵塞消防通道', '路面塌陷'], concernsEnterprise: false },
  PUBLIC_FACILITIES: { departments: ['住房城乡建设', '水务'], descriptions: ['窨井盖缺失', '路灯不亮', '供水管道渗漏'], concernsEnterprise: false },
  NOISE: { departments: ['生态环境', '公安'], descriptions: ['夜间施工噪声扰民', '餐饮店油烟和噪声扰民', '广场舞音响过大'], concernsEnterprise: true },
};

function gridsOf(): GridRow[] {
  return DISTRICTS.flatMap((district) =>
    district.streets.flatMap((street, s) =>
      Array.from({ length: GRIDS_PER_STREET }, (_, g) => ({
        code: `${district.code}${String(s + 1).padStart(3, '0')}${String(g + 1).padStart(3, '0')}`,
        name: `${district.name}${street}第${g + 1}网格`,
        regionCode: district.code,
      })),
    ),
  );
}

export async function seed(store: CityOperationsStore, world: World): Promise<void> {
  const random = new Random(12345);
  const grids = gridsOf();
  const enterprisesByRegion = new Map<string, SyntheticEnterprise[]>();
  for (const e of world.enterprises) enterprisesByRegion.set(e.regionCode, [...(enterprisesByRegion.get(e.regionCode) ?? []), e]);
  const events: CityEventRow[] = [];
  const dispatches: DispatchRow[] = [];
  for (let serial = 1; serial <= world.size.cityEvents; serial++) {
    const grid = random.pick(grids);
    const category = random.pick(Object.keys(CATEGORIES));
    const kind = CATEGORIES[category]!;
    const nearby = enterprisesByRegion.get(grid.regionCode) ?? [];
    const enterprise = kind.concernsEnterprise && nearby.length > 0 && random.chance(0.7) ? random.pick(nearby) : undefined;
    const source = random.weighted([['GRID_WORKER', 40], ['HOTLINE_12345', 30], ['SENSOR', 10], ['CITIZEN', 20]] as const);
    const ageDays = random.int(0, 180);
    const status: CityEventStatus =
      ageDays < 3
        ? random.pick(['REPORTED', 'DISPATCHED', 'IN_PROGRESS'] as const)
        : random.weighted([['DISPATCHED', 5], ['IN_PROGRESS', 15], ['RESOLVED', 30], ['CLOSED', 50]] as const);
    const day = dayFromReference(-ageDays);
    const id = `E${day.replaceAll('-', '')}${String(serial).padStart(6, '0')}`;
    const reportedAt = timestampOn(day, random.int(0, 24 * 60 - 1));
    events.push({
      id,
      category,
      status,
      source,
      regionCode: grid.regionCode,
      gridCode: grid.code,
      reportedAt,
      description: `${grid.name}：${random.pick(kind.descriptions)}${enterprise ? `（${enterprise.name}）` : ''}`,
      enterprise: enterprise?.creditCode ?? null,
      reporterPhone: source === 'HOTLINE_12345' || source === 'CITIZEN' ? mobilePhone(random) : null,
    });
    if (status === 'REPORTED') continue;
    kind.departments.slice(0, random.int(1, kind.departments.length)).forEach((department, i) => {
      const dispatchedAt = addHours(reportedAt, 1 + i);
      dispatches.push({ eventId: id, department, dispatchedAt, deadline: addHours(dispatchedAt, random.pick([24, 48, 72, 120])) });
    });
  }
  await store.insert({ grids, events, dispatches });
}
