/**
 * Fictional but plausible Chinese wording for demo entries: facts, legal
 * bases, licence contents, statements, objections, repair applications. The
 * words are chosen by the topic of a list type, guessed from its name and its
 * department's name (no list id appears here), so a new list type gets
 * sensible text without code of its own.
 */
import { intBetween, makeCompanyName, makePersonName, pick, type Rng } from '../subjects/generate.ts';

export type Topic = 'licence-market' | 'licence-construction' | 'market' | 'safety' | 'tax' | 'wage' | 'construction' | 'general';

/** The topic of a list type from its names; the first pattern that matches wins. */
export function topicOf(text: string): Topic {
  if (/许可/.test(text)) return /住房|城乡建设|建筑/.test(text) ? 'licence-construction' : 'licence-market';
  if (/工资|人力资源/.test(text)) return 'wage';
  if (/税/.test(text)) return 'tax';
  if (/安全生产|应急/.test(text)) return 'safety';
  if (/建筑|住房|城乡建设/.test(text)) return 'construction';
  if (/市场|重点关注/.test(text)) return 'market';
  return 'general';
}

const PLACES = ['滨江', '东湖', '高新', '南山', '北辰', '西城', '临港', '望海', '青石', '金桥'];
const BUILDINGS = ['花园', '新城', '产业园', '安置小区', '综合楼', '实验学校', '商业广场', '物流园', '人民医院门诊楼'];
const PHASES = ['一期', '二期', '三期', ''];
const PRODUCTS = ['电线电缆', '儿童玩具', '化妆品', '燃气灶具', '电动自行车', '建筑用钢筋', '食用植物油', '乳制品'];
const FOODS = ['预包装食品', '食用植物油', '肉制品', '乳制品', '糕点'];
const SITES = ['厂区', '仓库', '施工现场', '生产车间', '储罐区'];
const ACCIDENTS = ['火灾事故', '爆炸事故', '高处坠落事故', '机械伤害事故', '中毒窒息事故', '坍塌事故'];

/**
 * What one entry's texts talk about, shared by all its fields so that they
 * agree (the project in the facts is the project field, the amount in the
 * facts is the amount field, the licence content fits the licence name).
 */
export type TextContext = {
  rng: Rng;
  city: string;
  subjectName: string;
  /** YYYY-MM-DD around which the story happens (before the entry was drafted). */
  date: string;
  project: string;
  product: string;
  licence?: string;
  /** Amounts of money fields by what they measure. */
  amounts: Partial<Record<'wage' | 'tax' | 'loss', number>>;
  workers?: number;
  deaths?: number;
  /** Which story of the topic (facts and case name tell the same one). */
  theme: number;
  /** When it happened, if a date field says so (else `date`). */
  happened?: string;
};

const TOWNS = ['示例市', '样例市', '演示市', '模拟市', '示范县', '样本县'];
const TRADE_NAMES = ['华信', '恒泰', '顺达', '金源', '宏远', '鑫盛', '瑞丰', '博雅', '嘉禾', '汇通', '永安', '正和', '远航', '天润', '盛世', '康宁', '新锐', '联创', '安泰', '同心', '明德', '众诚', '银河', '青松', '海纳', '德隆', '融达', '兴业', '百川', '凯旋'];
const INDUSTRIES: Record<Topic, string[]> = {
  market: ['食品', '商贸', '医药', '电子', '日用品', '餐饮管理', '服装', '电器'],
  safety: ['化工', '机械制造', '建材', '物流', '矿业', '金属制品', '燃气'],
  tax: ['商贸', '科技', '物流', '电子', '进出口', '供应链管理', '建材'],
  wage: ['建筑工程', '劳务服务', '建筑劳务', '装饰工程', '物业管理', '市政工程'],
  construction: ['建筑工程', '建设集团', '装饰工程', '工程监理', '勘察设计', '房地产开发'],
  'licence-market': ['食品', '商贸', '医药', '餐饮管理', '机械制造', '电子'],
  'licence-construction': ['建筑工程', '房地产开发', '建设集团', '工程监理', '装饰工程'],
  general: ['科技', '商贸', '物流', '信息技术'],
};
const FORMS = ['有限公司', '有限公司', '有限公司', '有限责任公司', '股份有限公司'];

/** A fictional company name in a trade that fits the list's topic, e.g. 示例市恒泰建筑工程有限公司. */
export function companyName(rng: Rng, topic: Topic): string {
  return pick(rng, TOWNS) + pick(rng, TRADE_NAMES) + pick(rng, INDUSTRIES[topic]) + pick(rng, FORMS);
}

/** A name fitting the category code of a legal person's credit code (91 enterprise, 12 public institution, 93 cooperative). */
export function legalPersonName(rng: Rng, topic: Topic, code: string): string {
  if (code.startsWith('12')) return `${pick(rng, TOWNS)}${pick(rng, ['城市建设服务中心', '市政设施管理处', '产品质量检验检测中心', '公共资源交易服务中心', '职业技术学校'])}`;
  if (code.startsWith('93')) return `${pick(rng, TOWNS)}${pick(rng, TRADE_NAMES)}${pick(rng, ['蔬菜种植', '生猪养殖', '果品', '农机服务'])}专业合作社`;
  if (code.startsWith('11')) return `${pick(rng, TOWNS)}${pick(rng, ['农业农村局', '水务局', '交通运输局'])}`;
  return companyName(rng, topic);
}

export function projectName(rng: Rng, city: string): string {
  return `${city}${pick(rng, PLACES)}${pick(rng, BUILDINGS)}${pick(rng, PHASES)}工程`;
}

const yuan = (rng: Rng, min: number, max: number) => Math.round(Math.exp(Math.log(min) + rng() * (Math.log(max) - Math.log(min))) / 100) * 100;
const money = (n: number) => n.toLocaleString('zh-CN');
const cnDate = (iso: string) => `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
const cnMonth = (iso: string) => `${Number(iso.slice(0, 4))}年${Number(iso.slice(5, 7))}月`;

type Template = (c: TextContext) => string;

const FACTS: Record<Topic, Template[]> = {
  market: [
    (c) => `经查，${c.subjectName}于${cnMonth(c.happened ?? c.date)}起生产销售不符合食品安全标准的${pick(c.rng, FOODS)}，货值金额${money(yuan(c.rng, 20_000, 900_000))}元，情节严重。`,
    (c) => `${c.subjectName}在其经营场所销售假冒注册商标的商品，货值金额${money(yuan(c.rng, 50_000, 2_000_000))}元。`,
    (c) => `${c.subjectName}发布虚假广告，对商品的性能、功能作虚假宣传，欺骗、误导消费者，造成恶劣社会影响。`,
    (c) => `${c.subjectName}生产的${c.product}经监督抽检不合格，被责令停止生产销售后仍继续生产销售。`,
    (c) => `${c.subjectName}在监督检查中拒绝提供有关资料，阻碍执法人员依法执行职务。`,
    (c) => `${c.subjectName}通过虚构交易、编造用户评价等方式进行虚假商业宣传，违法所得${money(yuan(c.rng, 10_000, 500_000))}元。`,
  ],
  safety: [
    (c) => {
      const deaths = c.deaths ?? intBetween(c.rng, 1, 3);
      const loss = c.amounts.loss ?? yuan(c.rng, 500_000, 8_000_000);
      return `${cnDate(c.happened ?? c.date)}，${c.subjectName}${pick(c.rng, SITES)}发生一起${pick(c.rng, ACCIDENTS)}，${deaths ? `造成${deaths}人死亡、` : '未造成人员死亡，'}直接经济损失${money(loss)}元。`;
    },
    (c) => `${c.subjectName}对检查发现的重大事故隐患未按规定整改，经责令限期整改逾期仍未改正。`,
    (c) => `${c.subjectName}拒不执行停产停业整顿指令，擅自恢复${pick(c.rng, SITES)}生产作业。`,
    (c) => `${c.subjectName}未依法取得安全生产许可证，擅自从事危险化学品经营活动。`,
    (c) => `${c.subjectName}迟报生产安全事故，延误事故抢救和调查处理。`,
  ],
  tax: [
    (c) => `${c.subjectName}采取虚假纳税申报手段，少缴增值税及附加税费${money(c.amounts.tax ?? yuan(c.rng, 300_000, 8_000_000))}元。`,
    (c) => `${c.subjectName}在没有真实交易的情况下为他人虚开增值税专用发票${intBetween(c.rng, 12, 260)}份，涉及税款${money(c.amounts.tax ?? yuan(c.rng, 1_000_000, 50_000_000))}元。`,
    (c) => `${c.subjectName}欠缴税款${money(c.amounts.tax ?? yuan(c.rng, 200_000, 5_000_000))}元，采取转移财产手段妨碍税务机关追缴。`,
    (c) => `${c.subjectName}以假报出口手段骗取出口退税${money(c.amounts.tax ?? yuan(c.rng, 500_000, 9_000_000))}元。`,
  ],
  wage: [
    (c) => `${c.subjectName}拖欠${c.workers ?? intBetween(c.rng, 8, 160)}名农民工工资共计${money(c.amounts.wage ?? yuan(c.rng, 100_000, 3_000_000))}元，经责令限期支付逾期仍未支付。`,
    (c) => `${c.subjectName}在${c.project}中拖欠${c.workers ?? intBetween(c.rng, 8, 160)}名农民工工资${money(c.amounts.wage ?? yuan(c.rng, 200_000, 2_500_000))}元，引发农民工集体讨薪事件。`,
    (c) => `${c.subjectName}以工程款未到位为由克扣农民工工资${money(c.amounts.wage ?? yuan(c.rng, 80_000, 900_000))}元，涉及${c.workers ?? intBetween(c.rng, 10, 90)}人。`,
  ],
  construction: [
    (c) => `${c.subjectName}将承包的${c.project}转包给不具备相应资质的单位施工。`,
    (c) => `${c.subjectName}出借资质证书，允许他人以本单位名义承揽${c.project}。`,
    (c) => `${c.subjectName}申请建筑业企业资质时提供虚假业绩材料，以欺骗手段取得资质。`,
    (c) => `${c.subjectName}在${c.project}中发生较大质量安全事故。`,
  ],
  'licence-market': [(c) => licenceContent(c)],
  'licence-construction': [(c) => licenceContent(c)],
  general: [(c) => `${c.subjectName}存在失信行为，经调查核实，事实清楚、证据确凿。`],
};

const LAWS: Record<Topic, string[]> = {
  market: [
    '《中华人民共和国食品安全法》第一百二十四条第一款',
    '《中华人民共和国产品质量法》第四十九条',
    '《中华人民共和国广告法》第五十五条第一款',
    '《中华人民共和国商标法》第六十条第二款',
    '《中华人民共和国反不正当竞争法》第二十条第一款',
  ],
  safety: [
    '《中华人民共和国安全生产法》第一百一十四条第一款',
    '《中华人民共和国安全生产法》第一百零二条',
    '《危险化学品安全管理条例》第七十七条第一款',
    '《生产安全事故报告和调查处理条例》第三十六条',
  ],
  tax: ['《中华人民共和国税收征收管理法》第六十三条第一款', '《中华人民共和国税收征收管理法》第六十五条', '《中华人民共和国税收征收管理法》第六十六条', '《中华人民共和国发票管理办法》第三十五条'],
  wage: ['《保障农民工工资支付条例》第五十四条', '《劳动保障监察条例》第二十六条'],
  construction: ['《建设工程质量管理条例》第六十二条', '《中华人民共和国建筑法》第六十六条', '《建筑工程施工发包与承包违法行为认定查处管理办法》第十五条'],
  'licence-market': ['《中华人民共和国行政许可法》第三十八条', '《中华人民共和国食品安全法》第三十五条'],
  'licence-construction': ['《中华人民共和国行政许可法》第三十八条', '《中华人民共和国建筑法》第七条'],
  general: ['《中华人民共和国行政处罚法》第二十八条'],
};

const REASONS: Record<Topic, string[]> = {
  market: ['一年内因同类违法行为受到两次行政处罚', '产品质量监督抽查连续两次不合格', '被列入经营异常名录满两年仍未移出', '存在价格违法行为，被多次投诉举报查实', '虚假宣传被责令改正后再次发生'],
  safety: ['一年内两次被责令限期整改事故隐患', '安全生产标准化评审不达标'],
  tax: ['连续三个月未按期申报', '发票使用异常'],
  wage: ['多次被投诉拖欠工资', '工资支付专用账户未按规定开设'],
  construction: ['施工现场多次被通报批评', '农民工实名制管理不到位'],
  'licence-market': ['申请材料齐全、符合法定形式'],
  'licence-construction': ['申请材料齐全、符合法定形式'],
  general: ['存在一般失信行为'],
};

export const LICENCE_NAMES: Record<string, string[]> = {
  'licence-market': ['食品经营许可证', '食品经营许可证', '食品生产许可证', '特种设备使用登记证', '药品经营许可证', '工业产品生产许可证'],
  'licence-construction': ['建筑工程施工许可证', '建筑业企业资质证书', '商品房预售许可证'],
};

/** What a licence grants, fitting its name. */
function licenceContent(c: TextContext): string {
  const name = c.licence ?? '';
  if (/施工许可/.test(name)) return `准予${c.project}施工。`;
  if (/预售/.test(name)) return `准予商品房预售，预售面积${intBetween(c.rng, 8_000, 90_000)}平方米。`;
  if (/房地产/.test(name)) return `核定房地产开发企业${pick(c.rng, ['二级', '三级'])}资质。`;
  if (/监理/.test(name)) return `核定工程监理企业${pick(c.rng, ['房屋建筑工程专业乙级', '市政公用工程专业丙级'])}资质。`;
  if (/检测/.test(name)) return '核定建设工程质量检测机构见证取样检测资质。';
  if (/资质/.test(name)) return `核定建筑工程施工总承包${pick(c.rng, ['二级', '三级'])}资质。`;
  if (/食品经营/.test(name)) return '准予从事食品经营活动，经营项目：预包装食品销售、散装食品销售。';
  if (/食品生产/.test(name)) return `准予从事${pick(c.rng, FOODS)}生产。`;
  if (/特种设备/.test(name)) return `准予${pick(c.rng, ['电梯', '锅炉', '压力容器'])}使用登记。`;
  if (/药品/.test(name)) return '准予药品零售经营（处方药、甲类非处方药、乙类非处方药）。';
  if (/工业产品/.test(name)) return `准予从事${pick(c.rng, ['电线电缆', '建筑用钢筋', '危险化学品包装物'])}生产。`;
  return name ? `准予${name}。` : '准予许可。';
}

const CASES: Record<Topic, string[]> = {
  market: ['销售不符合食品安全标准的食品案', '销售侵犯注册商标专用权商品案', '虚假广告案', '生产销售不合格产品案', '拒绝、阻碍监督检查案', '虚假商业宣传案'],
  safety: ['生产安全事故案', '未按规定整改重大事故隐患案', '拒不执行停产停业整顿指令案', '未取得安全生产许可证擅自经营案', '迟报生产安全事故案'],
  tax: ['偷税案', '虚开增值税专用发票案', '逃避追缴欠税案', '骗取出口退税案'],
  wage: ['拖欠农民工工资案'],
  construction: ['违法转包案', '出借资质案', '以欺骗手段取得资质案', '工程质量安全事故案'],
  'licence-market': ['许可案'],
  'licence-construction': ['许可案'],
  general: ['违法案'],
};

const nth = <T>(items: readonly T[], i: number): T => items[i % items.length] as T;

export function facts(topic: Topic, c: TextContext): string {
  return nth(FACTS[topic], c.theme)(c);
}
export function legalBasis(topic: Topic, c: TextContext): string {
  return `依据${pick(c.rng, LAWS[topic])}的规定`;
}
export function reason(topic: Topic, c: TextContext): string {
  return `${c.subjectName}${pick(c.rng, REASONS[topic])}。`;
}
export function licenceName(topic: Topic, rng: Rng): string {
  return pick(rng, LICENCE_NAMES[topic] ?? LICENCE_NAMES['licence-market']!);
}
export function productName(rng: Rng): string {
  return pick(rng, PRODUCTS);
}
export function caseName(topic: Topic, c: TextContext): string {
  return `${c.subjectName}${nth(CASES[topic], c.theme)}`;
}

// ---------------------------------------------------------------- procedure texts

export const statements = [
  '当事人称已积极整改，请求从轻处理，不予列入名单。',
  '当事人对违法事实无异议，但认为情节轻微，申请不予列入。',
  '当事人提交了整改报告及相关证明材料，请求不予列入名单。',
  '当事人称系初次违法且已全额缴纳罚款，请求免予列入。',
  '当事人对认定依据提出异议，认为不属于严重失信情形。',
];
export const statementAnswers = [
  { adopted: false, reason: '当事人所述整改情况不影响违法事实的认定，不予采纳。' },
  { adopted: false, reason: '经复核，当事人行为符合列入情形，陈述申辩理由不成立。' },
  { adopted: true, reason: '部分采纳，已在认定决定中对整改情况予以说明。' },
];
export const hearingSummaries = [
  '组织公开听证，当事人及委托代理人到场，就违法事实、列入依据进行了质证和辩论。',
  '组织听证，当事人陈述了整改情况，调查人员出示了相关证据。',
];
export const withdrawReasons = [
  '经复核，违法事实不清、证据不足，撤回列入程序。',
  '作为列入依据的行政处罚决定已被撤销，撤回列入程序。',
  '录入信息有误，作废后重新录入。',
  '经法制审核，不符合列入条件，终止列入程序。',
];
export const objectionContents = [
  '申请人称公示的罚没金额与处罚决定书不一致，请求更正。',
  '申请人称企业名称已变更，公示信息未及时更新。',
  '申请人认为列入依据适用错误，请求撤下公示信息。',
  '申请人称相关罚款已缴纳，请求更新公示内容。',
  '申请人称公示信息中的违法事实表述与事实不符。',
];
export const objectionAnswers = {
  upheld: ['经核查，公示信息与决定书一致，维持原公示信息。', '经核实，公示信息准确无误，予以维持。'],
  rejected: ['经核查，异议理由不成立，予以驳回。', '异议事项不属于公示信息范围，不予支持。'],
  corrected: ['经核查，公示信息录入有误，已予以更正。', '异议成立，已按决定书更正相关信息。'],
} as const;
export const repairReasons = [
  '已全额履行行政处罚决定，完成整改并作出信用承诺，申请信用修复。',
  '已纠正失信行为、消除不良影响，按规定提交材料申请修复。',
  '已缴清全部款项并参加信用修复培训，申请停止公示。',
];
export const repairRefusals = ['申请材料不齐全，未提交信用承诺书，不予受理。', '申请人非信用主体本人且未提供授权委托书，不予受理。'];
export const repairRejections = ['经核查，申请人仍存在未履行的法定义务，不予修复。', '经现场核查，整改未到位，不予修复。'];
export const correctionNotes = ['当事人已纠正失信行为，提交了相关证明材料，经核实属实。', '当事人已足额履行相关义务并完成整改，经现场核查属实。'];
export const exitReasons = ['已满足提前移出条件，经审核同意提前移出。', '当事人已完成整改并作出信用承诺，同意提前移出。'];
export const revokeReasons = {
  black: ['列入所依据的行政处罚决定经行政复议被撤销。', '列入所依据的行政处罚决定被人民法院判决撤销。', '经复核，认定依据错误，撤销认定。'],
  red: ['该行政许可已依法注销。', '该行政许可被依法撤回。', '评价结果经复评调整，撤销认定。'],
} as const;
export const revokeDocumentTitles = {
  black: ['行政复议决定书', '行政判决书', '撤销决定书'],
  red: ['注销行政许可决定书', '撤回行政许可决定书', '复评结果通知书'],
} as const;
export const reinstateReasons = ['经查，当事人在申请中提供虚假材料，撤销原决定，恢复公示。'];

export function contact(rng: Rng) {
  return { name: makePersonName(rng), phone: `1${pick(rng, ['38', '39', '58', '86', '37'])}${String(intBetween(rng, 0, 99_999_999)).padStart(8, '0')}` };
}
export { makeCompanyName };
