/** Chinese personal and business names, weighted roughly as they occur. */
import type { Random } from './random';

const SURNAMES: ReadonlyArray<readonly [string, number]> = [
  ['王', 72], ['李', 70], ['张', 66], ['刘', 53], ['陈', 46], ['杨', 32], ['黄', 25], ['赵', 22], ['吴', 21],
  ['周', 20], ['徐', 15], ['孙', 15], ['马', 14], ['朱', 14], ['胡', 13], ['郭', 12], ['何', 12], ['林', 12],
  ['高', 11], ['罗', 11], ['郑', 10], ['梁', 10], ['谢', 8], ['宋', 7], ['唐', 7], ['许', 6], ['韩', 6],
  ['冯', 6], ['邓', 6], ['曹', 5], ['彭', 5], ['曾', 5], ['肖', 5], ['田', 5], ['董', 5], ['潘', 4],
  ['袁', 4], ['蔡', 4], ['蒋', 4], ['余', 4], ['于', 4], ['杜', 4], ['叶', 4], ['程', 4], ['魏', 3],
  ['苏', 3], ['吕', 3], ['丁', 3], ['任', 3], ['卢', 3], ['姚', 3], ['沈', 3], ['钟', 3], ['姜', 3],
  ['崔', 3], ['谭', 3], ['陆', 3], ['范', 2], ['汪', 2], ['廖', 2], ['石', 2], ['金', 2], ['韦', 2],
  ['贾', 2], ['夏', 2], ['付', 2], ['方', 2], ['邹', 2], ['熊', 2], ['白', 2], ['孟', 2], ['秦', 2],
  ['欧阳', 1], ['司马', 0.3], ['诸葛', 0.2],
];

const MALE_GIVEN = '伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国志军文博海洋子豪宏伟建华天佑晨阳宇航';
const FEMALE_GIVEN = '芳娜敏静丽艳娟霞秀兰燕玲桂英丹萍红梅琳雪慧颖倩婷欣怡佳琪晓梦雨涵诗雅思彤梓萱紫嫣';
const SHARED_GIVEN = '一子文思嘉欣佳安雨晨明宇';

export function personName(random: Random, gender: 'MALE' | 'FEMALE'): string {
  const surname = random.weighted(SURNAMES);
  const pool = (gender === 'MALE' ? MALE_GIVEN : FEMALE_GIVEN) + SHARED_GIVEN;
  const first = pool[random.int(0, pool.length - 1)]!;
  if (random.chance(0.35)) return surname + first;
  return surname + first + pool[random.int(0, pool.length - 1)]!;
}

export const ETHNICITIES: ReadonlyArray<readonly [string, number]> = [
  ['汉族', 910], ['壮族', 14], ['回族', 8], ['满族', 8], ['维吾尔族', 8], ['苗族', 7], ['彝族', 7],
  ['土家族', 7], ['藏族', 5], ['蒙古族', 5], ['朝鲜族', 2], ['白族', 2],
];

const TRADE_NAME_CHARACTERS = '华瑞鑫源泰盛达恒通宏远信诚嘉和兴隆锦程天成博创启航卓越新辰云海智联永安丰';
export const INDUSTRIES: ReadonlyArray<readonly [string, string]> = [
  ['科技', '软件和信息技术服务'],
  ['贸易', '批发和零售'],
  ['餐饮管理', '餐饮服务'],
  ['建筑工程', '建筑安装'],
  ['物流', '道路货物运输'],
  ['医药', '药品零售'],
  ['食品', '食品销售'],
  ['文化传媒', '文化艺术交流'],
  ['物业管理', '物业服务'],
  ['化工', '化工产品销售'],
];

/** A two-character trade name 字号, e.g. 瑞达. */
export function tradeName(random: Random): string {
  const first = TRADE_NAME_CHARACTERS[random.int(0, TRADE_NAME_CHARACTERS.length - 1)]!;
  let second = first;
  while (second === first) second = TRADE_NAME_CHARACTERS[random.int(0, TRADE_NAME_CHARACTERS.length - 1)]!;
  return first + second;
}

const MOBILE_PREFIXES = ['130', '131', '132', '135', '136', '137', '138', '139', '150', '151', '152', '155',
  '156', '158', '159', '176', '177', '180', '181', '185', '186', '187', '188', '189', '199'];

export function mobilePhone(random: Random): string {
  return random.pick(MOBILE_PREFIXES) + random.digits(8);
}
