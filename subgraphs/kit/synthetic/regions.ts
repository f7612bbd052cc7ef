/** Real GB/T 2260 division codes for the synthetic data: 5 provinces, 6 prefecture-level cities. */
export interface District {
  code: string;
  province: string;
  city: string;
  /** The short city name used in enterprise names and document numbers, e.g. 广州 or 穗. */
  cityShort: string;
  cityAbbreviation: string;
  name: string;
  streets: readonly string[];
}

interface CityDefinition {
  province: string;
  city: string;
  cityShort: string;
  cityAbbreviation: string;
  districts: ReadonlyArray<[code: string, name: string, streets: readonly string[]]>;
}

const CITIES: readonly CityDefinition[] = [
  {
    province: '北京市', city: '北京市', cityShort: '北京', cityAbbreviation: '京',
    districts: [
      ['110101', '东城区', ['东直门内大街', '王府井大街', '和平里北街', '东四十条']],
      ['110102', '西城区', ['西直门内大街', '金融大街', '德胜门外大街', '广安门内大街']],
      ['110105', '朝阳区', ['建国路', '朝阳北路', '望京街', '酒仙桥路']],
      ['110108', '海淀区', ['中关村大街', '学院路', '知春路', '万泉河路']],
    ],
  },
  {
    province: '上海市', city: '上海市', cityShort: '上海', cityAbbreviation: '沪',
    districts: [
      ['310101', '黄浦区', ['南京东路', '淮海中路', '西藏南路', '河南中路']],
      ['310104', '徐汇区', ['漕溪北路', '天钥桥路', '衡山路', '宜山路']],
      ['310115', '浦东新区', ['世纪大道', '张杨路', '浦东南路', '锦绣路']],
    ],
  },
  {
    province: '广东省', city: '广州市', cityShort: '广州', cityAbbreviation: '穗',
    districts: [
      ['440103', '荔湾区', ['中山七路', '龙津西路', '芳村大道', '康王中路']],
      ['440104', '越秀区', ['环市东路', '东风中路', '北京路', '中山五路']],
      ['440106', '天河区', ['天河路', '体育西路', '中山大道', '黄埔大道西']],
    ],
  },
  {
    province: '广东省', city: '深圳市', cityShort: '深圳', cityAbbreviation: '深',
    districts: [
      ['440303', '罗湖区', ['深南东路', '人民南路', '东门中路', '宝安南路']],
      ['440304', '福田区', ['深南中路', '福华路', '彩田路', '金田路']],
      ['440305', '南山区', ['南海大道', '科技园路', '后海大道', '南山大道']],
    ],
  },
  {
    province: '浙江省', city: '杭州市', cityShort: '杭州', cityAbbreviation: '杭',
    districts: [
      ['330102', '上城区', ['解放路', '庆春路', '延安路', '望江路']],
      ['330106', '西湖区', ['文三路', '天目山路', '曙光路', '西溪路']],
      ['330108', '滨江区', ['江南大道', '滨盛路', '江虹路', '网商路']],
    ],
  },
  {
    province: '四川省', city: '成都市', cityShort: '成都', cityAbbreviation: '蓉',
    districts: [
      ['510104', '锦江区', ['春熙路', '红星路', '东大街', '书院街']],
      ['510107', '武侯区', ['人民南路', '武侯祠大街', '科华北路', '玉林南路']],
    ],
  },
];

export const DISTRICTS: readonly District[] = CITIES.flatMap((city) =>
  city.districts.map(([code, name, streets]) => ({
    code,
    name,
    streets,
    province: city.province,
    city: city.city,
    cityShort: city.cityShort,
    cityAbbreviation: city.cityAbbreviation,
  })),
);

const BY_CODE = new Map(DISTRICTS.map((district) => [district.code, district]));

export function districtByCode(code: string): District {
  const district = BY_CODE.get(code);
  if (!district) throw new Error(`unknown district ${code}`);
  return district;
}

/** "广东省广州市天河区" — the province is not repeated for municipalities. */
export function districtFullName(district: District): string {
  const province = district.province === district.city ? '' : district.province;
  return `${province}${district.city}${district.name}`;
}
