import { describe, expect, it } from 'vitest';
import { metaFixture } from '../meta/__fixtures__/meta';
import { activeDueItems, clockKind, daysUntil, dueColor, dueLevel, isClockActive, todayIn } from './due';
import type { Entry } from './types';

const list = metaFixture.lists[0]!;

function entry(partial: Partial<Entry>): Entry {
  return {
    id: 'e1',
    listId: list.id,
    department: 'scjg',
    status: 'draft',
    version: 1,
    subject: { kind: 'legal_person', code: 'X', name: '某公司' },
    relatedPersons: [],
    fields: {},
    due: {},
    overdue: false,
    createdAt: '2025-01-01T00:00:00Z',
    updatedAt: '2025-01-01T00:00:00Z',
    ...partial,
  };
}

describe('due-date badge rules', () => {
  it('counts calendar days, inclusive of the due date', () => {
    expect(daysUntil('2025-03-10', '2025-03-07')).toBe(3);
    expect(daysUntil('2025-03-01', '2025-02-28')).toBe(1);
    expect(daysUntil('2024-03-01', '2024-02-28')).toBe(2);
    expect(daysUntil('2025-03-06', '2025-03-07')).toBe(-1);
  });

  it('is red once past, orange within 3 days (today included), normal otherwise', () => {
    expect(dueLevel('2025-03-06', '2025-03-07')).toBe('overdue');
    expect(dueLevel('2025-03-07', '2025-03-07')).toBe('soon');
    expect(dueLevel('2025-03-10', '2025-03-07')).toBe('soon');
    expect(dueLevel('2025-03-11', '2025-03-07')).toBe('normal');
    expect(dueColor({ kind: 'deadline', level: 'overdue' })).toBe('red');
    expect(dueColor({ kind: 'deadline', level: 'soon' })).toBe('orange');
    expect(dueColor({ kind: 'deadline', level: 'normal' })).toBe('default');
    // a milestone (e.g. the end of the statement period) is good news once reached
    expect(dueColor({ kind: 'milestone', level: 'overdue' })).toBe('green');
  });

  it('tells deadlines from milestones', () => {
    expect(clockKind('publish_due')).toBe('deadline');
    expect(clockKind('term_end')).toBe('deadline');
    expect(clockKind('notice_end')).toBe('milestone');
    expect(clockKind('early_exit_corrected-one-year')).toBe('milestone');
  });

  it('keeps only the clocks that still run in the entry’s state', () => {
    const notified = entry({ status: 'notified', noticeServedAt: '2025-03-01', due: { notice_end: '2025-03-08' } });
    expect(isClockActive('notice_end', notified, list.procedure)).toBe(true);
    const recognised = entry({ status: 'recognised', recognisedAt: '2025-03-10', due: { notice_end: '2025-03-08', publish_due: '2025-04-07', term_end: '2028-03-10' } });
    expect(isClockActive('notice_end', recognised, list.procedure)).toBe(false);
    expect(isClockActive('publish_due', recognised, list.procedure)).toBe(true);
    expect(isClockActive('term_end', recognised, list.procedure)).toBe(false);
    const published = entry({ ...recognised, status: 'published', publishedAt: '2025-03-12', due: { ...recognised.due, min_period_end: '2026-03-10', objection_due: '2025-03-20' } });
    expect(isClockActive('publish_due', published, list.procedure)).toBe(false);
    expect(isClockActive('term_end', published, list.procedure)).toBe(true);
    expect(isClockActive('objection_due', published, list.procedure)).toBe(false);
    expect(isClockActive('term_end', { ...published, status: 'exited' }, list.procedure)).toBe(false);

    const items = activeDueItems(published, list.procedure, list.clocks, '2028-03-08');
    expect(items.map((i) => [i.clockId, i.level])).toEqual([
      ['term_end', 'soon'],
      ['min_period_end', 'overdue'],
    ]);
    expect(items[0]?.clock?.label).toBe('列入期满');
  });

  it('gives today in the platform time zone', () => {
    expect(todayIn('Asia/Shanghai', new Date('2025-03-07T17:00:00Z'))).toBe('2025-03-08');
    expect(todayIn('Asia/Shanghai', new Date('2025-03-07T15:59:00Z'))).toBe('2025-03-07');
  });
});
