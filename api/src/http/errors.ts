import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export type ErrorDetail = { path?: string; code?: string; message: string; [key: string]: unknown };

/** The one error shape of the API: `{ error: { code, message, details } }`. */
export type ErrorBody = { error: { code: string; message: string; details: ErrorDetail[] } };

/** An expected failure: thrown anywhere, rendered by the app's single onError. */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly messageEn: string = message,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export function wantsEnglish(c: Context): boolean {
  const lang = c.req.header('accept-language') ?? '';
  return /^en\b/i.test(lang.trim());
}

export function errorBody(c: Context, err: AppError): ErrorBody {
  return { error: { code: err.code, message: wantsEnglish(c) ? err.messageEn : err.message, details: err.details } };
}

export function validationError(issues: z.core.$ZodIssue[], where: string): AppError {
  return new AppError(
    422,
    'VALIDATION_FAILED',
    `请求${where}不符合要求`,
    `invalid request ${where}`,
    issues.map((i) => ({ path: i.path.join('.'), code: i.code, message: i.message })),
  );
}

export const notFound = (what = '资源', whatEn = 'resource') =>
  new AppError(404, 'NOT_FOUND', `${what}不存在`, `${whatEn} not found`);
