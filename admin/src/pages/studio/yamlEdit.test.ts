import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { editYaml } from './yamlEdit';

const text = `# header comment
calendar:
  source: chinese-days
  holidays: []   # aligned comment
  workdays: []   # another
departments:
  - code: a
    name: 甲
  - { code: b, name: 乙 }
`;

describe('editYaml', () => {
  it('changes only the edited lines, keeping comments and their spacing elsewhere', () => {
    const out = editYaml(text, (doc) => doc.setIn(['calendar', 'holidays'], ['2026-12-31']));
    expect(parse(out).calendar.holidays).toEqual(['2026-12-31']);
    expect(out).toContain('  workdays: []   # another');
    expect(out).toContain('# header comment');
    const kept = text.split('\n').filter((l) => !l.startsWith('  holidays:'));
    expect(kept.every((l) => out.split('\n').includes(l))).toBe(true);
  });

  it('adds and removes records', () => {
    const added = editYaml(text, (doc) => doc.addIn(['departments'], { code: 'c', name: '丙' }));
    expect(parse(added).departments.map((d: { code: string }) => d.code)).toEqual(['a', 'b', 'c']);
    expect(added).toContain('  holidays: []   # aligned comment');
    const removed = editYaml(text, (doc) => doc.deleteIn(['departments', 0]));
    expect(parse(removed).departments).toEqual([{ code: 'b', name: '乙' }]);
    expect(removed).toContain('  - { code: b, name: 乙 }');
  });
});
