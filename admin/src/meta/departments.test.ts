import { describe, expect, it } from 'vitest';
import { metaFixture } from './__fixtures__/meta';
import { buildDepartmentTree, type DepartmentNode } from './departments';
import type { MetaDepartment } from './types';

const shape = (nodes: DepartmentNode[]): unknown =>
  nodes.map((n) => (n.children.length ? { [n.department.code]: shape(n.children) } : n.department.code));

describe('buildDepartmentTree', () => {
  it('nests departments under their parent in config order', () => {
    expect(shape(buildDepartmentTree(metaFixture.departments))).toEqual([
      { fgw: ['xyb'] },
      { scjg: ['scjg-zf'] },
      'rsj',
      'sw',
    ]);
  });

  it('keeps orphans and cycles as roots', () => {
    const d = (code: string, parent?: string): MetaDepartment => ({ code, name: code, office: false, ...(parent ? { parent } : {}) });
    expect(shape(buildDepartmentTree([d('a', 'missing'), d('b', 'c'), d('c', 'b'), d('e', 'e')]))).toEqual(['a', 'b', 'c', 'e']);
  });
});
