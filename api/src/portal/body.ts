/**
 * JSON bodies from outside (the public portal, business systems): at most
 * 64 KB (413), declared as JSON (415) and well-formed (400), each refused in
 * the API's error shape before the route's validators and handler run. The
 * parsed body is cached by Hono, so the route's validator reads it again for free.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from '../http/env.ts';
import { AppError } from '../http/errors.ts';

export const MAX_BODY_BYTES = 64 * 1024;

export const payloadTooLarge = () =>
  new AppError(413, 'PAYLOAD_TOO_LARGE', `请求正文过大（不能超过 ${MAX_BODY_BYTES / 1024} KB）`, `the request body is too large (at most ${MAX_BODY_BYTES / 1024} KB)`);

/** Applies to POST, PUT and PATCH requests; others pass untouched. */
export function jsonBody(maxBytes = MAX_BODY_BYTES): MiddlewareHandler<AppEnv> {
  const limit = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw payloadTooLarge();
    },
  });
  const seen = new WeakSet<object>();
  return async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT' && c.req.method !== 'PATCH') return next();
    // Registered on overlapping paths, it must still read the body once.
    if (seen.has(c)) return next();
    seen.add(c);
    await limit(c, async () => {
      const type = c.req.header('content-type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) {
        throw new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求正文须为 JSON（Content-Type: application/json）', 'the body must be JSON (Content-Type: application/json)');
      }
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        throw new AppError(400, 'BAD_JSON', '请求正文不是有效的 JSON', 'the body is not valid JSON');
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        throw new AppError(400, 'BAD_JSON', '请求正文须为 JSON 对象', 'the body must be a JSON object');
      }
      await next();
    });
  };
}
