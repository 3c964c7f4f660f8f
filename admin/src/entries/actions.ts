/**
 * Procedure actions: what an action does (the sentence the confirmation modal shows), whether it
 * can be undone, how its form values become the request body, which actions a batch can apply
 * and how a batch runs. Pure; tested in actions.test.ts.
 */
import { canList } from '../access/permissions';
import { fromFormValue } from '../fields/values';
import type { Meta, MetaList, MetaProcedure } from '../meta/types';
import { toApiError } from '../providers/errors';
import type { ActionInput, Entry } from './types';

/** Permission actions whose consequence has its own sentence in the dictionary (`actions.consequence.<action>`). */
const KNOWN_CONSEQUENCES = new Set([
  'notify',
  'record-statement',
  'recognise',
  'publish',
  'withdraw',
  'correct',
  'repair',
  'reinstate',
  'exit',
  'revoke',
  'answer-objection',
]);

/** Actions that cannot be taken back in the procedure (the decision, publication, ending the entry). */
const IRREVERSIBLE_ACTIONS = new Set(['recognise', 'publish', 'withdraw', 'exit', 'revoke', 'repair']);

/** Actions a batch may apply: the same inputs make sense for every selected entry. */
const BATCHABLE_ACTIONS = new Set(['notify', 'recognise', 'publish', 'withdraw', 'exit', 'revoke', 'reinstate']);

export function isIrreversible(action: { action: string; to: string }, procedure: Pick<MetaProcedure, 'states'>): boolean {
  const target = procedure.states.find((s) => s.id === action.to);
  return IRREVERSIBLE_ACTIONS.has(action.action) || !!target?.terminal;
}

/** Dictionary key and parameters of the consequence sentence. */
export function consequenceKey(action: { action: string }): string {
  return KNOWN_CONSEQUENCES.has(action.action) ? `actions.consequence.${action.action}` : 'actions.consequence.default';
}

/**
 * The action modal's values → the request body `{ version, comment?, ...inputs }`. Blank optional
 * inputs are left out; dates become YYYY-MM-DD, documents `{number, date, title}`, materials
 * `[{ type }]` and a `fields` input the list's converted field values.
 */
export function actionBody(
  inputs: ActionInput[],
  values: Record<string, unknown>,
  version: number,
  list?: Pick<MetaList, 'fields'>,
): Record<string, unknown> {
  const body: Record<string, unknown> = { version };
  const comment = typeof values.comment === 'string' ? values.comment.trim() : '';
  if (comment) body.comment = comment;
  for (const input of inputs) {
    const raw = values[input.key];
    let value: unknown;
    switch (input.type) {
      case 'date':
        value = fromFormValue({ type: 'date' }, raw);
        break;
      case 'document':
        value = fromFormValue({ type: 'document' }, raw);
        break;
      case 'number':
        value = fromFormValue({ type: 'number' }, raw);
        break;
      case 'boolean':
        value = typeof raw === 'boolean' ? raw : undefined;
        break;
      case 'materials':
        value = Array.isArray(raw) && raw.length ? raw.map((type) => ({ type: String(type) })) : undefined;
        break;
      case 'fields': {
        const fields: Record<string, unknown> = {};
        const given = (raw ?? {}) as Record<string, unknown>;
        for (const field of list?.fields ?? []) {
          if (!(field.key in given)) continue;
          const v = fromFormValue(field, given[field.key]);
          if (v !== undefined) fields[field.key] = v;
        }
        value = Object.keys(fields).length ? fields : undefined;
        break;
      }
      default:
        value = typeof raw === 'string' ? raw.trim() || undefined : raw ?? undefined;
    }
    if (value !== undefined) body[input.key] = value;
  }
  return body;
}

export interface BatchCandidate {
  /** Transition id (`POST …/actions/:id`). */
  id: string;
  action: string;
  label: string;
  labelEn: string;
  to: string;
  /** Selected entries the action applies to (status and department allow it). */
  eligible: Entry[];
}

/**
 * The actions a batch can apply to the selected entries, answered from meta: transitions out of
 * at least one selected entry's state that the user may take in that entry's department.
 */
export function batchCandidates(list: MetaList, rows: Entry[], meta: Pick<Meta, 'permissions'>): BatchCandidate[] {
  const byId = new Map<string, BatchCandidate>();
  for (const t of list.procedure.transitions) {
    if (t.action === 'system' || !BATCHABLE_ACTIONS.has(t.action)) continue;
    const id = t.id ?? t.action;
    const eligible = rows.filter((r) => r.status === t.from && canList(meta, list.id, t.action, r.department));
    const existing = byId.get(id);
    if (existing) {
      for (const r of eligible) if (!existing.eligible.includes(r)) existing.eligible.push(r);
    } else {
      byId.set(id, { id, action: t.action, label: t.label, labelEn: t.labelEn, to: t.to, eligible: [...eligible] });
    }
  }
  return [...byId.values()].filter((c) => c.eligible.length > 0);
}

export interface BatchResult<T> {
  item: T;
  ok: boolean;
  /** Server message (or local reason) when it failed. */
  message?: string;
  code?: string;
}

export interface BatchSummary<T> {
  succeeded: BatchResult<T>[];
  failed: BatchResult<T>[];
}

/**
 * Applies `run` to each item in turn (each one checked by the server on its own); a failure does
 * not stop the batch. `onProgress` is told after each item.
 */
export async function runBatch<T>(
  items: T[],
  run: (item: T) => Promise<unknown>,
  onProgress?: (done: number, total: number) => void,
): Promise<BatchSummary<T>> {
  const succeeded: BatchResult<T>[] = [];
  const failed: BatchResult<T>[] = [];
  let done = 0;
  for (const item of items) {
    try {
      await run(item);
      succeeded.push({ item, ok: true });
    } catch (error) {
      const e = toApiError(error);
      failed.push({ item, ok: false, message: e.message || e.code, code: e.code });
    }
    done += 1;
    onProgress?.(done, items.length);
  }
  return { succeeded, failed };
}
