/** Department hierarchy from the flat `parent` references in meta (pure). */
import type { MetaDepartment } from './types';

export interface DepartmentNode {
  department: MetaDepartment;
  children: DepartmentNode[];
}

/**
 * Builds the tree by `parent`. A department whose parent is unknown, or that sits in a parent
 * cycle, becomes a root so nothing disappears from the view. Config order is kept.
 */
export function buildDepartmentTree(departments: MetaDepartment[]): DepartmentNode[] {
  const byCode = new Map(departments.map((d) => [d.code, d]));
  const nodes = new Map(departments.map((d) => [d.code, { department: d, children: [] as DepartmentNode[] }]));

  const inCycle = (code: string): boolean => {
    const seen = new Set<string>();
    let current: string | undefined = code;
    while (current) {
      if (seen.has(current)) return true;
      seen.add(current);
      current = byCode.get(current)?.parent;
      if (current && !byCode.has(current)) return false;
    }
    return false;
  };

  const roots: DepartmentNode[] = [];
  for (const d of departments) {
    const node = nodes.get(d.code);
    if (!node) continue;
    const parent = d.parent ? nodes.get(d.parent) : undefined;
    if (parent && parent !== node && !inCycle(d.code)) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
