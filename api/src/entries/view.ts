/** How an entry leaves the API: one shape for lists and details. */
import { civilDate } from '../procedures/clock.ts';
import type { Entry, EntryEvent, Subject } from '../db/schema.ts';

export type EntryView = ReturnType<typeof entryView>;

export function entryView(e: Entry, s: Subject, timeZone: string) {
  return {
    id: e.id,
    listId: e.listId,
    department: e.department,
    status: e.status,
    version: e.version,
    subject: { id: s.id, kind: s.kind, code: s.code, name: s.name, codeValid: s.codeValid },
    relatedPersons: e.relatedPersons,
    fields: e.fields,
    decisionNo: e.decisionNo,
    decisionDate: e.decisionDate,
    noticeServedAt: e.noticeServedAt,
    recognisedAt: e.recognisedAt ? civilDate(e.recognisedAt, timeZone) : null,
    publishedAt: e.publishedAt ? civilDate(e.publishedAt, timeZone) : null,
    exitedAt: e.exitedAt ? civilDate(e.exitedAt, timeZone) : null,
    exitReason: e.exitReason,
    due: e.due,
    overdue: e.overdue,
    configVersionCreated: e.configVersionCreated,
    configVersionRecognised: e.configVersionRecognised,
    createdBy: e.createdBy,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

export function eventView(ev: EntryEvent, actorName: string | null) {
  return {
    seq: ev.seq,
    action: ev.action,
    fromStatus: ev.fromStatus,
    toStatus: ev.toStatus,
    actor: { kind: ev.actorKind, userId: ev.actorUserId, apiKeyId: ev.actorApiKeyId, name: actorName },
    comment: ev.comment,
    data: ev.data,
    at: ev.at.toISOString(),
  };
}
