import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';
import type { Entry } from '../entries/types';
import { metaFixture } from '../meta/__fixtures__/meta';
import {
  crudToFilterValues,
  entryToFormValues,
  filterValuesToCrud,
  formValuesToCreateBody,
  formValuesToPatchBody,
  fromFormValue,
  toFormValue,
} from './values';

const list = metaFixture.lists[0]!;

describe('field values between API and form', () => {
  it('converts every field type both ways', () => {
    expect(fromFormValue({ type: 'string' }, '  示市监罚〔2025〕1号 ')).toBe('示市监罚〔2025〕1号');
    expect(fromFormValue({ type: 'string' }, '   ')).toBeUndefined();
    expect(fromFormValue({ type: 'money' }, 12000.5)).toBe(12000.5);
    expect(fromFormValue({ type: 'number' }, '3')).toBe(3);
    expect(fromFormValue({ type: 'date' }, dayjs('2025-03-07'))).toBe('2025-03-07');
    expect(fromFormValue({ type: 'boolean' }, false)).toBe(false);
    expect(fromFormValue({ type: 'multi-enum' }, [])).toBeUndefined();
    expect(fromFormValue({ type: 'multi-enum' }, ['a', 'b'])).toEqual(['a', 'b']);
    expect(fromFormValue({ type: 'document' }, { number: ' 1号 ', date: dayjs('2025-01-02'), title: '决定书' })).toEqual({
      number: '1号',
      date: '2025-01-02',
      title: '决定书',
    });
    expect(fromFormValue({ type: 'document' }, { number: '', title: ' ' })).toBeUndefined();

    expect(dayjs.isDayjs(toFormValue({ type: 'date' }, '2025-03-07'))).toBe(true);
    const doc = toFormValue({ type: 'document' }, { number: 'N', date: '2025-01-02', title: 'T' }) as { date: unknown };
    expect(dayjs.isDayjs(doc.date)).toBe(true);
    expect(toFormValue({ type: 'enum' }, null)).toBeUndefined();
  });

  it('builds the create body: trimmed upper-case codes, only filled fields, related persons as natural persons', () => {
    const body = formValuesToCreateBody(
      {
        department: 'scjg',
        subject: { kind: 'legal_person', code: ' 91370100ma3c8xxxx1 ', name: ' 某某食品有限公司 ' },
        relatedPersons: [{ role: '法定代表人', code: '11010519491231002x', name: '张三' }, { role: '直接责任人' }],
        fields: { decisionNo: '示市监罚〔2025〕1号', fine: 5000, severity: undefined, decisionDate: dayjs('2025-02-01') },
      },
      list,
    );
    expect(body).toEqual({
      department: 'scjg',
      subject: { kind: 'legal_person', code: '91370100MA3C8XXXX1', name: '某某食品有限公司' },
      relatedPersons: [{ role: '法定代表人', kind: 'natural_person', code: '11010519491231002X', name: '张三' }],
      fields: { decisionNo: '示市监罚〔2025〕1号', fine: 5000, decisionDate: '2025-02-01' },
    });
    expect(formValuesToCreateBody({ subject: { kind: 'legal_person', code: 'X', name: 'Y', codeOverrideReason: ' 已核对 ' } }, list).subject).toEqual({
      kind: 'legal_person',
      code: 'X',
      name: 'Y',
      codeOverrideReason: '已核对',
    });
  });

  it('builds the patch body with the version, clearing emptied optional fields', () => {
    const entry = {
      id: 'e',
      department: 'scjg',
      version: 4,
      subject: { kind: 'legal_person', code: 'C', name: 'N' },
      relatedPersons: [],
      fields: { decisionNo: 'A', fine: 100, decisionDate: '2025-01-01' },
    } as unknown as Entry;
    const values = entryToFormValues(entry, list);
    expect(dayjs.isDayjs(values.fields?.decisionDate)).toBe(true);
    values.fields = { ...values.fields, fine: undefined };
    const patch = formValuesToPatchBody(values, list, entry.version);
    expect(patch.version).toBe(4);
    expect(patch.fields).toMatchObject({ decisionNo: 'A', fine: null, decisionDate: '2025-01-01' });
    // a required field left empty is not sent (the server keeps it / refuses)
    expect(patch.fields).not.toHaveProperty('facts');
  });

  it('turns the filter bar into API filters and back', () => {
    const filters = filterValuesToCrud(
      {
        q: ' 食品 ',
        status: ['draft', 'notified'],
        createdAt: [dayjs('2025-01-01'), null],
        overdue: true,
        'f.severity': '严重',
        'f.decisionDate': [dayjs('2025-02-01'), dayjs('2025-02-28')],
        'f.decisionNo': '',
      },
      list,
    );
    const active = filters.filter((f) => 'value' in f && f.value !== undefined);
    expect(active).toEqual([
      { field: 'q', operator: 'eq', value: '食品' },
      { field: 'status', operator: 'in', value: ['draft', 'notified'] },
      { field: 'createdAt', operator: 'gte', value: '2025-01-01' },
      { field: 'overdue', operator: 'eq', value: 'true' },
      { field: 'f.decisionDate', operator: 'gte', value: '2025-02-01' },
      { field: 'f.decisionDate', operator: 'lte', value: '2025-02-28' },
      { field: 'f.severity', operator: 'eq', value: '严重' },
    ]);
    const back = crudToFilterValues(active, list);
    expect(back.q).toBe('食品');
    expect(back.status).toEqual(['draft', 'notified']);
    expect(back.overdue).toBe(true);
    expect(back['f.severity']).toBe('严重');
    expect((back['f.decisionDate'] as dayjs.Dayjs[])[1]?.format('YYYY-MM-DD')).toBe('2025-02-28');
    expect(crudToFilterValues([{ field: 'status', operator: 'in', value: 'draft,notified' }], list).status).toEqual(['draft', 'notified']);
  });
});
