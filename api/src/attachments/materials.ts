/**
 * Materials (commitment letter, proof of fulfilment, training certificate …)
 * may be given as references to uploaded attachments. An `attachmentId` must
 * name an attachment of the same entry (its own, or of one of its objections
 * or repair applications); and files uploaded to a repair application as
 * materials count as provided for the repair guard.
 */
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { attachments } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';

export type MaterialRef = { type: string; attachmentId?: string };

export async function checkMaterialAttachments(tx: Db, entryId: string, materials: readonly MaterialRef[]): Promise<void> {
  for (const [i, m] of materials.entries()) {
    if (!m.attachmentId) continue;
    const [row] = await tx.select({ id: attachments.id }).from(attachments).where(and(eq(attachments.id, m.attachmentId), eq(attachments.entryId, entryId)));
    if (!row) {
      throw new AppError(422, 'ATTACHMENT_NOT_FOUND', '材料引用的附件不存在或不属于本条目', 'a material refers to an attachment that is not one of this entry', [
        { path: `materials.${i}.attachmentId`, message: '附件不存在', messageEn: 'no such attachment of this entry' },
      ]);
    }
  }
}

/** Material types of the files uploaded as materials to a repair application. */
export async function attachedMaterialTypes(tx: Db, repairId: string): Promise<string[]> {
  const rows = await tx
    .select({ type: attachments.materialType })
    .from(attachments)
    .where(and(eq(attachments.ownerType, 'repair'), eq(attachments.ownerId, repairId), isNotNull(attachments.materialType)));
  return rows.map((r) => r.type ?? '');
}
