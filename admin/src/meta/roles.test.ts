import { describe, expect, it } from 'vitest';
import { pickName, translate } from '../i18n';
import { metaFixture } from './__fixtures__/meta';
import { describeAssignments, isApiKeyRole, normaliseAssignment, personRoles } from './roles';

const zh = { t: (k: string) => translate('zh-CN', k), pick: (n: string, e?: string) => pickName('zh-CN', n, e) };

describe('roles', () => {
  it('describes assignments with role and department names', () => {
    expect(
      describeAssignments(
        [
          { role: 'clerk', department: 'scjg' },
          { role: 'office-admin', department: '*' },
          { role: 'ghost', department: 'nowhere' },
        ],
        metaFixture,
        zh,
      ).map((a) => `${a.role} · ${a.department}`),
    ).toEqual(['经办人 · 市场监管局', '信用办管理员 · 全市（全部部门）', 'ghost · nowhere']);
  });

  it('keeps business-system roles away from people and puts office-wide roles in *', () => {
    const meta = { ...metaFixture, roles: [...metaFixture.roles, { id: 'business-system', name: '业务系统', scope: 'all' as const, client: 'api_key' as const, actions: ['lookup' as const] }] };
    expect(isApiKeyRole({ client: 'api_key' })).toBe(true);
    expect(isApiKeyRole({ client: 'user' })).toBe(false);
    expect(personRoles(meta).map((r) => r.id)).toEqual(['office-admin', 'clerk', 'reviewer']);
    expect(normaliseAssignment(meta, { role: 'office-admin', department: 'scjg' })).toEqual({ role: 'office-admin', department: '*' });
    expect(normaliseAssignment(meta, { role: 'clerk', department: 'scjg' })).toEqual({ role: 'clerk', department: 'scjg' });
    expect(normaliseAssignment(meta, {})).toBeUndefined();
  });
});
