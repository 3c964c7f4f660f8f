/** Small but realistic `/api/meta` fixture for unit tests. */
import type { Meta, MetaList, MetaPermissions, MetaProcedure } from '../types';

const blackProcedure: MetaProcedure = {
  initial: 'draft',
  states: [
    { id: 'draft', label: '草稿', labelEn: 'Draft', terminal: false, public: false },
    { id: 'notified', label: '已告知', labelEn: 'Notified', terminal: false, public: false },
    { id: 'recognised', label: '已认定', labelEn: 'Recognised', terminal: false, public: false },
    { id: 'published', label: '公示中', labelEn: 'Published', terminal: false, public: true },
    { id: 'repaired', label: '已修复', labelEn: 'Repaired', terminal: true, public: false },
    { id: 'exited', label: '已移出', labelEn: 'Exited', terminal: true, public: false },
    { id: 'revoked', label: '已撤销', labelEn: 'Revoked', terminal: true, public: false },
    { id: 'withdrawn', label: '已撤回', labelEn: 'Withdrawn', terminal: true, public: false },
  ],
  transitions: [
    { id: 'notify', from: 'draft', to: 'notified', action: 'notify', label: '预先告知', labelEn: 'Notify' },
    { id: 'withdraw', from: 'draft', to: 'withdrawn', action: 'withdraw', label: '撤回', labelEn: 'Withdraw' },
    { id: 'withdraw', from: 'notified', to: 'withdrawn', action: 'withdraw', label: '撤回', labelEn: 'Withdraw' },
    { id: 'recognise', from: 'notified', to: 'recognised', action: 'recognise', label: '认定', labelEn: 'Recognise' },
    { id: 'publish', from: 'recognised', to: 'published', action: 'publish', label: '公示', labelEn: 'Publish' },
    { id: 'expire', from: 'published', to: 'exited', action: 'system', label: '期满自动移出', labelEn: 'Expire' },
    { id: 'revoke', from: 'published', to: 'revoked', action: 'revoke', label: '撤销认定', labelEn: 'Revoke' },
    { id: 'repair', from: 'published', to: 'repaired', action: 'repair', label: '信用修复', labelEn: 'Repair' },
    { id: 'exit', from: 'published', to: 'exited', action: 'exit', label: '移出', labelEn: 'Exit' },
    { id: 'reinstate', from: 'repaired', to: 'published', action: 'reinstate', label: '恢复公示', labelEn: 'Reinstate' },
  ],
};

const simpleProcedure: MetaProcedure = {
  initial: 'draft',
  states: [
    { id: 'draft', label: '草稿', labelEn: 'Draft', terminal: false, public: false },
    { id: 'published', label: '公示中', labelEn: 'Published', terminal: false, public: true },
    { id: 'exited', label: '已移出', labelEn: 'Exited', terminal: true, public: false },
  ],
  transitions: [
    { id: 'publish', from: 'draft', to: 'published', action: 'publish', label: '公示', labelEn: 'Publish' },
    { id: 'expire', from: 'published', to: 'exited', action: 'system', label: '期满自动移出', labelEn: 'Expire' },
  ],
};

function list(partial: Partial<MetaList> & Pick<MetaList, 'id' | 'name' | 'kind' | 'category' | 'department'>): MetaList {
  return {
    status: 'active',
    personalInfo: { publish: false, basis: null },
    legalBasis: ['《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）'],
    subjectKinds: ['legal_person', 'other_org'],
    portal: true,
    fields: [],
    procedure: simpleProcedure,
    clocks: [],
    measures: [],
    permissions: {},
    ...partial,
  };
}

/** An office administrator: sees every list, manages users and API keys. */
export const officePermissions: MetaPermissions = {
  lists: {
    'market-serious': { view: 'all' },
    'wage-arrears': { view: 'all' },
    'tax-a': { view: 'all' },
    'admin-penalty': { view: 'all' },
    'admin-licence': { view: 'all' },
  },
  global: { configure: 'all', 'manage-users': 'all', 'manage-api-keys': 'all', 'view-reports': 'all', lookup: 'all' },
  domains: ['*'],
};

/** A clerk of the market regulator: one black list and the penalty records, own department only. */
export const clerkPermissions: MetaPermissions = {
  lists: {
    'market-serious': { view: ['scjg'], create: ['scjg'], 'edit-draft': ['scjg'], notify: ['scjg'], withdraw: ['scjg'] },
    'admin-penalty': { view: ['scjg', 'scjg-zf'], create: ['scjg'], 'edit-draft': ['scjg'], publish: ['scjg'] },
  },
  global: { lookup: ['scjg'] },
  domains: ['scjg'],
};

/** A reviewer of the market regulator: recognises, publishes and exits. */
export const reviewerPermissions: MetaPermissions = {
  lists: {
    'market-serious': { view: ['scjg'], recognise: ['scjg'], publish: ['scjg'], exit: ['scjg'], revoke: ['scjg'] },
  },
  global: { lookup: ['scjg'] },
  domains: ['scjg'],
};

export const metaFixture: Meta = {
  version: 'sha256:3f2a9c1d5e7b',
  platform: { name: '示范市社会信用体系建设平台', nameEn: 'Demo City Credit Platform', city: '示范市', timezone: 'Asia/Shanghai', imports: { maxRows: 50000, maxSizeMb: 20 } },
  departments: [
    { code: 'fgw', name: '发展改革委', nameEn: 'Development and Reform Commission', fullName: '示范市发展和改革委员会', office: false },
    { code: 'xyb', name: '信用办', nameEn: 'Credit Office', fullName: '示范市社会信用体系建设领导小组办公室', parent: 'fgw', office: true },
    { code: 'scjg', name: '市场监管局', nameEn: 'Market Regulation', office: false },
    { code: 'scjg-zf', name: '执法稽查处', parent: 'scjg', office: false },
    { code: 'rsj', name: '人社局', nameEn: 'Human Resources and Social Security', office: false },
    { code: 'sw', name: '税务局', office: false },
  ],
  roles: [
    { id: 'office-admin', name: '信用办管理员', nameEn: 'Office administrator', scope: 'all', client: 'user', actions: ['configure', 'manage-users', 'manage-api-keys', 'view-reports', 'lookup'] },
    { id: 'clerk', name: '经办人', nameEn: 'Clerk', scope: 'own', client: 'user', actions: ['lookup'] },
    { id: 'reviewer', name: '审核人', nameEn: 'Reviewer', scope: 'own', client: 'user', actions: ['lookup'] },
  ],
  materials: [{ id: 'commitment', name: '信用承诺书', nameEn: 'Credit commitment' }],
  matters: [
    { id: 'procurement', name: '政府采购' },
    { id: 'subsidy', name: '财政补贴' },
  ],
  measures: [
    {
      id: 'no-procurement',
      name: '限制参加政府采购活动',
      nameEn: 'Barred from government procurement',
      kind: 'punishment',
      legalBasis: ['《中华人民共和国政府采购法》第二十二条'],
      department: 'fgw',
      matters: ['procurement'],
    },
    {
      id: 'green-channel',
      name: '行政审批“绿色通道”',
      kind: 'incentive',
      legalBasis: ['国发〔2016〕33号'],
      department: 'fgw',
      matters: [],
    },
  ],
  lists: [
    list({
      id: 'market-serious',
      name: '市场监督管理严重违法失信名单',
      nameEn: 'Serious illegal and dishonest list (market regulation)',
      kind: 'black',
      category: 'list',
      department: 'scjg',
      legalBasis: ['《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）'],
      fields: [
        { key: 'decisionNo', label: '决定文书号', labelEn: 'Decision number', type: 'string', required: true, public: true, maxLength: 64 },
        { key: 'facts', label: '违法事实', labelEn: 'Facts', type: 'text', required: true, public: true },
        { key: 'fine', label: '罚款金额', labelEn: 'Fine', type: 'money', required: false, public: true, min: 0 },
        { key: 'decisionDate', label: '决定日期', labelEn: 'Decision date', type: 'date', required: true, public: true },
        { key: 'severity', label: '严重程度', labelEn: 'Severity', type: 'enum', required: true, public: false, options: ['一般', '严重'] },
        { key: 'decisionDoc', label: '决定书', labelEn: 'Decision document', type: 'document', required: true, public: false },
      ],
      procedure: blackProcedure,
      clocks: [
        { id: 'notice_end', label: '陈述申辩期满', labelEn: 'Statement period ends', from: 'notice_served', period: { working_days: 5 } },
        { id: 'publish_due', label: '公示期限', labelEn: 'Publish by', from: 'decision', period: { working_days: 20 } },
        { id: 'term_end', label: '列入期满', labelEn: 'Term ends', from: 'decision', period: { years: 3 } },
        { id: 'min_period_end', label: '可申请修复', labelEn: 'Repair possible from', from: 'decision', period: { years: 1 } },
        { id: 'objection_due', label: '异议答复期限', labelEn: 'Answer objection by', from: 'received', period: { working_days: 5 } },
      ],
      measures: ['no-procurement'],
      permissions: { notify: ['clerk'], recognise: ['reviewer'], publish: ['reviewer'] },
    }),
    list({ id: 'wage-arrears', name: '拖欠农民工工资失信联合惩戒对象名单', kind: 'black', category: 'list', department: 'rsj' }),
    list({ id: 'tax-a', name: '纳税信用A级纳税人', nameEn: 'Grade-A taxpayers', kind: 'red', category: 'list', department: 'sw' }),
    list({ id: 'admin-penalty', name: '行政处罚信息', nameEn: 'Administrative penalties', kind: 'black', category: 'record', department: 'fgw' }),
    list({ id: 'admin-licence', name: '行政许可信息', nameEn: 'Administrative licences', kind: 'red', category: 'record', department: 'fgw' }),
  ],
  plans: [{ id: 'plan-2025', title: '2025年社会信用体系建设工作要点', issuedBy: 'xyb', tasks: 12 }],
  permissions: officePermissions,
};

/** The fixture as another user sees it. */
export function metaAs(permissions: MetaPermissions): Meta {
  return { ...metaFixture, permissions };
}
