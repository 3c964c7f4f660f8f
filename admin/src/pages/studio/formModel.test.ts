import { describe, expect, it } from 'vitest';
import { blankListType, fromForm, mapIssues, targetOf, errorTargets, toForm } from './formModel';

describe('studio form model', () => {
  it('round-trips a list type, keeping keys the form has no control for', () => {
    const doc = {
      ...blankListType('zjj'),
      id: 'x',
      name: '名单',
      legal_basis: ['依据一', '依据二'],
      exit: { early: [{ id: 'e', label: '提前', after: { years: 1 } }] },
      revoke: { within: { working_days: 3 } },
      measures: ['M-A'],
    };
    expect(fromForm(toForm(doc))).toEqual(doc);
  });

  it('turns switched-off steps into false / none and drops what the form leaves empty', () => {
    const values = toForm({ ...blankListType('zjj'), id: 'x', name: '名单', name_en: '' });
    Object.assign(values, { _notice: false, _term: false, _repair: false, _objection: false, legal_basis_text: ' 依据 \n\n' });
    (values.permissions as Record<string, string[]>).withdraw = [];
    const doc = fromForm(values);
    expect(doc).toMatchObject({ procedure: { notice: false }, term: 'none', repair: false, objection: false, legal_basis: ['依据'] });
    expect(doc).not.toHaveProperty('name_en');
    expect(doc.permissions).not.toHaveProperty('withdraw');
    expect(doc).not.toHaveProperty('measures');
  });

  it('puts each issue on the nearest form control, and the rest aside', () => {
    const targets = errorTargets(2);
    expect(targetOf(['legal_basis'], targets)).toEqual(['legal_basis_text']);
    expect(targetOf(['procedure', 'notice', 'statement_period', 'working_days'], targets)).toEqual(['procedure', 'notice', 'statement_period']);
    expect(targetOf(['fields', 1, 'options'], targets)).toEqual(['fields', '1', 'options']);
    const issue = (file: string, path: (string | number)[]) => ({ code: 'SCHEMA' as const, file, path, message: '中文', messageEn: 'english' });
    const mapped = mapIssues([issue('lists/x.yaml', ['legal_basis']), issue('lists/x.yaml', ['procedure']), issue('assessment.yaml', ['indicators'])], 'lists/x.yaml', 2, false);
    expect([...mapped.byField.values()]).toEqual([{ name: ['legal_basis_text'], errors: ['中文'] }]);
    expect(mapped.general.map((i) => i.file)).toEqual(['lists/x.yaml', 'assessment.yaml']);
  });
});
