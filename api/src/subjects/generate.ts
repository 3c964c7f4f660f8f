/**
 * Deterministic generators of fictional subjects for demo and benchmark data.
 * Every function takes a seeded Rng, so the same seed gives the same data on
 * every machine. Codes are valid (they pass codes.ts) but random: they do not
 * belong to real subjects on purpose, apart from the chance of a collision.
 * Company names use fictional place names (示例市 …).
 */
import { civilFromDayNumber, dayNumber, formatIsoDate, parseIsoDate } from '../procedures/calendar.ts';
import { residentIdCheckChar, type SubjectKind, usccCheckChar } from './codes.ts';

/** Uniform in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny, fast 32-bit seeded PRNG (good enough for demo data, not for secrets). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An Rng from a number or a string seed (FNV-1a hash of the string). */
export function createRng(seed: number | string): Rng {
  if (typeof seed === 'number') return mulberry32(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mulberry32(h >>> 0);
}

/** Integer in [min, max] inclusive. */
export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new RangeError('pick from an empty list');
  return items[Math.floor(rng() * items.length)]!;
}

function digits(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(rng() * 10));
  return s;
}

/** Real county-level administrative division codes (GB/T 2260) used as prefixes. */
export const REGIONS: readonly { code: string; name: string }[] = [
  { code: '110101', name: '北京市东城区' },
  { code: '110105', name: '北京市朝阳区' },
  { code: '120101', name: '天津市和平区' },
  { code: '310104', name: '上海市徐汇区' },
  { code: '310115', name: '上海市浦东新区' },
  { code: '320102', name: '南京市玄武区' },
  { code: '330106', name: '杭州市西湖区' },
  { code: '370102', name: '济南市历下区' },
  { code: '371003', name: '威海市文登区' },
  { code: '420106', name: '武汉市武昌区' },
  { code: '440106', name: '广州市天河区' },
  { code: '440305', name: '深圳市南山区' },
  { code: '500103', name: '重庆市渝中区' },
  { code: '510107', name: '成都市武侯区' },
  { code: '610113', name: '西安市雁塔区' },
  { code: '640104', name: '银川市兴庆区' },
  { code: '640381', name: '青铜峡市' },
];

// ------------------------------------------------------------ codes

/** GB 11714 organisation-code check character for an 8-digit body (weights 3 7 9 10 5 8 4 2). */
function orgCodeCheckChar(body: string): string {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (body.charCodeAt(i) - 48) * w[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

/** Registration authority (position 1) and category (position 2) per subject kind. */
const USCC_PREFIXES: Record<Exclude<SubjectKind, 'natural_person'>, readonly string[]> = {
  legal_person: ['91', '91', '91', '91', '91', '91', '12', '11', '93'], // 企业 mostly; 事业单位, 机关, 农民专业合作社
  other_org: ['51', '52', '53'], // 社会团体, 民办非企业单位, 基金会
  individual_business: ['92'], // 个体工商户
};

export type UsccOptions = { kind?: Exclude<SubjectKind, 'natural_person'>; region?: string };

/**
 * A valid unified social credit code: authority and category codes for the
 * kind, a real region code, a 9-character organisation code with its own
 * GB 11714 check character, and the GB 32100 check character.
 */
export function makeUscc(rng: Rng, opts: UsccOptions = {}): string {
  const prefix = pick(rng, USCC_PREFIXES[opts.kind ?? 'legal_person']);
  const region = opts.region ?? pick(rng, REGIONS).code;
  const body = digits(rng, 8);
  const first17 = prefix + region + body + orgCodeCheckChar(body);
  return first17 + usccCheckChar(first17);
}

export type ResidentIdOptions = {
  /** YYYY-MM-DD, inclusive; default 1960-01-01 */
  birthFrom?: string;
  /** YYYY-MM-DD, inclusive; default 2005-12-31 */
  birthTo?: string;
  region?: string;
  sex?: 'male' | 'female';
};

function isoDayNumber(date: string, what: string): number {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`${what}: expected YYYY-MM-DD, got ${JSON.stringify(date)}`);
  return dayNumber(p[0], p[1], p[2]);
}

/** A valid 18-digit resident ID number with a real region prefix and a birth date in the range. */
export function makeResidentId(rng: Rng, opts: ResidentIdOptions = {}): string {
  const from = isoDayNumber(opts.birthFrom ?? '1960-01-01', 'birthFrom');
  const to = isoDayNumber(opts.birthTo ?? '2005-12-31', 'birthTo');
  if (to < from) throw new RangeError('birthTo is before birthFrom');
  const [y, m, d] = civilFromDayNumber(intBetween(rng, from, to));
  const birth = formatIsoDate(y, m, d).replaceAll('-', '');
  const region = opts.region ?? pick(rng, REGIONS).code;
  // Positions 15-17: sequence code; the 17th digit is odd for men, even for women.
  const sex = opts.sex ?? (rng() < 0.5 ? 'male' : 'female');
  const seq = digits(rng, 2) + String(intBetween(rng, 0, 4) * 2 + (sex === 'male' ? 1 : 0));
  const first17 = region + birth + seq;
  return first17 + residentIdCheckChar(first17);
}

// ------------------------------------------------------------ names

const CITIES = ['示例市', '样例市', '演示市', '模拟市', '示范县', '样本县'];
const TRADE_NAMES = [
  '华信', '恒泰', '顺达', '金源', '宏远', '鑫盛', '瑞丰', '博雅', '嘉禾', '汇通',
  '永安', '正和', '远航', '天润', '盛世', '康宁', '新锐', '联创', '安泰', '同心',
  '明德', '众诚', '银河', '青松', '海纳', '德隆', '融达', '兴业', '百川', '凯旋',
];
const INDUSTRIES = [
  '建筑工程', '商贸', '科技', '物流', '餐饮管理', '食品', '环保科技', '房地产开发', '劳务服务', '医药',
  '机械制造', '装饰工程', '农业开发', '信息技术', '运输', '建材', '电子', '化工', '服装', '物业管理',
];
const COMPANY_FORMS = ['有限公司', '有限公司', '有限公司', '有限责任公司', '股份有限公司'];
const SHOP_KINDS = ['便利店', '小吃店', '五金店', '理发店', '水果店', '汽车修理部', '农资店', '服装店'];

/** A fictional company name, e.g. 示例市恒泰建筑工程有限公司. */
export function makeCompanyName(rng: Rng): string {
  return pick(rng, CITIES) + pick(rng, TRADE_NAMES) + pick(rng, INDUSTRIES) + pick(rng, COMPANY_FORMS);
}

/** A fictional individual business (个体工商户) name, e.g. 示例市顺达便利店. */
export function makeShopName(rng: Rng): string {
  return pick(rng, CITIES) + pick(rng, TRADE_NAMES) + pick(rng, SHOP_KINDS);
}

const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡',
  '郭', '何', '高', '林', '罗', '郑', '梁', '谢', '宋', '唐', '许', '韩', '冯', '邓', '曹',
];
const RARE_SURNAMES = ['欧阳', '司马', '上官', '诸葛', '慕容'];
const GIVEN = [
  '伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛',
  '明', '超', '秀', '霞', '平', '刚', '英', '华', '建', '国', '文', '辉', '玲', '婷', '宇',
  '浩', '晨', '欣', '怡', '博', '子', '涵', '轩', '睿', '佳',
];

/** A fictional person name: a common surname (rarely a compound one) and one or two given-name characters. */
export function makePersonName(rng: Rng): string {
  const surname = rng() < 0.03 ? pick(rng, RARE_SURNAMES) : pick(rng, SURNAMES);
  const given = rng() < 0.6 ? pick(rng, GIVEN) + pick(rng, GIVEN) : pick(rng, GIVEN);
  return surname + given;
}

export type GeneratedSubject = { kind: SubjectKind; code: string; name: string };

/** A subject of the kind with a matching code and name. */
export function makeSubject(rng: Rng, kind: SubjectKind, opts: ResidentIdOptions = {}): GeneratedSubject {
  switch (kind) {
    case 'natural_person':
      return { kind, code: makeResidentId(rng, opts), name: makePersonName(rng) };
    case 'individual_business':
      return { kind, code: makeUscc(rng, { kind }), name: makeShopName(rng) };
    case 'other_org':
      return { kind, code: makeUscc(rng, { kind }), name: `${pick(rng, CITIES)}${pick(rng, TRADE_NAMES)}${pick(rng, ['协会', '促进会', '基金会', '研究院'])}` };
    default:
      return { kind, code: makeUscc(rng, { kind }), name: makeCompanyName(rng) };
  }
}
