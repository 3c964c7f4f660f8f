/** Calls of the entry endpoints that are not plain Refine CRUD (details with actions, actions, drafts). */
import { apiRequest, newIdempotencyKey, requestBlob, requestJson } from '../providers/http';
import type { Entry, EntryCreateBody, EntryDetail, EntryPatchBody } from './types';

const base = (listId: string) => `/api/lists/${encodeURIComponent(listId)}/entries`;
const one = (listId: string, id: string) => `${base(listId)}/${encodeURIComponent(id)}`;

export const entryQueryKey = (listId: string, id: string) => ['credit-lists', 'entry', listId, id] as const;

export function getEntry(listId: string, id: string, signal?: AbortSignal): Promise<EntryDetail> {
  return requestJson<EntryDetail>(one(listId, id), { signal });
}

export function createEntry(listId: string, body: EntryCreateBody): Promise<Entry> {
  return requestJson<Entry>(base(listId), { method: 'POST', body });
}

export function updateEntry(listId: string, id: string, body: EntryPatchBody): Promise<Entry> {
  return requestJson<Entry>(one(listId, id), { method: 'PATCH', body });
}

export async function deleteEntry(listId: string, id: string): Promise<void> {
  await apiRequest(one(listId, id), { method: 'DELETE' });
}

/** Takes a procedure action; one Idempotency-Key per call, so a retry of the same call is applied once. */
export function runAction(
  listId: string,
  id: string,
  actionId: string,
  body: Record<string, unknown>,
  idempotencyKey: string = newIdempotencyKey(),
): Promise<EntryDetail> {
  return requestJson<EntryDetail>(`${one(listId, id)}/actions/${encodeURIComponent(actionId)}`, {
    method: 'POST',
    body,
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

export type ObjectionResult = 'corrected' | 'upheld' | 'rejected';

/** 答复异议: `{ version, result, answer, fields?, entryVersion? }` (a correction carries the corrected fields). */
export function answerObjection(listId: string, id: string, objectionId: string, body: Record<string, unknown>): Promise<unknown> {
  return requestJson(`${one(listId, id)}/objections/${encodeURIComponent(objectionId)}/answer`, { method: 'POST', body });
}

export type RepairDecision = 'accept' | 'refuse' | 'reject';

/** 受理 / 不予受理 / 不予修复 a repair application (approval is the entry action `repair`). */
export function decideRepair(listId: string, id: string, repairId: string, decision: RepairDecision, body: { version: number; reason?: string }): Promise<unknown> {
  return requestJson(`${one(listId, id)}/repairs/${encodeURIComponent(repairId)}/${decision}`, { method: 'POST', body });
}

export type DocumentKind = 'notice' | 'decision';

/** The prior notice or the decision of an entry, as printable HTML or a Word file. */
export type AttachmentKind = 'evidence' | 'material' | 'other';
export type Attachment = { id: string; ownerType: 'entry' | 'objection' | 'repair'; ownerId: string; kind: AttachmentKind; materialType: string | null; filename: string; mime: string; size: number; createdAt: string };

export function listAttachments(listId: string, id: string, signal?: AbortSignal): Promise<Attachment[]> {
  return requestJson<Attachment[]>(`${one(listId, id)}/attachments`, { signal });
}

export function uploadAttachment(listId: string, id: string, file: File, kind: AttachmentKind, materialType?: string): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  form.append('kind', kind);
  if (materialType) form.append('materialType', materialType);
  return requestJson<Attachment>(`${one(listId, id)}/attachments`, { method: 'POST', body: form });
}

export function downloadAttachment(listId: string, id: string, attachmentId: string): Promise<Blob> {
  return requestBlob(`${one(listId, id)}/attachments/${encodeURIComponent(attachmentId)}`);
}

export async function deleteAttachment(listId: string, id: string, attachmentId: string): Promise<void> {
  await apiRequest(`${one(listId, id)}/attachments/${encodeURIComponent(attachmentId)}`, { method: 'DELETE' });
}

export function fetchDocument(listId: string, id: string, doc: DocumentKind, format: 'html' | 'docx'): Promise<Blob> {
  return requestBlob(`${one(listId, id)}/documents/${doc}?format=${format}`);
}

/** One page of entries with the total from x-total-count. */
export async function listEntries(
  listId: string,
  query: Record<string, string>,
  signal?: AbortSignal,
): Promise<{ data: Entry[]; total: number }> {
  const response = await apiRequest<Entry[]>(`${base(listId)}?${new URLSearchParams(query).toString()}`, { signal });
  const data = Array.isArray(response.data) ? response.data : [];
  const total = Number(response.headers.get('x-total-count') ?? data.length);
  return { data, total: Number.isFinite(total) ? total : data.length };
}
