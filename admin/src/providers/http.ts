/**
 * The one way the admin talks to the API: `fetch` with the bearer token, the UI language as
 * Accept-Language (the API answers its messages in it), JSON in and out, and every failure turned
 * into an ApiError. A 401 on an authenticated request ends the session, so every page falls back
 * to the login page the same way.
 */
import { getToken, sessionStore } from '../auth/session';
import { loadLocale } from '../i18n';
import { ApiError, messageFromBody } from './errors';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Serialised as JSON; FormData (a file upload) is sent as multipart/form-data. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the bearer token (default true); the login call itself does not. */
  auth?: boolean;
  /** UI language; read from the remembered choice when omitted. */
  locale?: string;
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  headers: Headers;
}

export type Requester = <T>(url: string, options?: RequestOptions) => Promise<ApiResponse<T>>;

export const apiRequest: Requester = async <T>(url: string, options: RequestOptions = {}) => {
  const { method = 'GET', body, signal, auth = true } = options;
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': options.locale ?? loadLocale(),
    ...options.headers,
  };
  const token = auth ? getToken() : undefined;
  if (token) headers.Authorization = `Bearer ${token}`;
  const form = body instanceof FormData;
  // multipart: the browser writes the Content-Type with its boundary
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(url, { method, headers, signal, body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, error instanceof Error ? error.message : String(error), 'NETWORK');
  }

  const contentType = response.headers.get('content-type') ?? '';
  const isJson = contentType.includes('json');
  const parsed: unknown = isJson ? await response.json().catch(() => undefined) : undefined;

  if (!response.ok) {
    const { message, code, details } = messageFromBody(parsed);
    // The token was refused (expired, revoked, account disabled): end the session everywhere.
    if (response.status === 401 && token) sessionStore.clear('expired');
    throw new ApiError(response.status, message ?? response.statusText, code, details, parsed);
  }
  if (response.status === 204 || method === 'DELETE' && !isJson) {
    return { data: undefined as T, status: response.status, headers: response.headers };
  }
  if (!isJson || parsed === undefined) throw new ApiError(response.status, 'Response is not JSON', 'BAD_RESPONSE');
  return { data: parsed as T, status: response.status, headers: response.headers };
};

/** A file from the API (e.g. a generated document) with the bearer token, as a Blob. */
export async function requestBlob(url: string, options: Pick<RequestOptions, 'signal' | 'locale'> = {}): Promise<Blob> {
  const token = getToken();
  const headers: Record<string, string> = { 'Accept-Language': options.locale ?? loadLocale() };
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(url, { headers, signal: options.signal });
  } catch (error) {
    throw new ApiError(0, error instanceof Error ? error.message : String(error), 'NETWORK');
  }
  if (!response.ok) {
    const parsed: unknown = (response.headers.get('content-type') ?? '').includes('json') ? await response.json().catch(() => undefined) : undefined;
    const { message, code, details } = messageFromBody(parsed);
    if (response.status === 401 && token) sessionStore.clear('expired');
    throw new ApiError(response.status, message ?? response.statusText, code, details, parsed);
  }
  return response.blob();
}

/**
 * A fresh Idempotency-Key: a retried submission (double click, network hiccup) is applied once.
 * getRandomValues also works on plain-http intranet hosts, where randomUUID is unavailable.
 */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return `adm-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** JSON body of a GET (or any request), throwing ApiError on failure. */
export async function requestJson<T>(url: string, options?: RequestOptions): Promise<T> {
  return (await apiRequest<T>(url, options)).data;
}

/** `fetch` JSON from the API (GET unless `init.method` says otherwise), throwing ApiError. */
export async function fetchJson<T>(url: string, init?: { signal?: AbortSignal; method?: RequestOptions['method'] }): Promise<T> {
  return requestJson<T>(url, { signal: init?.signal, method: init?.method });
}

/** Saves a blob under a file name (the browser's download). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
