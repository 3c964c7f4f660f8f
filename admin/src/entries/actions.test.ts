import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import { clerkPermissions, metaAs, metaFixture, reviewerPermissions } from '../meta/__fixtures__/meta';
import { ApiError } from '../providers/errors';
import { actionBody, batchCandidates, consequenceKey, isIrreversible, runBatch } from './actions';
import type { Entry } from './types';

const list = metaFixture.lists[0]!;

function row(id: string, status: string, department = 'scjg'): Entry {
  return {
    id,
    listId: list.id,
    department,
    status,
    version: 3,
    subject: { kind: 'legal_person', code: id, name: id },
    relatedPersons: [],
    fields: {},
    due: {},
    overdue: false,
    createdAt: '',
    updatedAt: '',
  };
}

describe('procedure actions', () => {
  it('knows which actions cannot be undone and what they do', () => {
    expect(isIrreversible({ action: 'recognise', to: 'recognised' }, list.procedure)).toBe(true);
    expect(isIrreversible({ action: 'notify', to: 'notified' }, list.procedure)).toBe(false);
    // a transition into a terminal state is irreversible whatever its name
    expect(isIrreversible({ action: 'system', to: 'exited' }, list.procedure)).toBe(true);
    expect(consequenceKey({ action: 'recognise' })).toBe('actions.consequence.recognise');
    expect(consequenceKey({ action: 'system' })).toBe('actions.consequence.default');
  });

  it('builds the request body from the modal values', () => {
    const body = actionBody(
      [
        { key: 'decisionNo', type: 'string', label: '文号', required: true },
        { key: 'decisionDate', type: 'date', label: '日期', required: true },
        { key: 'noticeNo', type: 'string', label: '告知书文号', required: false },
        { key: 'document', type: 'document', label: '文书', required: true },
        { key: 'materials', type: 'materials', label: '材料', required: false },
        { key: 'fields', type: 'fields', label: '更正', required: true },
      ],
      {
        decisionNo: ' 示市监认〔2025〕3号 ',
        decisionDate: dayjs('2025-03-01'),
        noticeNo: '',
        document: { number: 'N1', date: dayjs('2025-02-01'), title: '判决书' },
        materials: ['commitment'],
        fields: { fine: 2000, decisionNo: '  ', unknown: 1 },
        comment: ' 同意 ',
      },
      7,
      list,
    );
    expect(body).toEqual({
      version: 7,
      comment: '同意',
      decisionNo: '示市监认〔2025〕3号',
      decisionDate: '2025-03-01',
      document: { number: 'N1', date: '2025-02-01', title: '判决书' },
      materials: [{ type: 'commitment' }],
      fields: { fine: 2000 },
    });
  });

  it('offers batch actions allowed for some selected entry, with the entries they apply to', () => {
    const rows = [row('a', 'draft'), row('b', 'draft'), row('c', 'recognised'), row('d', 'draft', 'rsj')];
    const clerk = batchCandidates(list, rows, metaAs(clerkPermissions));
    expect(clerk.map((c) => [c.id, c.eligible.map((r) => r.id)])).toEqual([
      ['notify', ['a', 'b']],
      ['withdraw', ['a', 'b']],
    ]);
    const reviewer = batchCandidates(list, rows, metaAs(reviewerPermissions));
    expect(reviewer.map((c) => [c.id, c.eligible.map((r) => r.id)])).toEqual([['publish', ['c']]]);
  });

  it('runs a batch item by item and sums up successes and failures with reasons', async () => {
    const progress: number[] = [];
    const summary = await runBatch(
      ['a', 'b', 'c'],
      async (id) => {
        if (id === 'b') throw new ApiError(409, '该条目已被他人修改，请刷新后重试', 'VERSION_CONFLICT');
        return id;
      },
      (done) => progress.push(done),
    );
    expect(summary.succeeded.map((r) => r.item)).toEqual(['a', 'c']);
    expect(summary.failed).toEqual([{ item: 'b', ok: false, message: '该条目已被他人修改，请刷新后重试', code: 'VERSION_CONFLICT' }]);
    expect(progress).toEqual([1, 2, 3]);
  });
});
