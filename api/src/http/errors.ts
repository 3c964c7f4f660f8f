import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';

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
  const english = wantsEnglish(c);
  const details = err.details.map(({ messageEn, ...d }) => (english && typeof messageEn === 'string' ? { ...d, message: messageEn } : d));
  return { error: { code: err.code, message: english ? err.messageEn : err.message, details } };
}

const zh = z.locales.zhCN();
const hasChinese = /[\u4e00-\u9fa5]/;

/** Zod issues as error details, in Chinese with the English text beside it. */
export function issueDetails(issues: z.core.$ZodIssue[], prefix = ''): ErrorDetail[] {
  return issues.map((i) => {
    const zhText = hasChinese.test(i.message) ? i.message : zh.localeError(i as Parameters<typeof zh.localeError>[0]);
    const message = typeof zhText === 'string' ? zhText : (zhText?.message ?? i.message);
    return { path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), code: i.code, message, messageEn: i.message };
  });
}

export function validationError(issues: z.core.$ZodIssue[], where: string): AppError {
  return new AppError(422, 'VALIDATION_FAILED', `请求${where}不符合要求`, `invalid request ${where}`, issueDetails(issues));
}

export const notFound = (what = '资源', whatEn = 'resource') =>
  new AppError(404, 'NOT_FOUND', `${what}不存在`, `${whatEn} not found`);
