import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRuntimeModel, type RuntimeModel } from '../config/compile.ts';
import { containsPattern } from './service.ts';
import { type PortalRow, portalPolicy, projectEntry } from './project.ts';

let model: RuntimeModel;
beforeAll(async () => {
  model = await loadRuntimeModel(fileURLToPath(new URL('../../../config/', import.meta.url)));
});

const row = (over: Partial<PortalRow['entry']> = {}, subject: Partial<PortalRow['subject']> = {}): PortalRow => ({
  entry: {
    id: '00000000-0000-4000-8000-000000000001',
    listId: 'wage-arrears',
    department: 'rsj',
    status: 'published',
    fields: { facts: '张三丰（110101199003070011）拖欠工资。', arrears_from: '2025-01-01', employer_name: '示例市某公司' },
    relatedPersons: [],
    decisionNo: '示人社〔2026〕1号',
    decisionDate: '2026-10-01',
    publishedAt: new Date('2026-10-02T02:00:00Z'),
    termEnd: '2029-10-01',
    ...over,
  },
  subject: { kind: 'natural_person', code: '110101199003070011', name: '张三丰', ...subject },
});

describe('the public projection', () => {
  it('masks a natural person on a list that publishes persons, and keeps public fields only', () => {
    const e = projectEntry(model, row(), '2026-11-02')!;
    expect(e.subject).toMatchObject({ name: '张**', code: '110101********0011', desensitised: true });
    expect(e.fields.map((f) => f.key)).toEqual(['employer_name', 'facts']);
    expect(e.fields.find((f) => f.key === 'facts')!.value).toBe('张**（110101********0011）拖欠工资。');
    expect(e.personalInfoBasis).toContain('第45号');
  });

  it('shows nothing of a natural person elsewhere, nor unpublished or expired entries', () => {
    expect(projectEntry(model, row({ listId: 'market-serious-illegal', department: 'scjg' }), '2026-11-02')).toBeNull();
    for (const status of ['draft', 'repaired', 'revoked', 'exited', 'withdrawn']) expect(projectEntry(model, row({ status }), '2026-11-02')).toBeNull();
    expect(projectEntry(model, row({ termEnd: '2026-11-01' }), '2026-11-02')).toBeNull();
    expect(projectEntry(model, row({ listId: 'key-attention', department: 'scjg' }, { kind: 'legal_person' }), '2026-11-02')).toBeNull();
  });

  it('drops related persons where persons are not published, and scrubs them from the text', () => {
    const e = projectEntry(
      model,
      row(
        { listId: 'market-serious-illegal', department: 'scjg', fields: { violation: '法定代表人李四（110101199003070011）组织生产。' }, relatedPersons: [{ role: '法定代表人', code: '110101199003070011', name: '李四' }] },
        { kind: 'legal_person', code: '91110000000000000X', name: '示例市某公司' },
      ),
      '2026-11-02',
    )!;
    expect(e.relatedPersons).toEqual([]);
    expect(e.fields[0]!.value).toBe('法定代表人李*（110101********0011）组织生产。');
    expect(e.personalInfoBasis).toBeNull();
  });

  it('agrees with the policy used in SQL', () => {
    const p = portalPolicy(model);
    expect(p.statuses).toEqual(['published']);
    expect(p.personLists).toEqual(['wage-arrears']);
    expect(p.lists).not.toContain('key-attention');
  });

  it('escapes LIKE wildcards', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
