// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from './App';
import { SESSION_STORAGE_KEY, sessionStore } from './auth/session';
import { LOCALE_STORAGE_KEY } from './i18n';
import { clerkPermissions, metaAs, metaFixture } from './meta/__fixtures__/meta';
import type { Meta } from './meta/types';

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

const clerk = {
  id: 'u-1',
  username: 'scjg-operator',
  displayName: '王经办',
  mustChangePassword: false,
  roles: [{ role: 'clerk', department: 'scjg' }],
};

function logIn(user = clerk) {
  const session = { token: 'tok-test', expiresAt: '2099-01-01T00:00:00Z', user };
  localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  sessionStore.set(session);
}

type Route = (url: string, init?: RequestInit) => Response | undefined;

/** A fetch stand-in answering the API routes the shell uses. */
function api(meta: Meta, extra: Route = () => undefined) {
  const fetchMock = vi.fn(async (url: string, init?: RequestInit) => {
    const answer = extra(url, init);
    if (answer) return answer;
    if (url === '/api/meta') return jsonResponse(meta);
    if (url === '/api/auth/me') return jsonResponse(sessionStore.get()?.user ?? clerk);
    if (url === '/api/public/platform') return jsonResponse({ name: '示范市社会信用体系建设平台', city: '示范市', version: 'v-test' });
    if (url === '/api/health') return jsonResponse({ status: 'ok', database: 'pglite', version: meta.version });
    return jsonResponse({ error: { code: 'NOT_FOUND', message: '接口不存在', details: [] } }, 404);
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

describe('admin shell', () => {
  beforeEach(() => {
    localStorage.clear();
    sessionStore.clear('logout');
    window.history.replaceState(null, '', '/');
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('sends a visitor without a session to the login page, with the platform name', async () => {
    const fetchMock = api(metaFixture);
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByRole('heading', { name: '用户登录' }, { timeout: 5000 })).toBeTruthy();
    expect(await screen.findByText('示范市社会信用体系建设平台', { selector: 'h1' })).toBeTruthy();
    // meta carries permissions: it is not asked for before login
    expect(fetchMock.mock.calls.some(([url]) => url === '/api/meta')).toBe(false);
  });

  it('logs in, stores the token and shows the user with department and role', async () => {
    const fetchMock = api(metaAs(clerkPermissions), (url) =>
      url === '/api/auth/login' ? jsonResponse({ token: 'tok-new', expiresAt: '2099-01-01T00:00:00Z', user: clerk }) : undefined,
    );
    render(<App queryClient={createQueryClient()} />);
    fireEvent.change(await screen.findByLabelText('用户名', undefined, { timeout: 5000 }), { target: { value: 'scjg-operator' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'Demo@123456' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    expect(await screen.findByText('王经办', undefined, { timeout: 5000 })).toBeTruthy();
    expect(await screen.findByText('市场监管局 · 经办人')).toBeTruthy();
    expect(JSON.parse(localStorage.getItem(SESSION_STORAGE_KEY) ?? '{}').token).toBe('tok-new');
    const metaCall = fetchMock.mock.calls.find(([url]) => url === '/api/meta');
    expect((metaCall?.[1]?.headers as Record<string, string> | undefined)?.Authorization).toBe('Bearer tok-new');
  });

  it('shows the API message for wrong credentials and for a locked account', async () => {
    let attempt = 0;
    api(metaFixture, (url) => {
      if (url !== '/api/auth/login') return undefined;
      attempt += 1;
      return attempt === 1
        ? jsonResponse({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误', details: [] } }, 401)
        : jsonResponse(
            { error: { code: 'ACCOUNT_LOCKED', message: '连续登录失败次数过多，账号已锁定，请 15 分钟后再试', details: [{ message: 'lockedUntil', lockedUntil: '2026-01-01T08:15:00Z' }] } },
            429,
          );
    });
    render(<App queryClient={createQueryClient()} />);
    const submit = async () => {
      fireEvent.change(await screen.findByLabelText('用户名', undefined, { timeout: 5000 }), { target: { value: 'scjg-operator' } });
      fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'wrong' } });
      fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));
    };
    await submit();
    expect((await screen.findByTestId('login-error')).textContent).toContain('用户名或密码错误');
    await submit();
    await waitFor(() => expect(screen.getByTestId('login-error').textContent).toContain('账号已临时锁定'));
    expect(screen.getByTestId('login-error').textContent).toContain('15 分钟后再试');
  });

  it('builds the menu from the permissions in meta: list types without view are hidden', async () => {
    logIn();
    api(metaAs(clerkPermissions));
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText(/平台概览 · 示范市社会信用体系建设平台/, undefined, { timeout: 5000 })).toBeTruthy();
    expect(document.title).toBe('信用名单管理平台');
    const menu = (label: string) => screen.queryAllByText(label, { selector: '.ant-menu-title-content a, .ant-menu-title-content' });
    await waitFor(() => expect(menu('市场监督管理严重违法失信名单').length).toBeGreaterThan(0));
    expect(menu('行政处罚信息').length).toBeGreaterThan(0);
    expect(menu('待我处理').length).toBeGreaterThan(0);
    // no view permission: not in the menu; no office rights: no administration
    expect(menu('纳税信用A级纳税人')).toHaveLength(0);
    expect(menu('拖欠农民工工资失信联合惩戒对象名单')).toHaveLength(0);
    expect(menu('用户管理')).toHaveLength(0);
  });

  it('shows the administration menu to the office', async () => {
    logIn({ ...clerk, displayName: '信用办管理员', roles: [{ role: 'office-admin', department: '*' }] });
    api(metaFixture);
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText('全市（全部部门） · 信用办管理员', undefined, { timeout: 5000 })).toBeTruthy();
    await waitFor(() => expect(screen.getAllByText('用户管理').length).toBeGreaterThan(0));
    expect(screen.getAllByText('接口密钥').length).toBeGreaterThan(0);
  });

  it('switches to English and remembers the choice', async () => {
    logIn();
    api(metaAs(clerkPermissions));
    render(<App queryClient={createQueryClient()} />);
    const button = await screen.findByTestId('locale-switch', undefined, { timeout: 5000 });
    await act(async () => {
      fireEvent.click(button);
    });
    fireEvent.click(await screen.findByText('English'));
    await waitFor(() => expect(screen.getAllByText('Overview').length).toBeGreaterThan(0));
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    expect(document.title).toBe('Credit Lists Admin');
  });

  it('forces a password change while the account must change it', async () => {
    logIn({ ...clerk, mustChangePassword: true });
    api(metaAs(clerkPermissions));
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText('请先修改初始密码', undefined, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByLabelText('新密码')).toBeTruthy();
  });

  it('goes back to the login page when the token is refused', async () => {
    logIn();
    api(metaFixture, (url) =>
      url === '/api/meta' || url === '/api/auth/me'
        ? jsonResponse({ error: { code: 'TOKEN_INVALID', message: '登录凭证无效或已注销，请重新登录', details: [] } }, 401)
        : undefined,
    );
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText('登录已失效，请重新登录。', undefined, { timeout: 5000 })).toBeTruthy();
    expect(localStorage.getItem(SESSION_STORAGE_KEY)).toBeNull();
  });

  it('explains in Chinese when the API is unreachable', async () => {
    logIn();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByText('无法加载平台配置', undefined, { timeout: 8000 })).toBeTruthy();
    expect(screen.getByText('无法连接后台服务，请确认 API 服务已启动。')).toBeTruthy();
    expect(screen.getByRole('button', { name: /重试/ })).toBeTruthy();
  }, 10_000);
});
