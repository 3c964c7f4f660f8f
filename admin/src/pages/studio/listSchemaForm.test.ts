import { describe, expect, it } from 'vitest';
import { controlOf, generatedChildren, generatedPaths, listSchema, pruneAdded, tunedPaths } from './listSchemaForm';

describe('generated list-type settings', () => {
  const paths = generatedPaths().map((p) => p.join('.'));

  it('offers every setting the tuned sections lack, and none they have', () => {
    expect(paths).toEqual(
      expect.arrayContaining([
        'category',
        'description',
        'personal_info.publish',
        'personal_info.basis',
        'procedure.notice.from',
        'procedure.notice.hearing',
        'procedure.recognise.decision_document',
        'procedure.disabled_actions',
        'term.min',
        'term.max',
        'repair.from',
        'objection.flag_within',
        'exit.on_term_end',
        'revoke.within',
        'revoke.requires',
      ]),
    );
    for (const tuned of tunedPaths) expect(paths.filter((p) => p === tuned || p.startsWith(`${tuned}.`))).toEqual([]);
  });

  it('picks the control from the schema', () => {
    const top = Object.fromEntries(generatedChildren(listSchema, []).map((c) => [c.key, c.kind]));
    expect(top).toMatchObject({ category: 'select', description: 'text', personal_info: 'group', procedure: 'group', exit: 'group', revoke: 'step' });
    const exit = generatedChildren(listSchema.properties?.exit ?? {}, ['exit']);
    expect(Object.fromEntries(exit.map((c) => [c.key, c.kind]))).toEqual({ on_term_end: 'select', early: 'records' });
    expect(controlOf(listSchema.properties?.procedure ?? {}, ['procedure'])).toBe('group');
    // Tables mark their issues in the list above the form, not on a control.
    expect(paths.some((p) => p.startsWith('exit.early'))).toBe(false);
  });
});

describe('pruneAdded', () => {
  const initial = { id: 'x', legal_basis: [], procedure: { notice: false, publish: { within: { working_days: 7 } } }, exit: { on_term_end: 'manual' } };

  it('drops empty values and defaults the form added, and keeps what the document had', () => {
    const doc = {
      ...initial,
      procedure: { notice: false, publish: { within: { working_days: 7 } }, disabled_actions: [] },
      exit: { on_term_end: 'manual', early: [] },
      term: { default: { years: 3 }, by_severity: {} },
      personal_info: { publish: false, basis: null },
      category: 'list',
      description: '新说明',
    };
    expect(pruneAdded(doc, initial)).toEqual({ ...initial, term: { default: { years: 3 } }, description: '新说明' });
  });

  it('keeps a value that differs from the default and an emptied key the document had', () => {
    expect(pruneAdded({ id: 'x', legal_basis: [], personal_info: { publish: true } }, initial)).toEqual({ id: 'x', legal_basis: [], personal_info: { publish: true } });
  });
});
