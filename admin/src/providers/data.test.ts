import { describe, expect, it, vi } from 'vitest';
import { createDataProvider, resourcePath } from './data';
import { ApiError, errorMessageKey, toApiError } from './errors';

describe('resourcePath', () => {
  it('maps list-type resources to their entries endpoint', () => {
    expect(resourcePath('lists/market-serious')).toBe('lists/market-serious/entries');
    expect(resourcePath('lists/market-serious/entries')).toBe('lists/market-serious/entries');
    expect(resourcePath('subjects')).toBe('subjects');
  });
});

function fakeClient(response: { data: unknown; headers?: Record<string, string> } | Error) {
  const get = vi.fn(async (_url: string, _config?: unknown) => {
    if (response instanceof Error) throw response;
    return { data: response.data, headers: response.headers ?? {} };
  });
  // biome-ignore lint/suspicious/noExplicitAny: minimal axios stand-in
  return { get, client: { get } as any };
}

describe('createDataProvider', () => {
  it('requests /api/lists/<id>/entries with simple-rest paging and the UI language', async () => {
    const { get, client } = fakeClient({ data: [{ id: 1 }], headers: { 'x-total-count': '42' } });
    const provider = createDataProvider({ httpClient: client, getLocale: () => 'zh-CN' });
    const result = await provider.getList({
      resource: 'lists/tax-a',
      pagination: { currentPage: 2, pageSize: 10 },
      filters: [{ field: 'status', operator: 'eq', value: 'published' }],
    });
    expect(result).toEqual({ data: [{ id: 1 }], total: 42 });
    const [url, config] = get.mock.calls[0] ?? [];
    expect(url).toBe('/api/lists/tax-a/entries?_end=20&_start=10&status=published');
    expect(config).toEqual({ headers: { 'Accept-Language': 'zh-CN' } });
  });

  it('rejects a response that is not a list (e.g. an HTML fallback page)', async () => {
    const { client } = fakeClient({ data: '<!doctype html>' });
    const provider = createDataProvider({ httpClient: client });
    await expect(provider.getList({ resource: 'lists/tax-a' })).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('normalises the API error shape', async () => {
    const failure = Object.assign(new Error('Request failed'), {
      response: { status: 403, data: { error: { code: 'FORBIDDEN', message: '无权访问该名单' } } },
    });
    const { client } = fakeClient(failure);
    const provider = createDataProvider({ httpClient: client });
    const error = await provider.getList({ resource: 'lists/tax-a' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ statusCode: 403, code: 'FORBIDDEN', message: '无权访问该名单' });
    expect(errorMessageKey(error)).toBe('errors.forbidden');
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
