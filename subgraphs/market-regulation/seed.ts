/** Market regulation's part of the synthetic world: the enterprises, and licences and penalties for them. */
import { addDays, addYears, districtByCode, isAfterReference, Random, type World } from '@govgraph/department-kit';
import type { EnterpriseRow, LicenceRow, MarketRegulationStore, PenaltyRow } from './store';

/** Which licence an industry needs, and what its number starts with. */
const LICENCES_BY_INDUSTRY: Record<string, ReadonlyArray<readonly [kind: string, prefix: string]>> = {
  餐饮管理: [['食品经营许可证', 'JY'], ['公共场所卫生许可证', 'WS']],
  食品: [['食品经营许可证', 'JY']],
  医药: [['药品经营许可证', 'YP'], ['医疗器械经营许可证', 'XK']],
  物流: [['道路运输经营许可证', 'YS']],
  化工: [['危险化学品经营许可证', 'WH']],
  建筑工程: [['建筑业企业资质证书', 'JZ'], ['安全生产许可证', 'AQ']],
};

const PENALTY_REASONS = [
  '销售超过保质期的食品',
  '未按规定公示年度报告',
  '发布虚假广告',
  '未取得许可从事经营活动',
  '销售不符合安全标准的产品',
  '价格违法行为：不明码标价',
  '经营场所卫生条件不达标',
];

export async function seed(store: MarketRegulationStore, world: World): Promise<void> {
  const random = new Random(1101);
  const enterprises: EnterpriseRow[] = [];
  const licences: LicenceRow[] = [];
  const penalties: PenaltyRow[] = [];
  let licenceSerial = 0;
  let penaltySerial = 0;
  for (const e of world.enterprises) {
    const district = districtByCode(e.regionCode);
    enterprises.push({
      creditCode: e.creditCode,
      name: e.name,
      kind: e.kind,
      status: e.status,
      registeredCapital: e.registeredCapital,
      establishedOn: e.establishedOn,
      address: e.address,
      regionCode: e.regionCode,
      businessScope: e.businessScope,
      legalRepresentative: e.legalRepresentative,
      riskRating: random.weighted([['A', 40], ['B', 40], ['C', 15], ['D', 5]] as const),
    });
    for (const [kind, prefix] of LICENCES_BY_INDUSTRY[e.industry] ?? []) {
      licenceSerial += 1;
      const issued = addDays(e.establishedOn, random.int(30, 400));
      const validUntil = addYears(issued, 5);
      licences.push({
        creditCode: e.creditCode,
        kind,
        number: `${prefix}${e.regionCode}${String(licenceSerial).padStart(8, '0')}`,
        validUntil,
        status: e.status === 'REVOKED' ? 'REVOKED' : isAfterReference(validUntil) ? 'VALID' : 'EXPIRED',
      });
    }
    const penaltyCount = random.weighted([[0, 88], [1, 9], [2, 3]] as const);
    for (let i = 0; i < penaltyCount; i++) {
      penaltySerial += 1;
      const decidedOn = addDays(e.establishedOn, random.int(60, 3000));
      if (isAfterReference(decidedOn)) continue;
      penalties.push({
        creditCode: e.creditCode,
        decisionNumber: `${district.cityAbbreviation}市监罚〔${decidedOn.slice(0, 4)}〕${penaltySerial}号`,
        decidedOn,
        reason: random.pick(PENALTY_REASONS),
        amount: random.pick([2000, 5000, 10000, 20000, 50000, 100000]),
      });
    }
  }
  await store.insert({ enterprises, licences, penalties });
}

