/**
 * 待我处理: what the work queue asks the API for (one request per list type and kind of task,
 * never per row) and which of the returned entries are due for the user. Pure; tested in
 * queue.test.ts.
 */
import { canList } from '../access/permissions';
import type { Meta, MetaList, MetaTransition } from '../meta/types';
import { daysUntil } from './due';
import type { Entry } from './types';

export type TaskKind = 'drafts' | 'noticeEnded' | 'termEnding' | 'objections' | 'repairs';

export const TASK_KINDS: readonly TaskKind[] = ['drafts', 'noticeEnded', 'objections', 'repairs', 'termEnding'];

/** Entries whose term ends within this many days appear under termEnding. */
export const TERM_WINDOW_DAYS = 30;

/** How many entries one queue request asks for. */
export const QUEUE_PAGE = 100;

export interface TaskQuery {
  kind: TaskKind;
  listId: string;
  /** `status=` filter (comma-separated states). */
  statuses: string[];
  sort: { field: string; order: 'asc' | 'desc' };
  /** Permission actions that make an entry the user's to handle (any of them). */
  actions: string[];
  /** Further list filters, e.g. `openRequest=objection`. */
  filters?: Record<string, string>;
}

type PermissionMeta = Pick<Meta, 'permissions'>;

const userTransitions = (list: MetaList) => list.procedure.transitions.filter((t) => t.action !== 'system');

/** Forward transitions out of the initial state (not withdraw): notify, or publish / recognise. */
function draftTransitions(list: MetaList): MetaTransition[] {
  const { initial } = list.procedure;
  return userTransitions(list).filter((t) => t.from === initial && t.to !== initial && t.action !== 'withdraw');
}

/** States a notify transition leads to (the notice period runs there). */
function noticeStates(list: MetaList): string[] {
  return [...new Set(userTransitions(list).filter((t) => t.action === 'notify').map((t) => t.to))];
}

function publicStates(list: MetaList): string[] {
  return list.procedure.states.filter((s) => s.public && !s.terminal).map((s) => s.id);
}

/** The queue requests for this user: one per list type and task kind the user can act on. */
export function taskQueries(meta: Pick<Meta, 'lists' | 'permissions'>): TaskQuery[] {
  const out: TaskQuery[] = [];
  for (const list of meta.lists) {
    if (!canList(meta, list.id, 'view')) continue;
    const drafts = draftTransitions(list)
      .map((t) => t.action)
      .filter((a) => canList(meta, list.id, a));
    if (drafts.length) {
      out.push({ kind: 'drafts', listId: list.id, statuses: [list.procedure.initial], sort: { field: 'createdAt', order: 'asc' }, actions: [...new Set(drafts)] });
    }
    const notice = noticeStates(list);
    if (notice.length && list.clocks.some((c) => c.id === 'notice_end') && canList(meta, list.id, 'recognise')) {
      out.push({ kind: 'noticeEnded', listId: list.id, statuses: notice, sort: { field: 'createdAt', order: 'asc' }, actions: ['recognise'] });
    }
    const published = publicStates(list);
    // Objections and repair applications (from staff or the public portal) wait on published entries.
    if (published.length && canList(meta, list.id, 'answer-objection')) {
      out.push({ kind: 'objections', listId: list.id, statuses: published, sort: { field: 'updatedAt', order: 'asc' }, actions: ['answer-objection'], filters: { openRequest: 'objection' } });
    }
    if (published.length && canList(meta, list.id, 'repair')) {
      out.push({ kind: 'repairs', listId: list.id, statuses: published, sort: { field: 'updatedAt', order: 'asc' }, actions: ['repair'], filters: { openRequest: 'repair' } });
    }
    if (published.length && list.clocks.some((c) => c.id === 'term_end') && canList(meta, list.id, 'exit')) {
      out.push({ kind: 'termEnding', listId: list.id, statuses: published, sort: { field: 'termEnd', order: 'asc' }, actions: ['exit'] });
    }
  }
  return out;
}

/** Whether the user has any work queue at all (the menu shows 待我处理 only then). */
export function hasTaskQueue(meta: Pick<Meta, 'lists' | 'permissions'>): boolean {
  return taskQueries(meta).length > 0;
}

/**
 * The entries of one query that are the user's to handle today: in the user's departments for
 * the action, and for the dated kinds, past the notice period or within the term window (the
 * open-request kinds are filtered by the API).
 */
export function selectTasks(query: TaskQuery, entries: Entry[], meta: PermissionMeta, today: string): Entry[] {
  return entries.filter((entry) => {
    if (!query.statuses.includes(entry.status)) return false;
    if (!query.actions.some((a) => canList(meta, query.listId, a, entry.department))) return false;
    if (query.kind === 'noticeEnded') {
      const end = entry.due?.notice_end;
      return !!end && daysUntil(end, today) < 0;
    }
    if (query.kind === 'termEnding') {
      const end = entry.due?.term_end;
      return !!end && daysUntil(end, today) <= TERM_WINDOW_DAYS;
    }
    return true;
  });
}

/** The next step of a draft, for the queue's "下一步" column. */
export function nextDraftTransitions(list: MetaList, meta: PermissionMeta, department: string): MetaTransition[] {
  return draftTransitions(list).filter((t) => canList(meta, list.id, t.action, department));
}
