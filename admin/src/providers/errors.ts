/**
 * One error type for everything the admin asks the API, normalised from fetch and axios failures
 * and from the API's error shape `{ error: { code, message, details } }`.
 */
import type { HttpError } from '@refinedev/core';

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: unknown };
  message?: string;
}

export class ApiError extends Error implements HttpError {
  /** HTTP status; 0 when the server could not be reached. */
  readonly statusCode: number;
  /** Stable error code from the API (`STABLE_CODE`), or a local one (`NETWORK`, `BAD_RESPONSE`). */
  readonly code: string | undefined;
  readonly details: unknown;
  /** The parsed response body, when there was one. */
  readonly body: unknown;

  constructor(statusCode: number, message: string, code?: string, details?: unknown, body?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.statusCode = statusCode;
    this.code = code;
    this.details = details;
    this.body = body;
  }
}

/** Reads the server's message out of a response body, whatever its shape. */
export function messageFromBody(body: unknown): { message?: string; code?: string; details?: unknown } {
  if (!body || typeof body !== 'object') return {};
  const b = body as ApiErrorBody;
  if (b.error && typeof b.error === 'object') {
    return { message: b.error.message, code: b.error.code, details: b.error.details };
  }
  return typeof b.message === 'string' ? { message: b.message } : {};
}

/** Turns whatever a request threw (fetch error, axios error, simple-rest error) into an ApiError. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error && typeof error === 'object') {
    const e = error as {
      statusCode?: number;
      status?: number;
      message?: string;
      code?: string;
      response?: { status?: number; data?: unknown };
    };
    const status = e.statusCode ?? e.response?.status ?? e.status ?? 0;
    const fromBody = messageFromBody(e.response?.data);
    const code = fromBody.code ?? (status === 0 ? 'NETWORK' : undefined);
    return new ApiError(status, fromBody.message ?? e.message ?? '', code, fromBody.details, e.response?.data);
  }
  return new ApiError(0, String(error ?? ''), 'NETWORK');
}

/**
 * Dictionary key of a friendly explanation for an error; the caller translates it
 * (with `{ status }`) and may show `error.message` from the server as detail.
 */
export function errorMessageKey(error: unknown): string {
  const e = toApiError(error);
  if (e.code === 'BAD_RESPONSE') return 'errors.badResponse';
  if (e.statusCode === 0) return 'errors.network';
  if (e.statusCode === 401) return 'errors.unauthorized';
  if (e.statusCode === 403) return 'errors.forbidden';
  if (e.statusCode === 404) return 'errors.notFound';
  if (e.statusCode >= 500) return 'errors.server';
  return 'errors.http';
}

/** react-query retry policy: one more try for network and server failures, none for 4xx answers. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  const { statusCode } = toApiError(error);
  return failureCount < 1 && (statusCode === 0 || statusCode >= 500);
}
