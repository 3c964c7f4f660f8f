/**
 * A department, role, measure or material deleted in the studio while other files still name it
 * makes those references unknown. The linter, which sees only the proposed files, says "unknown
 * department"; against the config in force we can say what happened and what to do: the thing was
 * removed, and this reference has to go first (or the thing stays).
 */
import { parseDocument } from 'yaml';
import type { RuntimeModel } from './compile.ts';
import type { ConfigIssue } from './issues.ts';
import type { ConfigFile } from './load.ts';

type Kind = { file: string; what: string; whatEn: string; named: (model: RuntimeModel, id: string) => string | undefined };

const kinds: Partial<Record<ConfigIssue['code'], Kind>> = {
  UNKNOWN_DEPARTMENT: { file: 'departments.yaml', what: '部门', whatEn: 'department', named: (m, id) => m.department(id)?.name },
  UNKNOWN_ROLE: { file: 'roles.yaml', what: '角色', whatEn: 'role', named: (m, id) => m.roles.find((r) => r.id === id)?.name },
  UNKNOWN_MEASURE: { file: 'measures.yaml', what: '措施', whatEn: 'measure', named: (m, id) => m.measures.find((x) => x.id === id)?.name },
  UNKNOWN_MATERIAL: { file: 'platform.yaml', what: '材料', whatEn: 'material', named: (m, id) => m.platform.materials.find((x) => x.id === id)?.name },
};

export function explainRemovals(issues: ConfigIssue[], current: RuntimeModel, proposed: readonly ConfigFile[]): ConfigIssue[] {
  // A file that does not parse names nothing, so every reference to it is "unknown": that is not a removal.
  const broken = new Set(issues.filter((i) => i.code === 'YAML_SYNTAX' || i.code === 'SCHEMA' || i.code === 'MISSING_FILE').map((i) => i.file));
  const docs = new Map<string, ReturnType<typeof parseDocument>>();
  const valueAt = (file: string, path: (string | number)[]) => {
    const content = proposed.find((f) => f.path === file)?.content;
    if (content === undefined) return undefined;
    const doc = docs.get(file) ?? parseDocument(content);
    docs.set(file, doc);
    const value = doc.getIn(path);
    return typeof value === 'string' ? value : undefined;
  };
  return issues.map((issue) => {
    const found = kinds[issue.code];
    const kind = found && !broken.has(found.file) ? found : undefined;
    const id = kind ? valueAt(issue.file, issue.path) : undefined;
    const name = kind && id !== undefined ? kind.named(current, id) : undefined;
    if (!kind || id === undefined || name === undefined) return issue;
    return {
      ...issue,
      message: `${kind.what}“${name}”（${id}）已从 ${kind.file} 删除，但这里仍在引用：请先删除或改掉这处引用，再删除该${kind.what}`,
      messageEn: `${kind.whatEn} "${id}" is removed from ${kind.file} but still named here: remove or change this reference first`,
    };
  });
}
