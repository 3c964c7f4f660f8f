import { describe, expect, it } from 'vitest';
import { clerkPermissions, metaAs, reviewerPermissions } from '../meta/__fixtures__/meta';
import { hasTaskQueue, nextDraftTransitions, selectTasks, taskQueries } from './queue';
import type { Entry } from './types';

const clerk = metaAs(clerkPermissions);
const reviewer = metaAs(reviewerPermissions);

function entry(id: string, status: string, due: Record<string, string> = {}, department = 'scjg'): Entry {
  return {
    id,
    listId: 'market-serious',
    department,
    status,
    version: 1,
    subject: { kind: 'legal_person', code: id, name: id },
    relatedPersons: [],
    fields: {},
    due,
    overdue: false,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
  };
}

describe('work queue', () => {
  it('asks one query per list type and task kind the user can act on', () => {
    expect(taskQueries(clerk).map((q) => [q.kind, q.listId, q.statuses.join(','), q.actions.join(',')])).toEqual([
      ['drafts', 'market-serious', 'draft', 'notify'],
      ['drafts', 'admin-penalty', 'draft', 'publish'],
    ]);
    expect(taskQueries(reviewer).map((q) => [q.kind, q.listId, q.statuses.join(','), q.sort.field])).toEqual([
      ['noticeEnded', 'market-serious', 'notified', 'createdAt'],
      ['termEnding', 'market-serious', 'published', 'termEnd'],
    ]);
    expect(hasTaskQueue(clerk)).toBe(true);
  });

  it('keeps notices whose period is over and terms ending within 30 days', () => {
    const [notice, term] = taskQueries(reviewer);
    const today = '2025-06-10';
    const notified = [
      entry('over', 'notified', { notice_end: '2025-06-09' }),
      entry('last-day', 'notified', { notice_end: '2025-06-10' }),
      entry('no-date', 'notified'),
      entry('other-dept', 'notified', { notice_end: '2025-06-01' }, 'rsj'),
    ];
    expect(selectTasks(notice!, notified, reviewer, today).map((e) => e.id)).toEqual(['over']);
    const published = [
      entry('soon', 'published', { term_end: '2025-07-10' }),
      entry('later', 'published', { term_end: '2025-07-11' }),
      entry('past', 'published', { term_end: '2025-06-01' }),
    ];
    expect(selectTasks(term!, published, reviewer, today).map((e) => e.id)).toEqual(['soon', 'past']);
  });

  it('asks the API for published entries with an objection or repair application waiting', () => {
    const handler = metaAs({ ...reviewerPermissions, lists: { 'market-serious': { view: ['scjg'], 'answer-objection': ['scjg'], repair: ['scjg'] } } });
    expect(taskQueries(handler).map((q) => [q.kind, q.statuses.join(','), q.filters?.openRequest, q.actions.join(',')])).toEqual([
      ['objections', 'published', 'objection', 'answer-objection'],
      ['repairs', 'published', 'repair', 'repair'],
    ]);
    const [objections] = taskQueries(handler);
    const rows = [entry('own', 'published'), entry('other-dept', 'published', {}, 'rsj')];
    expect(selectTasks(objections!, rows, handler, '2025-06-10').map((e) => e.id)).toEqual(['own']);
  });

  it('names the next step of a draft', () => {
    const list = clerk.lists[0]!;
    expect(nextDraftTransitions(list, clerk, 'scjg').map((t) => t.label)).toEqual(['预先告知']);
    expect(nextDraftTransitions(list, clerk, 'rsj')).toEqual([]);
  });
});
