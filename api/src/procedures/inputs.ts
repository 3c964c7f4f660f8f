/**
 * What each transition asks for, as a zod schema (validation) and as field
 * descriptors (the admin's action forms). Every action also takes the entry's
 * `version` and an optional comment.
 */
import { z } from 'zod';

const Doc = z.strictObject({
  number: z.string().trim().min(1).max(100),
  date: z.iso.date(),
  title: z.string().trim().min(1).max(200),
});
export const Material = z.strictObject({
  type: z.string().min(1).max(64),
  attachmentId: z.uuid().optional(),
  note: z.string().trim().max(500).optional(),
});
const text = (max = 5000) => z.string().trim().min(1).max(max);
const TermInput = z
  .strictObject({ years: z.number().int().positive().optional(), months: z.number().int().positive().optional() })
  .refine((t) => (t.years === undefined) !== (t.months === undefined), { message: '期限须且只能填写年或月' });

export const serviceMethods = ['直接送达', '邮寄送达', '电子送达', '留置送达', '公告送达'] as const;

export const actionInputs = {
  notify: z.strictObject({ noticeServedAt: z.iso.date().optional(), serviceMethod: z.enum(serviceMethods), noticeNo: z.string().trim().max(100).optional() }),
  'record-statement': z.strictObject({
    content: text().optional(),
    receivedOn: z.iso.date().optional(),
    answersSeq: z.number().int().positive().optional(),
    adopted: z.boolean().optional(),
    answer: text().optional(),
  }),
  'request-hearing': z.strictObject({ requestedOn: z.iso.date().optional() }),
  'close-hearing': z.strictObject({ heldOn: z.iso.date(), summary: text() }),
  recognise: z.strictObject({ decisionNo: text(100).optional(), decisionDate: z.iso.date(), term: TermInput.optional() }),
  publish: z.strictObject({ decisionNo: text(100).optional(), decisionDate: z.iso.date().optional() }),
  withdraw: z.strictObject({ reason: text() }),
  correct: z.strictObject({ fields: z.record(z.string(), z.unknown()), reason: text() }),
  'record-correction': z.strictObject({ correctedOn: z.iso.date(), materials: z.array(Material).max(20).default([]), note: text().optional() }),
  repair: z.strictObject({ repairId: z.uuid() }),
  reinstate: z.strictObject({ reason: text(), document: Doc }),
  exit: z.strictObject({ condition: z.string().min(1).max(64), materials: z.array(Material).max(20).default([]), reason: text().optional() }),
  expire: z.strictObject({}),
  revoke: z.strictObject({ document: Doc, reason: text() }),
} as const;
export type TransitionId = keyof typeof actionInputs;

export type InputDescriptor = {
  key: string;
  type: 'string' | 'text' | 'date' | 'boolean' | 'enum' | 'document' | 'materials' | 'fields' | 'number';
  label: string;
  labelEn: string;
  required: boolean;
  options?: readonly string[];
};

const d = (key: string, type: InputDescriptor['type'], label: string, labelEn: string, required = true, options?: readonly string[]): InputDescriptor => ({
  key,
  type,
  label,
  labelEn,
  required,
  ...(options ? { options } : {}),
});

export const inputDescriptors: Record<TransitionId, InputDescriptor[]> = {
  notify: [
    d('serviceMethod', 'enum', '送达方式', 'Service method', true, serviceMethods),
    d('noticeServedAt', 'date', '送达日期（默认今天）', 'Served on (default today)', false),
    d('noticeNo', 'string', '告知书文号（留空自动编号）', 'Notice number (blank: numbered automatically)', false),
  ],
  'record-statement': [
    d('content', 'text', '陈述申辩内容', 'Statement', false),
    d('receivedOn', 'date', '收到日期', 'Received on', false),
    d('answersSeq', 'number', '答复的陈述记录序号（答复时填写）', 'Answers statement no. (when answering)', false),
    d('adopted', 'boolean', '是否采纳（答复时填写）', 'Adopted (when answering)', false),
    d('answer', 'text', '答复意见（答复时填写）', 'Answer (when answering)', false),
  ],
  'request-hearing': [d('requestedOn', 'date', '申请听证日期', 'Requested on', false)],
  'close-hearing': [d('heldOn', 'date', '听证日期', 'Held on'), d('summary', 'text', '听证情况', 'Summary')],
  recognise: [d('decisionDate', 'date', '决定日期', 'Decision date'), d('decisionNo', 'string', '认定决定书文号（留空自动编号）', 'Decision number (blank: numbered automatically)', false)],
  publish: [d('decisionNo', 'string', '决定书文号（未登记时必填）', 'Decision number (if not recorded)', false), d('decisionDate', 'date', '决定日期（未登记时必填）', 'Decision date (if not recorded)', false)],
  withdraw: [d('reason', 'text', '撤回原因', 'Reason')],
  correct: [d('fields', 'fields', '更正内容', 'Corrected fields'), d('reason', 'text', '更正原因', 'Reason')],
  'record-correction': [
    d('correctedOn', 'date', '纠正失信行为日期', 'Corrected on'),
    d('materials', 'materials', '证明材料', 'Materials', false),
    d('note', 'text', '说明', 'Note', false),
  ],
  repair: [d('repairId', 'string', '修复申请', 'Repair application')],
  reinstate: [d('reason', 'text', '恢复原因', 'Reason'), d('document', 'document', '恢复依据文书', 'Document')],
  exit: [d('condition', 'enum', '移出条件', 'Condition'), d('materials', 'materials', '证明材料', 'Materials', false), d('reason', 'text', '说明', 'Reason', false)],
  expire: [],
  revoke: [d('document', 'document', '撤销依据文书', 'Revoking document'), d('reason', 'text', '撤销原因', 'Reason')],
};
