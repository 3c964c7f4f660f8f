/**
 * Data provider: Refine's simple-rest conventions (`_start`/`_end`/`_sort`/`_order`, `x-total-count`,
 * `field_gte`, `field_lte`) over the admin's own fetch client (providers/http.ts), so the bearer token,
 * the UI language and the error shape are handled in one place. List-type resources map to their
 * entry endpoints (`lists/<id>` → `/api/lists/<id>/entries`).
 */
import type { BaseRecord, CrudFilter, CrudSort, DataProvider, GetListResponse, Pagination } from '@refinedev/core';
import { ApiError } from './errors';
import { apiRequest, type Requester } from './http';

export const API_URL = '/api';

/** `lists/<id>` → `lists/<id>/entries`; any other resource name is used as is. */
export function resourcePath(resource: string): string {
  const match = /^lists\/([^/]+)$/.exec(resource);
  return match ? `lists/${match[1]}/entries` : resource;
}

const SUFFIX: Partial<Record<string, string>> = { gte: '_gte', lte: '_lte', gt: '_gt', lt: '_lt', ne: '_ne', contains: '_like' };

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);
}

/**
 * Query string of a list request. `q` is passed through; `eq` filters become `field=value`,
 * `in` filters `field=a,b` (the API splits on commas), range operators `field_gte=…`.
 * Blank values are left out, so clearing a filter removes it.
 */
export function buildListQuery(params: {
  pagination?: Pagination;
  filters?: CrudFilter[];
  sorters?: CrudSort[];
}): URLSearchParams {
  const query = new URLSearchParams();
  const { currentPage = 1, pageSize = 10, mode = 'server' } = params.pagination ?? {};
  if (mode === 'server') {
    query.set('_start', String((currentPage - 1) * pageSize));
    query.set('_end', String(currentPage * pageSize));
  }
  const sorters = params.sorters?.filter((s) => s.field) ?? [];
  if (sorters.length) {
    query.set('_sort', sorters.map((s) => s.field).join(','));
    query.set('_order', sorters.map((s) => s.order).join(','));
  }
  for (const filter of params.filters ?? []) {
    if (!('field' in filter)) continue;
    const { field, operator, value } = filter;
    if (isBlank(value)) continue;
    if (field === 'q' || operator === 'eq' || operator === 'in') {
      query.set(field, Array.isArray(value) ? value.map(String).join(',') : String(value));
      continue;
    }
    const suffix = SUFFIX[operator];
    if (suffix) query.set(`${field}${suffix}`, String(value));
  }
  return query;
}

export interface DataProviderOptions {
  apiUrl?: string;
  /** Current UI language, sent as Accept-Language. */
  getLocale?: () => string;
  /** For tests: the request function. */
  request?: Requester;
}

type Meta = { headers?: Record<string, string>; [key: string]: unknown } | undefined;

export function createDataProvider(options: DataProviderOptions = {}): DataProvider {
  const { apiUrl = API_URL, getLocale, request = apiRequest } = options;
  const url = (resource: string, suffix = '') => `${apiUrl}/${resourcePath(resource)}${suffix}`;
  const opts = (meta: Meta, rest: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; body?: unknown } = {}) => ({
    ...rest,
    headers: meta?.headers,
    locale: getLocale?.(),
  });

  return {
    getList: async <TData extends BaseRecord = BaseRecord>(params: Parameters<DataProvider['getList']>[0]) => {
      const query = buildListQuery(params).toString();
      const response = await request<TData[]>(url(params.resource, query ? `?${query}` : ''), opts(params.meta));
      // A server that answers an unknown path with the admin's index.html would otherwise crash the table.
      if (!Array.isArray(response.data)) throw new ApiError(200, 'List response is not an array', 'BAD_RESPONSE');
      const total = Number(response.headers.get('x-total-count'));
      return { data: response.data, total: Number.isFinite(total) && response.headers.has('x-total-count') ? total : response.data.length } as GetListResponse<TData>;
    },
    getMany: async (params) => {
      const data = await Promise.all(
        params.ids.map(async (id) => (await request(url(params.resource, `/${encodeURIComponent(String(id))}`), opts(params.meta))).data),
      );
      return { data } as never;
    },
    getOne: async (params) => {
      const response = await request(url(params.resource, `/${encodeURIComponent(String(params.id))}`), opts(params.meta));
      return { data: response.data } as never;
    },
    create: async (params) => {
      const response = await request(url(params.resource), opts(params.meta, { method: 'POST', body: params.variables }));
      return { data: response.data } as never;
    },
    update: async (params) => {
      const response = await request(
        url(params.resource, `/${encodeURIComponent(String(params.id))}`),
        opts(params.meta, { method: 'PATCH', body: params.variables }),
      );
      return { data: response.data } as never;
    },
    deleteOne: async (params) => {
      const response = await request(url(params.resource, `/${encodeURIComponent(String(params.id))}`), opts(params.meta, { method: 'DELETE' }));
      return { data: (response.data ?? { id: params.id }) } as never;
    },
    custom: async (params) => {
      const method = (params.method?.toUpperCase() ?? 'GET') as 'GET' | 'POST' | 'PATCH' | 'DELETE';
      const query = params.query ? `?${new URLSearchParams(params.query as Record<string, string>).toString()}` : '';
      const response = await request(`${params.url}${query}`, {
        method,
        body: params.payload,
        headers: params.headers as Record<string, string> | undefined,
        locale: getLocale?.(),
      });
      return { data: response.data } as never;
    },
    getApiUrl: () => apiUrl,
  };
}
