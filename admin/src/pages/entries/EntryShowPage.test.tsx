// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from '../../App';
import { SESSION_STORAGE_KEY, sessionStore } from '../../auth/session';
import { metaAs, reviewerPermissions } from '../../meta/__fixtures__/meta';
import type { EntryDetail } from '../../entries/types';

function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

const reviewer = { id: 'u-2', username: 'scjg-reviewer', displayName: '李审核', mustChangePassword: false, roles: [{ role: 'reviewer', department: 'scjg' }] };

const detail: EntryDetail = {
  id: 'e1',
  listId: 'market-serious',
  department: 'scjg',
  status: 'recognised',
  version: 3,
  subject: { id: 's1', kind: 'legal_person', code: '91350100M000100Y43', name: '示范食品有限公司', codeValid: true },
  relatedPersons: [{ role: '法定代表人', kind: 'natural_person', code: '11010519491231002X', name: '张三' }],
  fields: { decisionNo: '示市监罚〔2025〕1号', facts: '销售过期食品', fine: 5000, severity: '严重' },
  decisionNo: '示市监严失认〔2025〕3号',
  decisionDate: '2025-03-01',
  noticeServedAt: '2025-02-01',
  recognisedAt: '2025-03-01',
  publishedAt: null,
  exitedAt: null,
  exitReason: null,
  due: { notice_end: '2025-02-10', publish_due: '2099-03-29' },
  overdue: false,
  createdAt: '2025-02-01T01:00:00Z',
  updatedAt: '2025-03-01T01:00:00Z',
  events: [
    { seq: 1, action: 'create', fromStatus: null, toStatus: 'draft', actor: { name: '王经办' }, at: '2025-02-01T01:00:00Z' },
    { seq: 2, action: 'notify', fromStatus: 'draft', toStatus: 'notified', actor: { name: '王经办' }, data: { serviceMethod: '直接送达' }, at: '2025-02-01T02:00:00Z' },
  ],
  actions: [
    { id: 'publish', action: 'publish', label: '公示', labelEn: 'Publish', to: 'published', inputs: [] },
    { id: 'revoke', action: 'revoke', label: '撤销认定', labelEn: 'Revoke', to: 'revoked', inputs: [], blocked: { code: 'X', message: '须先处理异议' } },
  ],
  objections: [],
  repairs: [],
};

describe('entry detail and its actions', () => {
  beforeEach(() => {
    localStorage.clear();
    const session = { token: 'tok-r', expiresAt: '2099-01-01T00:00:00Z', user: reviewer };
    localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    sessionStore.set(session);
    window.history.replaceState(null, '', '/lists/market-serious/show/e1');
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('shows the entry, and on a version conflict says so and reloads', async () => {
    let detailCalls = 0;
    const posts: { url: string; init?: RequestInit }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        if (url === '/api/meta') return jsonResponse(metaAs(reviewerPermissions));
        if (url === '/api/auth/me') return jsonResponse(reviewer);
        if (url === '/api/lists/market-serious/entries/e1') {
          detailCalls += 1;
          return jsonResponse(detail);
        }
        if (url.endsWith('/actions/publish')) {
          posts.push({ url, init });
          return jsonResponse({ error: { code: 'VERSION_CONFLICT', message: '该条目已被他人修改，请刷新后重试', details: [] } }, 409);
        }
        return jsonResponse({ error: { code: 'NOT_FOUND', message: '接口不存在', details: [] } }, 404);
      }),
    );
    render(<App queryClient={createQueryClient()} />);

    expect((await screen.findAllByText('示范食品有限公司', undefined, { timeout: 8000 })).length).toBeGreaterThan(0);
    expect(screen.getByText('张三')).toBeTruthy();
    expect(screen.getByText('¥5,000.00')).toBeTruthy();
    expect(screen.getByText(/须先处理异议/)).toBeTruthy();
    const panel = screen.getByTestId('action-panel');
    // the blocked action is shown disabled with its reason; the allowed one opens the modal
    expect((within(panel).getByRole('button', { name: '撤销认定' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(panel).getByRole('button', { name: '公示' }));
    expect((await screen.findByTestId('action-consequence')).textContent).toContain('信用门户');
    fireEvent.click(screen.getByRole('button', { name: '确认公示' }));
    // irreversible: asked again
    const titles = await screen.findAllByText('确认公示？');
    const dialog = titles.map((el) => el.closest('.ant-modal-confirm')).find(Boolean) as HTMLElement;
    fireEvent.click(within(dialog).getByRole('button', { name: '确认公示' }));

    await waitFor(() => expect(posts).toHaveLength(1));
    expect(JSON.parse(String(posts[0]?.init?.body))).toEqual({ version: 3 });
    expect((posts[0]?.init?.headers as Record<string, string> | undefined)?.['Idempotency-Key']).toMatch(/^adm-[0-9a-f]{32}$/);
    expect(await screen.findByText('该条目已被他人修改，已为您加载最新内容，请核对后重新办理。')).toBeTruthy();
    await waitFor(() => expect(detailCalls).toBeGreaterThan(1));
  });
});
