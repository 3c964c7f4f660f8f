/** Shapes of `/api/lists/:listId/entries` (the agreed contract; see api/src/entries/view.ts). */
import type { SubjectKind } from '../meta/types';

export interface EntrySubject {
  id?: string;
  kind: SubjectKind;
  code: string;
  name: string;
  /** False when the code failed its checksum and was accepted with an override reason. */
  codeValid?: boolean;
}

export interface RelatedPerson {
  role: string;
  kind: SubjectKind;
  code: string;
  name: string;
  subjectId?: string;
}

export interface Entry {
  id: string;
  listId: string;
  department: string;
  status: string;
  version: number;
  subject: EntrySubject;
  relatedPersons: RelatedPerson[];
  fields: Record<string, unknown>;
  decisionNo?: string | null;
  decisionDate?: string | null;
  noticeServedAt?: string | null;
  recognisedAt?: string | null;
  publishedAt?: string | null;
  exitedAt?: string | null;
  exitReason?: string | null;
  /** Clock id → due date (YYYY-MM-DD). */
  due: Record<string, string>;
  overdue: boolean;
  createdBy?: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface EntryEvent {
  seq: number;
  action: string;
  fromStatus: string | null;
  toStatus: string | null;
  actor: { kind?: 'user' | 'api_key' | 'system' | 'public'; name: string | null; userId?: string | null; apiKeyId?: string | null };
  comment?: string | null;
  data?: Record<string, unknown> | null;
  at: string;
}

export type ActionInputType = 'string' | 'text' | 'date' | 'boolean' | 'enum' | 'document' | 'materials' | 'fields' | 'number';

export interface ActionInput {
  key: string;
  type: ActionInputType;
  label: string;
  labelEn?: string;
  required: boolean;
  options?: string[];
}

export interface EntryAction {
  /** Transition id, the `:actionId` of `POST …/actions/:actionId`. */
  id: string;
  label: string;
  labelEn?: string;
  /** Permission action guarding it (`notify`, `recognise`, …). */
  action: string;
  /** Target state. */
  to: string;
  inputs: ActionInput[];
  /** Present when a guard blocks the action now (e.g. the notice period is not over). */
  blocked?: { code: string; message: string };
}

export interface Objection {
  id: string;
  status: string;
  version?: number;
  source?: string;
  trackingNo?: string | null;
  content?: string;
  receivedAt?: string;
  dueAt?: string | null;
  answeredAt?: string | null;
  result?: string | null;
  answer?: string | null;
}

export interface Repair {
  id: string;
  status: string;
  version?: number;
  source?: string;
  trackingNo?: string | null;
  application?: Record<string, unknown>;
  materials?: unknown[];
  appliedAt?: string;
  acceptDue?: string | null;
  decideDue?: string | null;
  acceptedAt?: string | null;
  decidedAt?: string | null;
  result?: string | null;
  reason?: string | null;
}

export interface EntryDetail extends Entry {
  events: EntryEvent[];
  actions: EntryAction[];
  objections: Objection[];
  repairs: Repair[];
}

/** Body of `POST /api/lists/:listId/entries`. */
export interface EntryCreateBody {
  subject: { kind: SubjectKind; code: string; name: string; codeOverrideReason?: string };
  relatedPersons?: { role: string; kind: 'natural_person'; code: string; name: string; codeOverrideReason?: string }[];
  fields: Record<string, unknown>;
  department?: string;
}

/** Body of `PATCH /api/lists/:listId/entries/:id` (drafts only). */
export interface EntryPatchBody {
  version: number;
  subject?: EntryCreateBody['subject'];
  relatedPersons?: EntryCreateBody['relatedPersons'];
  fields?: Record<string, unknown>;
}
