/**
 * Subjects are found or created by code, so that one company or person is one
 * subject across every list. A code that fails its checksum is accepted only
 * with an explicit override reason, which is stored and audited.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import { type Subject, subjects } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { validateSubjectCode } from './codes.ts';

export const relatedRoles = ['法定代表人', '实际控制人', '直接责任人', '主要负责人'] as const;

export const SubjectInput = z.strictObject({
  kind: z.enum(['legal_person', 'other_org', 'individual_business', 'natural_person']),
  code: z.string().trim().min(1).max(32),
  name: z.string().trim().min(1).max(200),
  codeOverrideReason: z.string().trim().min(4).max(500).optional(),
});
export type SubjectInput = z.infer<typeof SubjectInput>;

export const RelatedPersonInput = SubjectInput.extend({
  kind: z.literal('natural_person').default('natural_person'),
  role: z.enum(relatedRoles),
});
export type RelatedPersonInput = z.infer<typeof RelatedPersonInput>;

export type SubjectResult = { subject: Subject; overridden: boolean };

/** Finds or creates the subject; refuses a bad code without an override reason (422, path given). */
export async function upsertSubject(tx: Db, input: SubjectInput, path: string, now: Date): Promise<SubjectResult> {
  const check = validateSubjectCode(input.kind, input.code);
  const code = check.ok ? check.value : input.code.trim().toUpperCase();
  if (!check.ok) {
    if (!check.overridable || !input.codeOverrideReason) {
      throw new AppError(422, 'INVALID_SUBJECT_CODE', `${path}：${check.message}`, `${path}: ${check.messageEn}`, [
        {
          path: `${path}.code`,
          code: check.code,
          message: check.overridable ? `${check.message}；如确认无误，请填写“代码校验例外原因”后提交` : check.message,
          overridable: check.overridable,
        },
      ]);
    }
  }
  const [existing] = await tx.select().from(subjects).where(eq(subjects.code, code));
  if (existing) {
    if (existing.kind !== input.kind && !(existing.kind === 'individual_business' || input.kind === 'individual_business')) {
      throw new AppError(422, 'SUBJECT_KIND_MISMATCH', `${path}：代码 ${code} 已登记为其他类型的主体`, `${path}: code ${code} belongs to a subject of another kind`, [
        { path: `${path}.kind`, message: `已登记为 ${existing.kind}` },
      ]);
    }
    return { subject: existing, overridden: !check.ok };
  }
  const [created] = await tx
    .insert(subjects)
    .values({ kind: input.kind, code, name: input.name, codeValid: check.ok, overrideReason: check.ok ? null : (input.codeOverrideReason ?? null), createdAt: now })
    .onConflictDoNothing()
    .returning();
  if (created) return { subject: created, overridden: !check.ok };
  // Another transaction created it between our read and insert.
  const [again] = await tx.select().from(subjects).where(eq(subjects.code, code));
  if (!again) throw new Error('subject vanished after a conflicting insert');
  return { subject: again, overridden: !check.ok };
}
