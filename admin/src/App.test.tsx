// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App, createQueryClient } from './App';
import { LOCALE_STORAGE_KEY } from './i18n';
import { metaFixture } from './meta/__fixtures__/meta';

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('admin shell', () => {
  beforeEach(() => {
    localStorage.clear();
    window.history.replaceState(null, '', '/');
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('builds the menu from /api/meta and shows the overview in Chinese', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        url === '/api/meta' ? jsonResponse(metaFixture) : jsonResponse({ status: 'ok', database: 'pglite', version: 'test' }),
      ),
    );
    render(<App queryClient={createQueryClient()} />);

    expect(await screen.findByText(/平台概览 · 示范市社会信用体系建设平台/, undefined, { timeout: 5000 })).toBeTruthy();
    expect(document.title).toBe('信用名单管理平台');
    // groups and list types in the sider
    for (const label of ['黑名单', '红名单', '双公示', '配置']) expect(screen.getAllByText(label).length).toBeGreaterThan(0);
    expect(screen.queryByText('重点关注名单', { selector: '.ant-menu-title-content' })).toBeNull();
    expect(screen.getAllByText('纳税信用A级纳税人').length).toBeGreaterThan(0);
  });

  it('switches to English and remembers the choice', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse(metaFixture)));
    render(<App queryClient={createQueryClient()} />);
    const button = await screen.findByTestId('locale-switch');
    await act(async () => {
      fireEvent.click(button);
    });
    fireEvent.click(await screen.findByText('English'));
    await waitFor(() => expect(screen.getAllByText('Overview').length).toBeGreaterThan(0));
    expect(localStorage.getItem(LOCALE_STORAGE_KEY)).toBe('en');
    expect(document.title).toBe('Credit Lists Admin');
  });

  it('explains in Chinese when the API is unreachable', async () => {
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
  });
});
