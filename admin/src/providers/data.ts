/**
 * Data provider: @refinedev/simple-rest against `/api`, with list-type resources mapped to
 * their entry endpoints (`lists/<id>` → `/api/lists/<id>/entries`), the UI language sent as
 * Accept-Language (the API answers error messages in it) and errors normalised to ApiError.
 */
import type { BaseRecord, DataProvider, GetListResponse } from '@refinedev/core';
import simpleRest from '@refinedev/simple-rest';
import { ApiError, toApiError } from './errors';

export const API_URL = '/api';

type HttpClient = Parameters<typeof simpleRest>[1];

/** `lists/<id>` → `lists/<id>/entries`; any other resource name is used as is. */
export function resourcePath(resource: string): string {
  const match = /^lists\/([^/]+)$/.exec(resource);
  return match ? `lists/${match[1]}/entries` : resource;
}

export interface DataProviderOptions {
  apiUrl?: string;
  /** Current UI language, sent as Accept-Language. */
  getLocale?: () => string;
  /** For tests: an axios-compatible client. */
  httpClient?: HttpClient;
}

type Meta = { headers?: Record<string, string>; [key: string]: unknown } | undefined;

export function createDataProvider(options: DataProviderOptions = {}): DataProvider {
  const { apiUrl = API_URL, getLocale, httpClient } = options;
  const base = simpleRest(apiUrl, httpClient);

  const withLanguage = (meta: Meta): Meta => {
    const locale = getLocale?.();
    if (!locale) return meta;
    return { ...meta, headers: { 'Accept-Language': locale, ...meta?.headers } };
  };

  const wrap = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw toApiError(error);
    }
  };

  return {
    ...base,
    getList: async <TData extends BaseRecord = BaseRecord>(params: Parameters<DataProvider['getList']>[0]) => {
      const result = await wrap(() =>
        base.getList<TData>({ ...params, resource: resourcePath(params.resource), meta: withLanguage(params.meta) }),
      );
      // A server that answers an unknown path with the admin's index.html would otherwise crash the table.
      if (!Array.isArray(result.data)) throw new ApiError(200, 'List response is not an array', 'BAD_RESPONSE');
      return result as GetListResponse<TData>;
    },
    getMany: (params) =>
      wrap(() => base.getMany({ ...params, resource: resourcePath(params.resource), meta: withLanguage(params.meta) })),
    getOne: (params) =>
      wrap(() => base.getOne({ ...params, resource: resourcePath(params.resource), meta: withLanguage(params.meta) })),
    create: (params) =>
      wrap(() => base.create({ ...params, resource: resourcePath(params.resource), meta: withLanguage(params.meta) })),
    update: (params) =>
      wrap(() => base.update({ ...params, resource: resourcePath(params.resource), meta: withLanguage(params.meta) })),
    deleteOne: (params) =>
      wrap(() => base.deleteOne({ ...params, resource: resourcePath(params.resource), meta: withLanguage(params.meta) })),
    custom: (params) => {
      const locale = getLocale?.();
      const headers = locale ? { 'Accept-Language': locale, ...params.headers } : params.headers;
      return wrap(() => base.custom({ ...params, headers }));
    },
    getApiUrl: () => apiUrl,
  };
}
