import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionStore } from '../auth/session';
import { buildListQuery, createDataProvider, resourcePath } from './data';
import { ApiError, errorMessageKey, toApiError } from './errors';
import { apiRequest, type Requester } from './http';

describe('resourcePath', () => {
  it('maps list-type resources to their entries endpoint', () => {
    expect(resourcePath('lists/market-serious')).toBe('lists/market-serious/entries');
    expect(resourcePath('lists/market-serious/entries')).toBe('lists/market-serious/entries');
    expect(resourcePath('users')).toBe('users');
  });
});

describe('buildListQuery', () => {
  it('pages, sorts and filters the simple-rest way, dropping blank values', () => {
    const q = buildListQuery({
      pagination: { currentPage: 3, pageSize: 20 },
      sorters: [{ field: 'createdAt', order: 'desc' }],
      filters: [
        { field: 'q', operator: 'eq', value: '华为' },
        { field: 'status', operator: 'in', value: ['draft', 'notified'] },
        { field: 'department', operator: 'eq', value: undefined },
        { field: 'createdAt', operator: 'gte', value: '2025-01-01' },
        { field: 'createdAt', operator: 'lte', value: '2025-03-31' },
        { field: 'f.category', operator: 'eq', value: '食品安全' },
        { field: 'f.tags', operator: 'in', value: [] },
      ],
    });
    expect(Object.fromEntries(q)).toEqual({
      _start: '40',
      _end: '60',
      _sort: 'createdAt',
      _order: 'desc',
      q: '华为',
      status: 'draft,notified',
      createdAt_gte: '2025-01-01',
      createdAt_lte: '2025-03-31',
      'f.category': '食品安全',
    });
  });
});

function fakeRequest(data: unknown, headers: Record<string, string> = {}) {
  const request = vi.fn(async (_url: string, _options?: unknown) => ({ data, status: 200, headers: new Headers(headers) }));
  return { request, requester: request as unknown as Requester };
}

describe('createDataProvider', () => {
  it('requests /api/lists/<id>/entries with paging and the UI language', async () => {
    const { request, requester } = fakeRequest([{ id: 1 }], { 'x-total-count': '42' });
    const provider = createDataProvider({ request: requester, getLocale: () => 'zh-CN' });
    const result = await provider.getList({
      resource: 'lists/tax-a',
      pagination: { currentPage: 2, pageSize: 10 },
      filters: [{ field: 'status', operator: 'eq', value: 'published' }],
    });
    expect(result).toEqual({ data: [{ id: 1 }], total: 42 });
    const [url, options] = request.mock.calls[0] ?? [];
    expect(url).toBe('/api/lists/tax-a/entries?_start=10&_end=20&status=published');
    expect(options).toMatchObject({ locale: 'zh-CN' });
  });

  it('rejects a response that is not a list (e.g. an HTML fallback page)', async () => {
    const { requester } = fakeRequest('<!doctype html>');
    const provider = createDataProvider({ request: requester });
    await expect(provider.getList({ resource: 'lists/tax-a' })).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('patches one record under its resource path', async () => {
    const { request, requester } = fakeRequest({ id: 'u1' });
    const provider = createDataProvider({ request: requester });
    await provider.update({ resource: 'users', id: 'u1', variables: { disabled: true } });
    expect(request.mock.calls[0]?.[0]).toBe('/api/users/u1');
    expect(request.mock.calls[0]?.[1]).toMatchObject({ method: 'PATCH', body: { disabled: true } });
  });
});

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

describe('apiRequest', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    sessionStore.clear('logout');
  });

  it('sends the bearer token and the language, and normalises the API error shape', async () => {
    sessionStore.set({ token: 'tok-1', user: { id: 'u', username: 'a', displayName: 'A', mustChangePassword: false, roles: [] } });
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) =>
      jsonResponse({ error: { code: 'FORBIDDEN', message: '无权访问该名单', details: [] } }, 403),
    );
    vi.stubGlobal('fetch', fetchMock);
    const error = await apiRequest('/api/lists/x/entries', { locale: 'en' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: '无权访问该名单' });
    expect(errorMessageKey(error)).toBe('errors.forbidden');
    const headers = fetchMock.mock.calls[0]?.[1]?.headers as Record<string, string>;
    expect(headers.Authorization).toBe('Bearer tok-1');
    expect(headers['Accept-Language']).toBe('en');
    expect(sessionStore.get()).not.toBeNull();
  });

  it('ends the session when the token is refused', async () => {
    sessionStore.set({ token: 'tok-2', user: { id: 'u', username: 'a', displayName: 'A', mustChangePassword: false, roles: [] } });
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ error: { code: 'TOKEN_INVALID', message: '登录凭证无效', details: [] } }, 401)));
    await expect(apiRequest('/api/meta')).rejects.toMatchObject({ statusCode: 401 });
    expect(sessionStore.get()).toBeNull();
    expect(sessionStore.endReason()).toBe('expired');
  });

  it('does not end a session for a failed login (no token sent)', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => jsonResponse({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误', details: [] } }, 401)));
    await expect(apiRequest('/api/auth/login', { method: 'POST', body: {}, auth: false })).rejects.toMatchObject({
      code: 'INVALID_CREDENTIALS',
    });
    expect(sessionStore.endReason()).toBe('logout');
  });

  it('turns an unreachable server into a NETWORK error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    await expect(apiRequest('/api/meta')).rejects.toMatchObject({ statusCode: 0, code: 'NETWORK' });
  });
});

describe('errorMessageKey', () => {
  it('explains network, missing endpoint and server failures', () => {
    expect(errorMessageKey(new TypeError('Failed to fetch'))).toBe('errors.network');
    expect(errorMessageKey(toApiError({ statusCode: 404 }))).toBe('errors.notFound');
    expect(errorMessageKey(new ApiError(502, 'Bad gateway'))).toBe('errors.server');
    expect(errorMessageKey(new ApiError(409, 'conflict'))).toBe('errors.http');
  });
});

describe('shouldRetry', () => {
  it('retries network and server failures once, never client errors', async () => {
    const { shouldRetry } = await import('./errors');
    expect(shouldRetry(0, new TypeError('Failed to fetch'))).toBe(true);
    expect(shouldRetry(0, new ApiError(503, 'down'))).toBe(true);
    expect(shouldRetry(1, new ApiError(503, 'down'))).toBe(false);
    expect(shouldRetry(0, new ApiError(404, 'missing'))).toBe(false);
    expect(shouldRetry(0, new ApiError(401, 'login'))).toBe(false);
  });
});
