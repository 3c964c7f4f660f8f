/**
 * Database failures a client can act on, as API errors instead of a 500:
 * - the database is unreachable, restarting or shutting down → 503
 *   DATABASE_UNAVAILABLE (with Retry-After): nothing was written, try again;
 * - text PostgreSQL cannot store (U+0000) → 400 INVALID_CHARACTER.
 *
 * Errors surface in several wrappings: drizzle throws DrizzleQueryError
 * ("Failed query: …") with the driver's error as `cause`; postgres.js 3.4
 * throws PostgresError with the SQLSTATE in `code` for server errors, and a
 * plain Error with `code` CONNECTION_CLOSED / CONNECTION_ENDED /
 * CONNECTION_DESTROYED / CONNECT_TIMEOUT, or the socket's errno code
 * (ECONNREFUSED, ECONNRESET, EPIPE …), when the connection is lost or cannot
 * be made. The whole cause chain is searched.
 */
import { AppError } from './errors.ts';
import { invalidCharacter } from './input-guard.ts';

const connectionCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

/** SQLSTATEs of a server that is going away or not ready: class 08 (connection exception), 57P01–57P03, 53300. */
function unavailableState(code: string): boolean {
  return /^08[0-9A-Z]{3}$/.test(code) || code === '57P01' || code === '57P02' || code === '57P03' || code === '53300';
}

function codes(err: unknown): string[] {
  const out: string[] = [];
  let e: unknown = err;
  for (let i = 0; i < 8 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') out.push(code);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) out.push(...codes(inner));
    e = (e as { cause?: unknown }).cause;
  }
  return out;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  return codes(err).some((c) => connectionCodes.has(c) || unavailableState(c));
}

export const databaseUnavailable = () =>
  new AppError(503, 'DATABASE_UNAVAILABLE', '数据库暂时不可用，请稍后重试（本次请求未生效）', 'the database is unavailable; nothing was changed, try again shortly');

export function dbErrorToAppError(err: unknown): AppError | undefined {
  if (isDatabaseUnavailable(err)) return databaseUnavailable();
  const all = codes(err);
  if (all.includes('22021') || all.includes('22P05')) return invalidCharacter('request');
  return undefined;
}
